import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Methods whose requests carry no body a handler reads (a Fetch Request refuses one for them). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

/**
 * Refuses request bodies over `maxSize` bytes before they are read. A body with a Content-Length
 * (and no Transfer-Encoding) is judged by its header alone, as Hono's bodyLimit does, but without
 * touching the request's body stream: reading `req.raw.body` makes @hono/node-server build a full
 * Fetch Request over the socket (a web stream), which costs every request — GETs included — and
 * loses its direct read of the body for `req.json()`. Other bodies (chunked) go through Hono's
 * bodyLimit, which counts them as they stream.
 */
export function limitBody(
  maxSize: number,
  onError: (context: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const streaming = bodyLimit({ maxSize, onError });
  return async (context, next) => {
    if (BODYLESS_METHODS.has(context.req.method)) return next();
    const length = context.req.header('content-length');
    if (length !== undefined && context.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize ? onError(context) : next();
    }
    return streaming(context, next);
  };
}
