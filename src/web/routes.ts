import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import type { DemoLogin } from '../accounts/workspace-setup.ts';
import type { AppEnvironment } from '../http/auth-types.ts';
import type { ServiceContext } from '../platform/service-context.ts';

/** Where `vite build` puts the web app (see vite.config.ts). */
export const WEB_BUILD_DIRECTORY = new URL('../../dist/web/', import.meta.url);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Everything the app needs comes from our origin, nothing may frame it, and no URL (the OAuth
 * callback's carries a code) leaks in a Referer. Scripts are files only. Styles allow inline
 * because the dialog and popover primitives position themselves and lock scrolling with injected
 * style rules; a style cannot run code, so this keeps the protection that matters.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
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
  // The app calls the API with fetch() (CORS mode), whose Origin header survives no-referrer.
  context.header('Referrer-Policy', 'no-referrer');
  context.header('X-Content-Type-Options', 'nosniff');
  context.header('Cross-Origin-Opener-Policy', 'same-origin');
};

/** Vite's output names: hashed, flat, no path tricks possible. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

async function readBuildFile(relativePath: string): Promise<Buffer | undefined> {
  try {
    return await readFile(new URL(relativePath, WEB_BUILD_DIRECTORY));
  } catch {
    return undefined;
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The demo logins go into index.html as a meta tag (the CSP forbids inline script), so the login
 * page can offer them. They only exist when Salesforce is the built-in emulator.
 */
function withDemoLogins(html: string, demoLogins: readonly DemoLogin[]): string {
  if (demoLogins.length === 0) return html;
  const content = JSON.stringify(
    demoLogins.map(({ email, password, name, role }) => ({ email, password, name, role })),
  );
  return html.replace(
    '</head>',
    `<meta name="forcefield-demo-logins" content="${escapeAttribute(content)}"></head>`,
  );
}

/**
 * Serves the built single-page app: hashed files under `/assets/` cached for a year, and
 * index.html (never cached, so a new build is picked up at once) for every other GET outside
 * `/api`, where the app's router decides what to show, including its own "not found" page.
 * Files are read per request (the OS caches them), so a rebuild needs no restart.
 * Audit behaviour: none (static files).
 */
export function webRoutes(
  service: ServiceContext,
  options: { demoLogins: readonly DemoLogin[] },
): Hono<AppEnvironment> {
  const routes = new Hono<AppEnvironment>();
  const demoLogins = service.salesforce.embedded ? options.demoLogins : [];

  routes.get('/assets/:name', securityHeaders, async (context) => {
    const name = context.req.param('name');
    const body = ASSET_NAME.test(name) ? await readBuildFile(`assets/${name}`) : undefined;
    if (!body) {
      return context.text('Not found.', 404, { 'Cache-Control': 'no-store' });
    }
    return context.body(new Uint8Array(body), 200, {
      'Content-Type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });

  routes.get('/favicon.svg', securityHeaders, async (context) => {
    const body = await readBuildFile('favicon.svg');
    if (!body) return context.body(null, 404);
    return context.body(new Uint8Array(body), 200, {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'public, max-age=86400',
    });
  });
  // Browsers ask for it whatever the page says; the icon is favicon.svg.
  routes.get('/favicon.ico', securityHeaders, (context) => context.body(null, 204));

  routes.get('*', securityHeaders, async (context, next) => {
    const path = context.req.path;
    // Unknown API paths stay JSON 404s (the app's notFound handler).
    if (path === '/api' || path.startsWith('/api/')) return next();
    const html = await readBuildFile('index.html');
    if (!html) {
      return context.text(
        'The web app is not built. Run `npm run build:web` (npm ci does it), then reload.',
        503,
        { 'Cache-Control': 'no-store' },
      );
    }
    return context.html(withDemoLogins(html.toString('utf8'), demoLogins), 200, {
      'Cache-Control': 'no-store',
    });
  });

  return routes;
}
