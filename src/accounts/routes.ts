import { Hono } from 'hono';
import type { AppEnvironment } from '../server/auth-types.ts';
import type { ServiceContext } from '../server/context.ts';
import { adminRoutes } from './admin-routes.ts';
import { apiKeyRoutes } from './api-key-routes.ts';
import { authRoutes } from './auth-routes.ts';

/** Every account route, mounted under `/api` behind the `authenticate` middleware. */
export function accountRoutes(service: ServiceContext): Hono<AppEnvironment> {
  const routes = new Hono<AppEnvironment>();
  routes.route('/', authRoutes(service));
  routes.route('/', apiKeyRoutes(service));
  routes.route('/', adminRoutes(service));
  return routes;
}
