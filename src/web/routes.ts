import { readFileSync } from 'node:fs';
import { Hono, type MiddlewareHandler } from 'hono';
import type { DemoLogin } from '../accounts/workspace-setup.ts';
import { listConnections } from '../connections/connection-service.ts';
import type { Actor } from '../core/actor.ts';
import { authenticate } from '../http/auth-middleware.ts';
import type { AppEnvironment } from '../http/auth-types.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { SafeHtml } from './html.ts';
import { connectionsPage, loginPage } from './pages.ts';

/**
 * The browser's script and styles, read once at startup. Served as files (not inline) so the
 * Content-Security-Policy can forbid inline script and style outright.
 */
const ASSETS = {
  'app.js': {
    body: readFileSync(new URL('./assets/app.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
  'app.css': {
    body: readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8'),
    type: 'text/css; charset=utf-8',
  },
} as const;

/**
 * Everything the pages need comes from our origin, nothing may frame them, and no URL (the OAuth
 * callback's carries a code) leaks in a Referer. `form-action 'self'` keeps even a scriptless form
 * submission on our origin; leaving Salesforce's authorization page is a navigation, which CSP
 * does not restrict.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: MiddlewareHandler = async (context, next) => {
  await next();
  context.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  context.header('X-Frame-Options', 'DENY');
  // The pages call the API with fetch() (CORS mode), whose Origin header survives no-referrer; a
  // plain form POST would send `Origin: null` and fail the API's same-origin check.
  context.header('Referrer-Policy', 'no-referrer');
  context.header('X-Content-Type-Options', 'nosniff');
  context.header('Cross-Origin-Opener-Policy', 'same-origin');
};

/** Only browser sessions use the pages: their writes need the session's CSRF token. */
function sessionUser(context: { get(key: 'user'): Actor | undefined }) {
  const user = context.get('user');
  return user?.surface === 'web' ? user : undefined;
}

function page(body: SafeHtml): Response {
  return new Response(body.text, {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** A callback error as the page may show it: our own codes only, and a bounded message. */
function callbackErrorOf(code: string | undefined, message: string | undefined) {
  if (code === undefined) return undefined;
  const known = /^(oauth|salesforce)_[a-z_]{1,60}$/.test(code);
  return {
    code: known ? code : 'unknown_error',
    message: known && message ? message.slice(0, 1000) : 'Something went wrong while connecting. Try again.',
  };
}

/**
 * A deliberately minimal server-rendered web front (the full UI comes later): log in, list, connect,
 * check and disconnect Salesforce connections. Every write goes through the JSON API from
 * /assets/app.js with the CSRF token from GET /api/me. Audit behaviour: none here (the API audits).
 */
export function webRoutes(
  service: ServiceContext,
  options: { demoLogins: readonly DemoLogin[] },
): Hono<AppEnvironment> {
  const routes = new Hono<AppEnvironment>();
  // Demo passwords are public, and only ever exist when Salesforce is the built-in emulator.
  const demoLogins = service.salesforce.embedded ? options.demoLogins : [];

  // Middleware is attached per route, not with use('*'): mounted at the root, that would also run
  // for every /api request.
  const authenticateSession = authenticate(service);
  routes.get('/assets/:name', securityHeaders, (context) => {
    const name = context.req.param('name');
    if (!Object.hasOwn(ASSETS, name)) return context.notFound();
    const asset = ASSETS[name as keyof typeof ASSETS];
    return context.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });
  // Browsers ask for it on every page; there is no icon yet, and "none" beats a 404 in the console.
  routes.get('/favicon.ico', securityHeaders, (context) => context.body(null, 204));
  routes.get('/', securityHeaders, authenticateSession, (context) =>
    context.redirect(sessionUser(context) ? '/connections' : '/login', 302),
  );
  routes.get('/login', securityHeaders, authenticateSession, (context) => {
    if (sessionUser(context)) return context.redirect('/connections', 302);
    return page(loginPage({ demoLogins }));
  });
  routes.get('/connections', securityHeaders, authenticateSession, async (context) => {
    const user = sessionUser(context);
    if (!user) return context.redirect('/login', 302);
    const query = context.req.query();
    const callbackError = callbackErrorOf(query.error, query.message);
    return page(
      connectionsPage({
        user,
        connections: await listConnections(service, user),
        embedded: service.salesforce.embedded,
        ...(query.connected ? { connectedId: query.connected } : {}),
        ...(callbackError ? { callbackError } : {}),
      }),
    );
  });
  return routes;
}
