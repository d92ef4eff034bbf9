import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { salesforceClientFor } from '../../src/connections/connection-client.ts';
import { openStore } from '../../src/store/database.ts';
import { connect, emulatorAdmin, type ServiceSession, serviceUser } from '../support/connections.ts';
import { openTestStore, STORE_DIALECTS } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123';

let emulator: RunningEmulator;
let test: TestService;
let bob: ServiceSession;
let connectionId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  test = await createTestService({ emulator, environment: { METRICS_TOKEN } });
  bob = await test.logIn('bob@forcefield.demo');
  connectionId = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
});

afterAll(async () => {
  await test?.stop();
  await emulator?.stop();
});

async function scrape(): Promise<string> {
  const response = await test.fetch(`${test.url}/metrics`, {
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return response.text();
}

/** The value of one sample line (`name{labels} value`), or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('needs the metrics token, and is off without one', async () => {
    expect((await test.fetch(`${test.url}/metrics`)).status).toBe(401);
    const wrong = await test.fetch(`${test.url}/metrics`, {
      headers: { Authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    // A session is not the metrics token.
    expect((await bob.call('GET', '/metrics')).status).toBe(401);
    const off = await createTestService();
    try {
      const response = await off.fetch(`${off.url}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  it('counts Salesforce calls by route and status, and reports the org API usage and open sends', async () => {
    const user = await serviceUser(test, 'bob@forcefield.demo');
    const client = await salesforceClientFor(test.context, user, connectionId);
    await client.query('SELECT Id FROM Account LIMIT 1');
    await client.query('SELECT Id FROM Account LIMIT 2');
    await expect(client.query('SELECT NoSuchField FROM Account')).rejects.toThrow();
    const accountId = (await client.query('SELECT Id FROM Account LIMIT 1')).records[0].Id as string;
    await client.retrieve('Account', accountId, ['Name']);

    const text = await scrape();
    expect(
      sample(text, 'forcefield_salesforce_call_duration_seconds_count{route="GET /query",status="2xx"}'),
    ).toBe(3);
    expect(
      sample(text, 'forcefield_salesforce_call_duration_seconds_count{route="GET /query",status="4xx"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'forcefield_salesforce_call_duration_seconds_count{route="GET /sobjects/:type/:id",status="2xx"}',
      ),
    ).toBe(1);
    // No record id, object value or query text leaks into a label.
    expect(text).not.toContain(accountId);
    expect(text).not.toContain('SELECT');

    const limits = await emulatorAdmin(emulator, 'GET', '/limits');
    const orgId = emulator.org.id;
    expect(sample(text, `forcefield_salesforce_api_requests_limit{org_id="${orgId}"}`)).toBe(
      limits.dailyApiRequests.max,
    );
    expect(sample(text, `forcefield_salesforce_api_requests_used{org_id="${orgId}"}`)).toBeGreaterThan(0);
    expect(sample(text, 'forcefield_meeting_sends_open{status="pending"}')).toBe(0);
    expect(sample(text, 'forcefield_meeting_sends_open{status="unknown"}')).toBe(0);
    // Process metrics only on a listening service; the in-process one has its own registry.
    expect(text).not.toContain('forcefield_process_cpu');
  });

  it('counts sends, token refreshes and approvals from the audit events they record', async () => {
    const record = (
      action: 'meeting.send' | 'connection.refreshed' | 'agent.approval.approved',
      outcome: 'success' | 'failure',
    ) => test.context.audit.record({ actorUserId: null, surface: 'web', action, outcome });
    await record('meeting.send', 'success');
    await record('meeting.send', 'success');
    await record('meeting.send', 'failure');
    await record('connection.refreshed', 'success');
    await record('agent.approval.approved', 'success');
    const text = await scrape();
    expect(sample(text, 'forcefield_meeting_sends_total{outcome="success"}')).toBe(2);
    expect(sample(text, 'forcefield_meeting_sends_total{outcome="failure"}')).toBe(1);
    expect(sample(text, 'forcefield_token_refreshes_total{outcome="success"}')).toBe(1);
    expect(sample(text, 'forcefield_agent_approvals_total{outcome="approved"}')).toBe(1);
  });

  it('refuses calls once the org API budget is nearly spent, with Retry-After, and counts the refusal', async () => {
    const limitsSet = await fetch(`${emulator.url}/__emulator/limits`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${emulator.adminSecret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dailyApiRequests: { max: 1000, used: 950 } }),
    });
    expect(limitsSet.status).toBe(200);
    const user = await serviceUser(test, 'bob@forcefield.demo');
    const client = await salesforceClientFor(test.context, user, connectionId);
    // This answer reports 951 of 1000: past the 90% Forcefield allows itself by default.
    await client.query('SELECT Id FROM Account LIMIT 1');
    const before = (await emulatorAdmin(emulator, 'GET', '/counters')).total;
    const meetings = await bob.call('GET', '/api/meetings');
    const meetingId = meetings.body.meetings[0].id as string;
    const refused = await bob.call(
      'GET',
      `/api/meetings/${meetingId}/record-search?connectionId=${connectionId}&q=Acme`,
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('salesforce_api_budget');
    expect(refused.body.error.message).toMatch(/951 of its 1000 daily API requests/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Nothing reached Salesforce.
    expect((await emulatorAdmin(emulator, 'GET', '/counters')).total).toBe(before);
    expect(sample(await scrape(), 'forcefield_salesforce_calls_refused_total{reason="budget"}')).toBe(1);
  });
});

describe.each(STORE_DIALECTS.filter((dialect) => dialect === 'postgres'))('pool metrics (%s)', (dialect) => {
  it('reports the PostgreSQL pool of the instance, sized by DATABASE_POOL_MAX', async () => {
    const testStore = await openTestStore(dialect);
    const pooled = openStore({ ...testStore.options, pool: { max: 3 } });
    const service = await createTestService({ store: pooled, environment: { METRICS_TOKEN } });
    try {
      const response = await service.fetch(`${service.url}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const text = await response.text();
      expect(sample(text, 'forcefield_database_pool_connections{state="max"}')).toBe(3);
      expect(sample(text, 'forcefield_database_pool_connections{state="total"}')).toBeGreaterThan(0);
      // The scrape's own database gauges may be waiting for one of the 3 connections right then.
      expect(sample(text, 'forcefield_database_pool_connections{state="total"}')).toBeLessThanOrEqual(3);
      expect(sample(text, 'forcefield_database_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
    } finally {
      await service.stop();
      await pooled.close();
      await testStore.dispose();
    }
  });
});
