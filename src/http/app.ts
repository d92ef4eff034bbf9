import { Hono } from 'hono';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import type { DemoLogin } from '../accounts/workspace-setup.ts';
import { ServiceError } from '../core/errors.ts';
import { mcpRoutes } from '../mcp/mcp-routes.ts';
import { TRANSCRIPT_LIMITS } from '../meetings/transcripts/transcript-limits.ts';
import type { Services } from '../services.ts';
import { webRoutes } from '../web/routes.ts';
import { accessLog } from './access-log.ts';
import { accountRoutes } from './accounts/account-routes.ts';
import { agentApiRoutes } from './agent-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { authenticate } from './auth-middleware.ts';
import type { AppEnvironment } from './auth-types.ts';
import { limitBody } from './body-limit.ts';
import { connectionRoutes } from './connection-routes.ts';
import { DeclaredRoutes } from './declared-routes.ts';
import { meetingIntakeRoutes } from './meeting-intake-routes.ts';
import { meetingRoutes } from './meeting-routes.ts';
import { mountMetricsRoute } from './metrics-route.ts';
import { responseHygiene } from './response-hygiene.ts';

/** Requests larger than this are refused before they are read (JSON bodies are small). */
export const MAX_BODY_BYTES = 256 * 1024;
/** Transcript uploads carry a whole file as JSON text (escaping can double it). */
export const MAX_TRANSCRIPT_BODY_BYTES = 2 * TRANSCRIPT_LIMITS.maxBytes + 64 * 1024;
const TRANSCRIPT_BODY_PATHS = new Set([
  '/api/meetings/transcripts',
  '/api/meetings/transcripts/preview',
  '/api/meetings/intake',
]);

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/**
 * Every `/api` endpoint, each with its declared audit behaviour (the route table test reads
 * `declarations`; docs/architecture.md explains the policy).
 */
export function apiRoutes(services: Services): DeclaredRoutes<AppEnvironment> {
  const service = services.context;
  return (
    new DeclaredRoutes<AppEnvironment>()
      .route('/', accountRoutes(service))
      .route('/connections', connectionRoutes(service))
      .route('/', agentApiRoutes(service, services.agent))
      .route('/audit', auditRoutes(service))
      // Transcript and intake paths first: they would otherwise be taken for meeting ids.
      .route('/meetings', meetingIntakeRoutes({ ...service, meetings: services.meetings }))
      .route('/meetings', meetingRoutes({ ...service, meetings: services.meetings }))
  );
}

/**
 * The service's HTTP surface. Feature routes mount under `/api`; every error leaves as
 * `{ error: { code, message } }` with a 4xx status when it is the caller's, never a stack trace.
 */
export function createServiceApp(
  services: Services,
  options: { demoLogins?: readonly DemoLogin[] } = {},
): Hono {
  const service = services.context;
  const { store, logger } = service;
  const app = new Hono();
  const { lifecycle } = services;

  // Outermost: they see every answer, errors included (README, "Deployment": access log, drain).
  app.use('*', accessLog(logger));
  app.use('*', responseHygiene(lifecycle));
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.get('/readyz', async (context) => {
    if (lifecycle.draining) return context.json({ status: 'draining', database: store.dialect }, 503);
    try {
      await sql`select 1`.execute(store.db);
      return context.json({ status: 'ready', database: store.dialect });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      return context.json({ status: 'unavailable', database: store.dialect }, 503);
    }
  });

  const limitTo = (maxSize: number) =>
    limitBody(maxSize, (context) =>
      context.json(errorBody('payload_too_large', `Request bodies are limited to ${maxSize} bytes.`), 413),
    );
  const defaultLimit = limitTo(MAX_BODY_BYTES);
  const transcriptLimit = limitTo(MAX_TRANSCRIPT_BODY_BYTES);
  app.use('/api/*', (context, next) =>
    (TRANSCRIPT_BODY_PATHS.has(context.req.path) ? transcriptLimit : defaultLimit)(context, next),
  );
  mountMetricsRoute(app, services.metrics, service.config.METRICS_TOKEN);
  // Resolves the session cookie or API key (and checks CSRF) before any /api route runs.
  app.use('/api/*', authenticate(service));
  app.route('/api', apiRoutes(services).app);
  // The MCP server (/mcp/agents/{id}) and its approval page: its own auth, Origin and Host checks.
  app.route('/', mcpRoutes(services));
  // The web app (dist/web): /assets/* and index.html for every other GET outside /api.
  app.route('/', webRoutes(service, { demoLogins: options.demoLogins ?? [] }));

  app.notFound((context) => context.json(errorBody('not_found', 'No such endpoint.'), 404));
  app.onError((error, context) => {
    if (error instanceof ServiceError) {
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number')
        context.header('Retry-After', String(Math.max(0, Math.ceil(retryAfter))));
      return context.json(errorBody(error.code, error.message, error.details), error.status as 400);
    }
    if (error instanceof ZodError) {
      const details = {
        issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      };
      return context.json(errorBody('invalid_input', 'The request is not valid.', details), 400);
    }
    logger.error({ err: error, method: context.req.method, path: context.req.path }, 'unhandled error');
    return context.json(errorBody('internal_error', 'Something went wrong on our side.'), 500);
  });
  return app;
}
