import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { normalizeId } from '../core/ids.ts';
import { SESSION_COOKIE } from '../oauth/authorize.ts';
import { escapeHtml } from '../oauth/html.ts';
import { readCookie, readForm } from '../oauth/http.ts';
import type { Org } from '../org/org.ts';
import { lightningHtml } from './lightning-html.ts';
import { loginPage } from './login-page.ts';
import { recordPage } from './record-page.ts';

/** The login form's double-submit cookie, scoped to these pages only. */
const CSRF_COOKIE = 'lightning_csrf';

/** Where a login may return to: a record page of this host, nothing else (no open redirect). */
const RECORD_PAGE_PATH =
  /^\/lightning\/r\/[A-Za-z][A-Za-z0-9_]{0,79}\/[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?\/view$/;

const LOGIN_ERROR =
  "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

function sameSecret(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left);
  const rightBytes = Buffer.from(right);
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}

/** The active user of the login host's browser session (the OAuth login's `sid` cookie), if any. */
function browserSessionUser(org: Org, request: Request): string | undefined {
  // No cookie reads as the empty id, which no session has.
  const session = org.tokens.useBrowserSession(readCookie(request, SESSION_COOKIE) ?? '');
  return session && org.isActive(session.userId) ? session.userId : undefined;
}

function notFound(org: Org): Response {
  // One answer for "no such record" and "not yours to see": the page must not reveal which.
  return lightningHtml({
    status: 404,
    title: 'Record not available',
    orgName: org.name,
    body: `<section><h1>This record isn't available</h1><p>It may have been deleted, or you may not have access to it. ${escapeHtml('Ask the record owner or your administrator.')}</p></section>`,
  });
}

function loginForm(
  org: Org,
  startUrl: string,
  extra: { username?: string; error?: string; status?: number } = {},
): Response {
  const csrf = randomBytes(24).toString('base64url');
  return loginPage({
    orgName: org.name,
    startUrl,
    csrf,
    ...extra,
    headers: { 'Set-Cookie': `${CSRF_COOKIE}=${csrf}; Path=/lightning; HttpOnly; SameSite=Strict` },
  });
}

/**
 * The demo org's read-only record pages at Salesforce's own path, so links a Forcefield user
 * follows ("Open in Salesforce") lead somewhere in demo mode. Who is looking is the login host's
 * browser session (the `sid` cookie the OAuth login set); without one the page asks to log in,
 * because records are shown through that user's sharing, never to anonymous callers.
 */
export function lightningRoutes(org: Org): Hono {
  const routes = new Hono();

  routes.get('/lightning/r/:objectName/:recordId/view', (context) => {
    const request = context.req.raw;
    const userId = browserSessionUser(org, request);
    const path = new URL(request.url).pathname;
    if (!userId) return RECORD_PAGE_PATH.test(path) ? loginForm(org, path) : notFound(org);
    const access = org.security.forUser(userId);
    const id = normalizeId(context.req.param('recordId'));
    const found = id ? access.records.find(id) : undefined;
    if (!found || found.record.IsDeleted === true) return notFound(org);
    const object = access.object(found.object.name);
    if (!object || object.name.toLowerCase() !== context.req.param('objectName').toLowerCase())
      return notFound(org);
    return recordPage({ org, access, object, record: found.record });
  });

  routes.post('/lightning/login', async (context) => {
    const request = context.req.raw;
    const form = await readForm(request);
    const startUrl = form.get('startURL') ?? '';
    const csrf = form.get('csrf') ?? '';
    const expected = readCookie(request, CSRF_COOKIE) ?? '';
    if (!RECORD_PAGE_PATH.test(startUrl) || expected === '' || !sameSecret(csrf, expected)) {
      return lightningHtml({
        status: 403,
        title: 'Login',
        orgName: org.name,
        body: '<section><h1>Your login form expired</h1><p>Open the record link again to log in.</p></section>',
      });
    }
    const username = form.get('username') ?? '';
    const userId = org.authenticate(username, form.get('pw') ?? '');
    if (!userId) return loginForm(org, startUrl, { username, error: LOGIN_ERROR, status: 401 });
    const previous = readCookie(request, SESSION_COOKIE);
    if (previous) org.tokens.endBrowserSession(previous);
    const session = org.tokens.createBrowserSession(userId);
    const headers = new Headers({ Location: startUrl, 'Cache-Control': 'no-store' });
    headers.append('Set-Cookie', `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
    headers.append('Set-Cookie', `${CSRF_COOKIE}=; Path=/lightning; HttpOnly; SameSite=Strict; Max-Age=0`);
    return new Response(null, { status: 303, headers });
  });

  return routes;
}
