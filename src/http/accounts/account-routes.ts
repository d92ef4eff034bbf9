import { Hono } from 'hono';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { AppEnvironment } from '../auth-types.ts';
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
