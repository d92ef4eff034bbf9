import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../core/logger.ts';
import type { AppEnvironment } from './auth-types.ts';
import { setAnswerHeader } from './response-hygiene.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A request id a proxy may hand us: short and plain, so it can never smuggle anything into a log line. */
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * One structured log line per request, after it is answered: method, route template (never the
 * query string, which can carry tokens, nor ids in the path), status, duration, the actor's id and
 * the request id (the client's `X-Request-Id` when plain, else a new one, echoed in the answer).
 */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnvironment> {
  return async (context, next) => {
    const started = performance.now();
    const presented = context.req.header(REQUEST_ID_HEADER);
    const requestId = presented && ACCEPTABLE_REQUEST_ID.test(presented) ? presented : randomUUID();
    await next();
    setAnswerHeader(context, REQUEST_ID_HEADER, requestId);
    // After next(): the route of the handler that answered (the current route index moved to it).
    const route = routePath(context);
    logger.info(
      {
        type: 'access',
        requestId,
        method: context.req.method,
        route: route === '*' || route === '/*' ? null : route,
        status: context.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        actorId: context.get('user')?.id ?? null,
      },
      'request',
    );
  };
}
