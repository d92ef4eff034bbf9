import type { ServiceContext } from '../../platform/service-context.ts';
import type { AppEnvironment } from '../auth-types.ts';
import { DeclaredRoutes } from '../declared-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { apiKeyRoutes } from './api-key-routes.ts';
import { authRoutes } from './auth-routes.ts';

/** Every account route, mounted under `/api` behind the `authenticate` middleware. */
export function accountRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  routes.route('/', authRoutes(service));
  routes.route('/', apiKeyRoutes(service));
  routes.route('/', adminRoutes(service));
  return routes;
}
