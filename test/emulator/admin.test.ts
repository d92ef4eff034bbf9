import { Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEmulatorArguments } from '../../emulator/cli.ts';
import {
  DEFAULT_DAILY_API_REQUEST_LIMIT,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/index.ts';

const ADMIN_SECRET = 'test-admin-secret-0123456789';
const API = '/services/data/v66.0';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none', adminSecret: ADMIN_SECRET });
});

afterAll(async () => {
  await emulator.stop();
});

interface AdminResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
  body: any;
}

async function admin(
  method: string,
  path: string,
  body?: unknown,
  secret = ADMIN_SECRET,
): Promise<AdminResult> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: {
      ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Logs in with the OAuth password grant, as jsforce does. */
async function login(username = 'alice@acme.demo'): Promise<Connection> {
  const connection = new Connection({
    oauth2: { clientId: 'forcefield-demo', clientSecret: 'forcefield-demo-secret', loginUrl: emulator.url },
    version: '66.0',
  });
  await connection.login(username, 'demo1234');
  return connection;
}

describe('admin API authentication', () => {
  it('refuses a missing or wrong secret with a 401 JSON error, and accepts the right one', async () => {
    const missing = await admin('GET', '/health', undefined, '');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: 'unauthorized', message: expect.stringContaining('Bearer') });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await admin('GET', '/counters', undefined, 'wrong')).status).toBe(401);
    expect((await admin('GET', '/health', undefined, `${ADMIN_SECRET}x`)).status).toBe(401);
    const health = await admin('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', org: { id: emulator.org.id, name: 'Acme Demo' } });
    // A REST access token is not an admin secret.
    const connection = await login();
    expect((await admin('GET', '/health', undefined, connection.accessToken!)).status).toBe(401);
  });

  it('generates a random secret when none is given', async () => {
    const other = await startEmulator({ port: 0, seed: 'none' });
    try {
      expect(other.adminSecret.length).toBeGreaterThanOrEqual(24);
      expect(other.adminSecret).not.toBe(emulator.adminSecret);
      const response = await fetch(`${other.url}/__emulator/health`, {
        headers: { Authorization: `Bearer ${other.adminSecret}` },
      });
      expect(response.status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('answers unknown admin endpoints with a 404 JSON error', async () => {
    const result = await admin('GET', '/nothing-here');
    expect(result.status).toBe(404);
    expect(result.body.error).toBe('not_found');
  });
});

describe('counters', () => {
  beforeEach(async () => {
    expect((await admin('POST', '/counters/reset')).body).toEqual({ total: 0, routes: {} });
  });

  it('counts requests per route template; a composite request counts once', async () => {
    const connection = await login();
    const created = await connection.sobject('Account').create({ Name: 'Counted' });
    await connection.sobject('Account').retrieve(created.id!);
    await connection.sobject('Account').retrieve(created.id!);
    const composite = await fetch(`${emulator.url}${API}/composite`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${connection.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${API}/sobjects/Account`, referenceId: 'first', body: { Name: 'One' } },
          { method: 'POST', url: `${API}/sobjects/Account`, referenceId: 'second', body: { Name: 'Two' } },
          { method: 'GET', url: `${API}/sobjects/Account/@{first.id}`, referenceId: 'read' },
        ],
      }),
    });
    expect(composite.status).toBe(200);
    const counters = await admin('GET', '/counters');
    expect(counters.body).toEqual({
      total: 5,
      routes: {
        'GET /services/data/vXX.X/sobjects/{type}/{id}': 2,
        'POST /services/data/vXX.X/composite': 1,
        'POST /services/data/vXX.X/sobjects/{type}': 1,
        'POST /services/oauth2/token': 1,
      },
    });
  });

  it('counts faulted and dropped requests too: each is a call the client made', async () => {
    await admin('PUT', '/faults', [{ path: '/services/data/*/limits', kind: 'http-503', times: 1 }]);
    await fetch(`${emulator.url}${API}/limits`);
    await fetch(`${emulator.url}${API}/limits`);
    expect((await admin('GET', '/counters')).body.routes).toEqual({ 'GET /services/data/vXX.X/limits': 2 });
  });
});

describe('request log', () => {
  it('records method, path, caller, status and duration, and never a token, password, code or secret', async () => {
    const connection = await login('bob@acme.demo');
    const accessToken = connection.accessToken!;
    const refreshToken = connection.refreshToken;
    await connection.query('SELECT Id FROM Account');
    const failed = await fetch(`${emulator.url}${API}/sobjects/Account/001000000000000AAA`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(failed.status).toBe(404);
    await fetch(`${emulator.url}${API}/limits?access_token=${accessToken}`);
    await fetch(`${emulator.url}/services/oauth2/userinfo?oauth_token=${accessToken}`);
    await fetch(`${emulator.url}/services/oauth2/revoke?token=${accessToken}`);

    const log = await admin('GET', '/requests?limit=6');
    expect(log.status).toBe(200);
    const requests = log.body.requests;
    expect(requests).toHaveLength(6);
    const bobId = emulator.org.userIdByUsername('bob@acme.demo');
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/services/oauth2/token', status: 200 });
    expect(requests[1]).toMatchObject({
      method: 'GET',
      path: '/services/data/v66.0/query',
      query: { q: 'SELECT Id FROM Account' },
      userId: bobId,
      username: 'bob@acme.demo',
      status: 200,
    });
    expect(requests[1].durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(requests[1].time)).not.toBeNaN();
    expect(requests[2]).toMatchObject({
      path: '/services/data/v66.0/sobjects/Account/001000000000000AAA',
      status: 404,
    });
    expect(requests[3].query).toEqual({ access_token: '[redacted]' });
    expect(requests[5]).toMatchObject({ path: '/services/oauth2/revoke', query: { token: '[redacted]' } });

    const everything = JSON.stringify((await admin('GET', '/requests')).body);
    expect(everything).not.toContain(accessToken);
    if (refreshToken) expect(everything).not.toContain(refreshToken);
    expect(everything).not.toContain('demo1234');
    expect(everything).not.toContain('forcefield-demo-secret');
    expect(everything).not.toContain(ADMIN_SECRET);
  });

  it('keeps admin requests out of the log and validates limit', async () => {
    await admin('GET', '/health');
    const log = await admin('GET', '/requests?limit=1000');
    expect(log.body.requests.some((entry: { path: string }) => entry.path.startsWith('/__emulator'))).toBe(
      false,
    );
    expect(log.body.capacity).toBe(1000);
    const bad = await admin('GET', '/requests?limit=lots');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^limit:/);
  });
});

describe('limits', () => {
  it('defaults to a small Enterprise org, and a lowered limit answers REQUEST_LIMIT_EXCEEDED', async () => {
    expect(DEFAULT_DAILY_API_REQUEST_LIMIT).toBe(110_000);
    const connection = await login();
    const before = await admin('GET', '/limits');
    expect(before.body.dailyApiRequests.max).toBe(110_000);
    const set = await admin('PUT', '/limits', { dailyApiRequests: { max: 500, used: 499 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ dailyApiRequests: { max: 500, used: 499, remaining: 1 } });
    const last = await connection.limits();
    expect(last.DailyApiRequests).toEqual({ Max: 500, Remaining: 0 });
    const refused = await fetch(`${emulator.url}${API}/sobjects`, {
      headers: { Authorization: `Bearer ${connection.accessToken}` },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=500/500');
    await admin('PUT', '/limits', { dailyApiRequests: { max: 110_000, used: 0 } });
    expect((await connection.limits()).DailyApiRequests.Remaining).toBe(109_999);
  });

  it('refuses a bad limits body with a clear 400', async () => {
    const negative = await admin('PUT', '/limits', { dailyApiRequests: { max: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.body.message).toMatch(/^dailyApiRequests\.max:/);
    expect((await admin('PUT', '/limits', { max: 10 })).status).toBe(400);
    expect((await admin('PUT', '/limits', '')).status).toBe(400);
  });

  it('is configurable at start', async () => {
    const small = await startEmulator({ port: 0, seed: 'none', dailyApiRequestLimit: 15_000 });
    try {
      expect(small.org.apiUsage.max).toBe(15_000);
    } finally {
      await small.stop();
    }
  });
});

describe('user activation', () => {
  it('deactivation ends the sessions (401 INVALID_SESSION_ID); activation lets the user log in again', async () => {
    const connection = await login('carol@acme.demo');
    expect((await connection.query('SELECT Id FROM Account')).done).toBe(true);
    const deactivated = await admin('POST', '/users/carol@acme.demo/deactivate');
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ username: 'carol@acme.demo', isActive: false });
    const refused = await fetch(`${emulator.url}${API}/limits`, {
      headers: { Authorization: `Bearer ${connection.accessToken}` },
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    await expect(login('carol@acme.demo')).rejects.toThrow();

    const activated = await admin('POST', `/users/${deactivated.body.id}/activate`);
    expect(activated.body).toMatchObject({ id: deactivated.body.id, isActive: true });
    const again = await login('carol@acme.demo');
    expect((await again.query('SELECT Id FROM Account')).done).toBe(true);
  });

  it('answers 404 for an unknown user', async () => {
    const result = await admin('POST', '/users/nobody@acme.demo/deactivate');
    expect(result.status).toBe(404);
    expect(result.body.error).toBe('not_found');
  });
});

describe('CLI flags', () => {
  it('parses --api-limit, --admin-secret and the admin secret environment variable', () => {
    expect(parseEmulatorArguments([], {})).toMatchObject({ port: 4100 });
    const parsed = parseEmulatorArguments(['--api-limit', '15000', '--admin-secret', ADMIN_SECRET], {});
    expect(parsed).toMatchObject({ apiLimit: 15_000, adminSecret: ADMIN_SECRET });
    expect(
      parseEmulatorArguments([], { FORCEFIELD_EMULATOR_ADMIN_SECRET: 'from-the-environment-1234' }),
    ).toMatchObject({ adminSecret: 'from-the-environment-1234' });
    expect(
      parseEmulatorArguments(['--admin-secret', ADMIN_SECRET], {
        FORCEFIELD_EMULATOR_ADMIN_SECRET: 'from-the-environment-1234',
      }),
    ).toMatchObject({ adminSecret: ADMIN_SECRET });
    expect(() => parseEmulatorArguments(['--api-limit', 'many'], {})).toThrow(/Invalid --api-limit/);
    expect(() => parseEmulatorArguments(['--admin-secret', 'short'], {})).toThrow(/Invalid --admin-secret/);
  });
});

describe('data endpoints', () => {
  it('exports, loads (validated first) and resets the org data', async () => {
    const other = await startEmulator({ port: 0, seed: 'none', adminSecret: ADMIN_SECRET });
    const call = (method: string, path: string, body?: string) =>
      fetch(`${other.url}/__emulator${path}`, {
        method,
        headers: { Authorization: `Bearer ${ADMIN_SECRET}`, 'Content-Type': 'application/json' },
        body,
      });
    const accountCount = () => other.org.store.table('Account').records.size;
    try {
      const exported = await call('GET', '/data');
      expect(exported.status).toBe(200);
      const document = await exported.text();
      expect(JSON.parse(document).format).toBe('forcefield-emulator-org');
      other.org.store.insert('Account', { Id: other.org.ids.next('001'), Name: 'Added later' });
      expect(accountCount()).toBe(1);

      const invalid = await call('PUT', '/data', JSON.stringify({ format: 'something-else' }));
      expect(invalid.status).toBe(400);
      expect(accountCount()).toBe(1);
      expect((await call('PUT', '/data', '{nope')).status).toBe(400);

      expect((await call('PUT', '/data', document)).status).toBe(204);
      expect(accountCount()).toBe(0);
      other.org.store.insert('Account', { Id: other.org.ids.next('001'), Name: 'Added again' });
      expect((await call('POST', '/reset')).status).toBe(204);
      expect(accountCount()).toBe(0);
      expect((await fetch(`${other.url}/__emulator/data`)).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});
