import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { resolveApiKey } from '../accounts/api-keys.ts';
import { constantTimeEqual } from '../accounts/secrets.ts';
import { resolveSession, SESSION_COOKIE, SESSION_LIFETIME_MS } from '../accounts/sessions.ts';
import type { Actor } from '../core/actor.ts';
import { forbidden, ServiceError, unauthenticated } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { AppEnvironment } from './auth-types.ts';

export const CSRF_HEADER = 'X-CSRF-Token';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Writes that need no CSRF token even with a session cookie: logging in again from a tab whose
 * session is still alive (the login route checks the Origin itself).
 */
const CSRF_TOKEN_EXEMPT = new Set(['/api/auth/login']);

function csrfFailed(message: string) {
  return new ServiceError(403, 'csrf_failed', message);
}

/** Cookie attributes for the session cookie: Secure whenever the public URL is https. */
export function sessionCookieOptions(service: ServiceContext) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: service.config.PUBLIC_URL?.startsWith('https:') ?? false,
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
  } as const;
}

/**
 * Whether a browser request comes from our own pages: no Origin header (same-origin GETs, non-browser
 * clients), or an Origin equal to PUBLIC_URL's or to the origin the request was addressed to.
 */
export function isAllowedOrigin(service: ServiceContext, context: Context): boolean {
  const origin = context.req.header('origin');
  if (origin === undefined) return true;
  const allowed = [new URL(context.req.url).origin];
  if (service.config.PUBLIC_URL) allowed.push(new URL(service.config.PUBLIC_URL).origin);
  return allowed.includes(origin);
}

/**
 * The client's address: the socket's peer, or with TRUST_PROXY the last X-Forwarded-For entry
 * (the one our own proxy appended; earlier entries are whatever the client claimed).
 */
export function clientAddress(service: ServiceContext, context: Context): string {
  if (service.config.TRUST_PROXY) {
    const forwarded = context.req.header('x-forwarded-for');
    // Capped: it is only a rate-limit key, and the header's length is the client's choice.
    const last = forwarded?.split(',').at(-1)?.trim().slice(0, 64);
    if (last) return last;
  }
  try {
    return getConnInfo(context).remote.address ?? 'unknown';
  } catch {
    // In-process requests (app.request) have no socket.
    return 'unknown';
  }
}

/** The signed-in user, or a 401 when the request carries no valid credentials. */
export function currentUser(context: Context<AppEnvironment>): Actor {
  const user = context.get('user') as Actor | undefined;
  if (!user) throw unauthenticated();
  return user;
}

/**
 * Resolves `Authorization: Bearer ff_…` (an API key) or the session cookie into
 * `context.get('user')`, and enforces CSRF protection on cookie-authenticated writes. Requests
 * without credentials pass through unauthenticated; `requireUser` turns them away where needed.
 */
export function authenticate(service: ServiceContext): MiddlewareHandler<AppEnvironment> {
  return async (context, next) => {
    const authorization = context.req.header('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const resolved = match ? await resolveApiKey(service.store, match[1], service.now()) : null;
      // A wrong key is an error even on public routes: silently ignoring it hides mistakes.
      if (!resolved) throw unauthenticated('The API key is not valid: it may have been revoked.');
      context.set('user', {
        id: resolved.user.id,
        email: resolved.user.email,
        name: resolved.user.name,
        role: resolved.user.role,
        surface: 'api',
        sessionId: null,
      });
      return next();
    }

    const token = getCookie(context, SESSION_COOKIE);
    if (token === undefined) return next();
    const resolved = await resolveSession(service.store, token, service.now());
    if (!resolved) {
      // Expired, logged out, or the user was disabled: forget the cookie.
      deleteCookie(context, SESSION_COOKIE, { path: '/' });
      return next();
    }
    if (WRITE_METHODS.has(context.req.method)) {
      if (!isAllowedOrigin(service, context)) {
        throw csrfFailed('This request came from another site and was refused.');
      }
      if (!CSRF_TOKEN_EXEMPT.has(context.req.path)) {
        const presented = context.req.header(CSRF_HEADER);
        if (!presented || !constantTimeEqual(presented, resolved.session.csrf_token)) {
          throw csrfFailed(`Send the session's CSRF token (from /api/me) in the ${CSRF_HEADER} header.`);
        }
      }
    }
    // The server-side expiry slid forward: let the browser's copy of the cookie slide too.
    if (resolved.extended) setCookie(context, SESSION_COOKIE, token, sessionCookieOptions(service));
    context.set('user', {
      id: resolved.user.id,
      email: resolved.user.email,
      name: resolved.user.name,
      role: resolved.user.role,
      surface: 'web',
      sessionId: resolved.session.id,
    });
    return next();
  };
}

export const requireUser: MiddlewareHandler<AppEnvironment> = async (context, next) => {
  currentUser(context);
  await next();
};

export const requireAdmin: MiddlewareHandler<AppEnvironment> = async (context, next) => {
  if (currentUser(context).role !== 'admin') throw forbidden('Only admins can do that.');
  await next();
};
