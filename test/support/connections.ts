import type { RunningEmulator } from '../../emulator/index.ts';
import type { Store } from '../../src/store/database.ts';
import { authorizeWithBrowser, Browser, type Fetcher } from './oauth-browser.ts';

/** A person logged in to the service in a browser: cookies, CSRF token, JSON calls. */
export interface ServiceSession {
  browser: Browser;
  baseUrl: string;
  csrfToken: string;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
  ): Promise<{ status: number; headers: Headers; body: any }>;
}

/** A service URL (reached over the network), or an in-process service (see createTestService). */
export type ServiceTarget = string | { url: string; fetch: Fetcher };

export async function logIn(
  target: ServiceTarget,
  email: string,
  password = 'forcefield-demo',
): Promise<ServiceSession> {
  const baseUrl = typeof target === 'string' ? target : target.url;
  const browser = typeof target === 'string' ? new Browser() : new Browser(target.fetch);
  const response = await browser.fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { csrfToken?: string };
  if (response.status !== 200 || !body.csrfToken) throw new Error(`login failed: ${JSON.stringify(body)}`);
  const csrfToken = body.csrfToken;
  return {
    browser,
    baseUrl,
    csrfToken,
    async call(method, path, requestBody, headers = {}) {
      const result = await browser.fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, {
        method,
        headers: {
          'X-CSRF-Token': csrfToken,
          Accept: 'application/json',
          ...(requestBody === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: requestBody === undefined ? undefined : JSON.stringify(requestBody),
      });
      const text = await result.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: result.status, headers: result.headers, body: parsed };
    },
  };
}

/**
 * Starts a connection as the session's user, walks the emulator's login and consent pages as
 * `username`, and returns the callback URL Salesforce sent the browser to (not yet followed).
 */
export async function authorizeConnection(
  session: ServiceSession,
  emulator: RunningEmulator,
  options: {
    kind: 'personal' | 'organization';
    username: string;
    name?: string;
    salesforceBrowser?: Browser;
  },
): Promise<URL> {
  const started = await session.call('POST', '/api/connections/oauth/start', {
    kind: options.kind,
    loginHost: 'production',
    ...(options.name ? { name: options.name } : {}),
  });
  if (started.status !== 200)
    throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  const outcome = await authorizeWithBrowser(emulator.url, started.body.authorizationUrl, {
    browser: options.salesforceBrowser,
    username: options.username,
  });
  if (!outcome.callback) throw new Error(`no callback redirect: ${outcome.response.status}`);
  return outcome.callback;
}

/** The whole connect flow; answers the new connection's id. */
export async function connect(
  session: ServiceSession,
  emulator: RunningEmulator,
  options: { kind: 'personal' | 'organization'; username: string; name?: string },
): Promise<string> {
  const callback = await authorizeConnection(session, emulator, options);
  const finished = await session.call('GET', callback.toString());
  if (finished.status !== 201 && finished.status !== 200) {
    throw new Error(`callback failed: ${finished.status} ${JSON.stringify(finished.body)}`);
  }
  return finished.body.connection.id as string;
}

/** The service's user as the services see it (for in-process calls such as salesforceClientFor). */
export async function serviceUser(service: { store: Store }, email: string) {
  const row = await service.store.db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    surface: 'web' as const,
    sessionId: null,
  };
}

/** Emulator admin API call (counters, resets). */
export async function emulatorAdmin(
  emulator: RunningEmulator,
  method: string,
  path: string,
  // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
): Promise<any> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: { Authorization: `Bearer ${emulator.adminSecret}` },
  });
  return response.json();
}

export const TOKEN_ROUTE = 'POST /services/oauth2/token';
