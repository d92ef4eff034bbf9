import { afterAll, beforeAll } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { requestBody } from './api-client.ts';

export const API_VERSION = '66.0';

export interface TestOrg {
  emulator: RunningEmulator;
  url: string;
  /** `{url}/services/data/v66.0` */
  dataUrl: string;
  token: string;
  /** fetch against the data API as the token's user, JSON in and out. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResult>;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
  body: any;
}

/** Starts an emulator on a free port with a session for `username` (default alice, the admin). */
export async function startTestOrg(
  options: EmulatorOptions = {},
  username = 'alice@acme.demo',
): Promise<TestOrg> {
  const emulator = await startEmulator({ port: 0, seed: 'none', ...options });
  const userId = emulator.org.userIdByUsername(username);
  if (!userId) throw new Error(`No user ${username}`);
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', [
    'api',
    'refresh_token',
  ]).token;
  const dataUrl = `${emulator.url}/services/data/v${API_VERSION}`;
  return {
    emulator,
    url: emulator.url,
    dataUrl,
    token,
    async api(path, init = {}) {
      const response = await fetch(path.startsWith('http') ? path : `${dataUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...init.headers,
        },
        body: requestBody(init.body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
  };
}

/**
 * Starts a test org (see `startTestOrg`) before the file's tests and stops it after them. The
 * returned object is filled in by the `beforeAll`: read it inside hooks and tests only.
 */
export function useTestOrg(options: EmulatorOptions = {}, username?: string): TestOrg {
  const org = {} as TestOrg;
  beforeAll(async () => {
    Object.assign(org, await startTestOrg(options, username));
  });
  afterAll(async () => {
    await org.emulator?.stop();
  });
  return org;
}

/** The OAuth password grant as a client sends it, with the demo connected app's credentials. */
export function passwordGrant(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'forcefield-demo',
      client_secret: 'forcefield-demo-secret',
      username,
      password,
    }),
  });
}
