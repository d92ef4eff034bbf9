import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { ServiceLifecycle } from '../platform/service-lifecycle.ts';

/** The Node request behind a Hono request served by @hono/node-server (none in-process). */
function incomingOf(context: Context): IncomingMessage | undefined {
  return (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/**
 * Whether the client sent (or is sending) a body the handler never read: an early refusal (413,
 * 401, 429, …). Keeping such a connection alive would make the server read and discard the rest of
 * a body nobody wants, and a client pipelining after it would see its next request fail.
 */
function leftBodyUnread(context: Context): boolean {
  const incoming = incomingOf(context);
  if (!incoming || incoming.complete) return false;
  const length = context.req.header('content-length');
  return context.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * Sets a header on the answer a handler already made. `context.header()` would, once the answer
 * exists, rebuild it around its body as a stream — on every request, and @hono/node-server then
 * writes it through its slow path (reading that stream) instead of writing the string it holds.
 * Setting the answer's own headers keeps it as it is; headers that are immutable (an answer
 * passed on from fetch) fall back to `context.header()`.
 */
export function setAnswerHeader(context: Context, name: string, value: string): void {
  try {
    context.res.headers.set(name, value);
  } catch {
    context.header(name, value);
  }
}

/**
 * Headers every answer needs: `Connection: close` while the instance drains and after any early
 * refusal that left a request body unread (the client then receives the answer and the connection
 * ends cleanly instead of being reused), and `Cache-Control: no-store` on the API and on every
 * answer to an authenticated request (nothing personal may sit in a shared or browser cache).
 */
export function responseHygiene(lifecycle: ServiceLifecycle): MiddlewareHandler {
  return async (context, next) => {
    await next();
    const authenticated = context.get('user' as never) !== undefined;
    if (authenticated || context.req.path.startsWith('/api/') || context.req.path === '/metrics') {
      setAnswerHeader(context, 'Cache-Control', 'no-store');
    }
    if (lifecycle.draining || leftBodyUnread(context)) {
      // Node then discards the rest of the body and ends the socket after the answer is written.
      setAnswerHeader(context, 'Connection', 'close');
    }
  };
}
