import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ConnectedApp, Org } from '../org/org.ts';
import {
  APP_BLOCKED_REDIRECT,
  isAdminApproved,
  isUserPermitted,
  NOT_PRE_AUTHORIZED_REDIRECT,
} from './app-policies.ts';
import { consentPage, errorPage, type FormContext, loginPage } from './html.ts';
import { readCookie, readForm, redirectResponse } from './http.ts';
import { appScopes, parseScopes, type Scope } from './scopes.ts';

/** The login host's session cookie (Salesforce also calls it `sid`). */
export const SESSION_COOKIE = 'sid';

/** How long a user may sit on the login or consent page before the request must start over. */
const PENDING_LIFETIME_MS = 30 * 60 * 1000;

const LOGIN_ERROR =
  "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

/**
 * An authorize request waiting on the user. Everything the final redirect depends on stays here,
 * server-side; the browser only carries the opaque id and the CSRF token.
 */
interface PendingAuthorization {
  id: string;
  csrf: string;
  app: ConnectedApp;
  redirectUri: string;
  state: string | undefined;
  scopes: Scope[];
  codeChallenge: string | undefined;
  nonce: string | undefined;
  forceConsent: boolean;
  /** Set once the user has logged in (or arrived with a browser session) for this request. */
  userId: string | undefined;
  expiresAt: number;
}

const pendingByOrg = new WeakMap<Org, Map<string, PendingAuthorization>>();

function pendingStore(org: Org): Map<string, PendingAuthorization> {
  let store = pendingByOrg.get(org);
  if (!store) {
    store = new Map();
    pendingByOrg.set(org, store);
  }
  const now = org.clock.now();
  for (const [id, pending] of store) if (pending.expiresAt <= now) store.delete(id);
  return store;
}

const authorizeQuery = z.object({
  response_type: z.string().optional(),
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  state: z.string().optional(),
  scope: z.string().optional(),
  prompt: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
  nonce: z.string().optional(),
});

const authorizeForm = z.object({
  authorization: z.string().min(1),
  csrf: z.string().min(1),
  action: z.enum(['login', 'allow', 'deny']),
  username: z.string().optional(),
  pw: z.string().optional(),
  password: z.string().optional(),
});

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a redirect_uri is exactly a registered callback: same scheme, host, port, path and
 * query (Salesforce matches callbacks exactly; only the spelling of a default port or of the
 * host's case is forgiven, as the URL is the same). Never with a fragment or credentials.
 */
function matchesCallback(registered: string, redirectUri: string): boolean {
  const expected = parseUrl(registered);
  const given = parseUrl(redirectUri);
  if (!expected || !given || redirectUri.includes('#')) return false;
  return (
    given.protocol === expected.protocol &&
    given.hostname === expected.hostname &&
    given.port === expected.port &&
    given.pathname === expected.pathname &&
    given.search === expected.search &&
    given.username === '' &&
    given.password === ''
  );
}

/**
 * Whether the app may be sent back to this URL: an exact registered callback, or — for apps that
 * allow it — any plain-http loopback URL (any port, any path), the native-app convention.
 */
export function isRegisteredRedirect(app: ConnectedApp, redirectUri: string): boolean {
  if (app.callbackUrls.some((registered) => matchesCallback(registered, redirectUri))) return true;
  if (!app.allowLoopbackCallbacks) return false;
  const url = parseUrl(redirectUri);
  if (!url) return false;
  return (
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' || url.hostname === '127.0.0.1') &&
    url.username === '' &&
    url.password === '' &&
    !redirectUri.includes('#')
  );
}

function callbackUrl(redirectUri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

function randomId(): string {
  return randomBytes(24).toString('base64url');
}

function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax`;
}

function formContext(pending: PendingAuthorization): FormContext {
  return { authorization: pending.id, csrf: pending.csrf, appName: pending.app.name };
}

function sameSecret(expected: string, given: string): boolean {
  const left = Buffer.from(expected);
  const right = Buffer.from(given);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Sends the browser back to the app with an error (and the request's state); the request is over. */
function redirectError(
  org: Org,
  pending: PendingAuthorization,
  refusal: { error: string; description: string },
  extraHeaders: Record<string, string> = {},
): Response {
  pendingStore(org).delete(pending.id);
  return redirectResponse(
    callbackUrl(pending.redirectUri, {
      error: refusal.error,
      error_description: refusal.description,
      state: pending.state,
    }),
    extraHeaders,
  );
}

/**
 * Why the app's policies refuse this user now, if they do. Checked again once the user is known
 * and before a code is issued: an admin may block the app while the user sits on a page.
 */
function policyRefusal(
  org: Org,
  pending: PendingAuthorization,
): { error: string; description: string } | undefined {
  if (pending.app.blocked) return APP_BLOCKED_REDIRECT;
  if (!isUserPermitted(org, pending.app, pending.userId!)) return NOT_PRE_AUTHORIZED_REDIRECT;
  return undefined;
}

/**
 * The user is known: refuse if the app's policies say so; skip consent on an admin-approved app
 * (the admin approved for the user, Salesforce shows no approval page) or when already approved.
 */
function afterLogin(
  org: Org,
  pending: PendingAuthorization,
  extraHeaders: Record<string, string> = {},
): Response {
  const userId = pending.userId!;
  const refusal = policyRefusal(org, pending);
  if (refusal) return redirectError(org, pending, refusal, extraHeaders);
  if (
    isAdminApproved(pending.app) ||
    (!pending.forceConsent && org.tokens.hasApproval(userId, pending.app.clientId, pending.scopes))
  ) {
    return issueCode(org, pending, extraHeaders);
  }
  const response = consentPage(
    formContext(pending),
    String(org.user(userId)?.Username ?? ''),
    pending.scopes,
  );
  for (const [name, value] of Object.entries(extraHeaders)) response.headers.append(name, value);
  return response;
}

function issueCode(
  org: Org,
  pending: PendingAuthorization,
  extraHeaders: Record<string, string> = {},
): Response {
  pendingStore(org).delete(pending.id);
  const code = org.tokens.issueCode({
    clientId: pending.app.clientId,
    redirectUri: pending.redirectUri,
    userId: pending.userId!,
    scopes: pending.scopes,
    codeChallenge: pending.codeChallenge,
    nonce: pending.nonce,
  });
  return redirectResponse(
    callbackUrl(pending.redirectUri, { code: code.code, state: pending.state }),
    extraHeaders,
  );
}

/** `GET /services/oauth2/authorize`: the start of the web-server flow. */
export function handleAuthorize(org: Org, request: Request): Response {
  const query = authorizeQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  // The first two checks decide whether the callback can be trusted at all; until then errors are
  // shown to the user and never redirected (an open redirector otherwise).
  const app = query.client_id ? org.apps.get(query.client_id) : undefined;
  if (!app) return errorPage(400, 'invalid_client_id', 'client identifier invalid');
  const redirectUri = query.redirect_uri;
  if (!redirectUri || !isRegisteredRedirect(app, redirectUri)) {
    return errorPage(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
  }
  const fail = (error: string, description: string) =>
    redirectResponse(callbackUrl(redirectUri, { error, error_description: description, state: query.state }));

  if (app.blocked) return fail(APP_BLOCKED_REDIRECT.error, APP_BLOCKED_REDIRECT.description);
  if (query.response_type !== 'code') return fail('unsupported_response_type', 'response type not supported');
  if (query.code_challenge_method !== undefined && query.code_challenge_method !== 'S256') {
    return fail('invalid_request', 'invalid code_challenge_method');
  }
  if (query.code_challenge_method !== undefined && !query.code_challenge) {
    return fail('invalid_request', 'missing code_challenge');
  }
  const parsedScopes = parseScopes(query.scope, appScopes(app));
  if ('invalid' in parsedScopes) return fail('invalid_scope', 'the requested scope is not allowed');

  const prompts = new Set((query.prompt ?? '').split(/\s+/).filter((prompt) => prompt !== ''));
  const pending: PendingAuthorization = {
    id: randomId(),
    csrf: randomId(),
    app,
    redirectUri,
    state: query.state,
    scopes: parsedScopes.scopes,
    codeChallenge: query.code_challenge || undefined,
    nonce: query.nonce,
    forceConsent: prompts.has('consent'),
    userId: undefined,
    expiresAt: org.clock.now() + PENDING_LIFETIME_MS,
  };

  const forceLogin = prompts.has('login') || prompts.has('select_account');
  const cookie = readCookie(request, SESSION_COOKIE);
  const browserSession = cookie ? org.tokens.useBrowserSession(cookie) : undefined;
  if (browserSession && org.isActive(browserSession.userId) && !forceLogin)
    pending.userId = browserSession.userId;

  // prompt=none: answer at once, without showing any page.
  if (prompts.has('none')) {
    if (!pending.userId) return fail('login_required', 'user is not logged in');
    const refusal = policyRefusal(org, pending);
    if (refusal) return fail(refusal.error, refusal.description);
    const approved =
      isAdminApproved(app) ||
      (!pending.forceConsent && org.tokens.hasApproval(pending.userId, app.clientId, pending.scopes));
    if (!approved) return fail('consent_required', 'user has not approved this app');
    return issueCode(org, pending);
  }

  pendingStore(org).set(pending.id, pending);
  return pending.userId ? afterLogin(org, pending) : loginPage(formContext(pending));
}

/** `POST /services/oauth2/authorize`: the login and consent forms post back here. */
export async function handleAuthorizeForm(org: Org, request: Request): Promise<Response> {
  const parsed = authorizeForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return errorPage(400, 'invalid_request', 'malformed authorization form');
  const form = parsed.data;
  const pending = pendingStore(org).get(form.authorization);
  if (!pending)
    return errorPage(400, 'invalid_request', 'authorization request expired; start again from the app');
  if (!sameSecret(pending.csrf, form.csrf)) return errorPage(403, 'invalid_request', 'invalid form token');

  if (form.action === 'login') {
    const username = form.username ?? '';
    const userId = org.authenticate(username, form.pw ?? form.password ?? '');
    if (!userId) return loginPage(formContext(pending), { username, error: LOGIN_ERROR });
    const previous = readCookie(request, SESSION_COOKIE);
    if (previous) org.tokens.endBrowserSession(previous);
    const browserSession = org.tokens.createBrowserSession(userId);
    pending.userId = userId;
    // A fresh CSRF token for the consent form: the login form's token is spent.
    pending.csrf = randomId();
    return afterLogin(org, pending, { 'Set-Cookie': sessionCookie(browserSession.id) });
  }

  // Allow and Deny must come from the browser that logged in for this request.
  const cookie = readCookie(request, SESSION_COOKIE);
  const browserSession = cookie ? org.tokens.useBrowserSession(cookie) : undefined;
  if (!pending.userId || browserSession?.userId !== pending.userId) {
    return errorPage(403, 'invalid_request', 'session expired; start again from the app');
  }
  if (form.action === 'deny') {
    pendingStore(org).delete(pending.id);
    return redirectResponse(
      callbackUrl(pending.redirectUri, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
        state: pending.state,
      }),
    );
  }
  const refusal = policyRefusal(org, pending);
  if (refusal) return redirectError(org, pending, refusal);
  org.tokens.rememberApproval(pending.userId, pending.app.clientId, pending.scopes);
  return issueCode(org, pending);
}

/** Ends the browser session (Salesforce's `/secur/logout.jsp`). */
export function handleLogout(org: Org, request: Request): Response {
  const cookie = readCookie(request, SESSION_COOKIE);
  if (cookie) org.tokens.endBrowserSession(cookie);
  return new Response('Logged out', {
    status: 200,
    headers: {
      'Content-Type': 'text/plain;charset=UTF-8',
      'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    },
  });
}
