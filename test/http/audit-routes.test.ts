import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceSession } from '../support/connections.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

describe.each(STORE_DIALECTS)('audit API (%s)', (dialect) => {
  let testStore: TestStore;
  let test: TestService;
  let alice: ServiceSession;
  let bob: ServiceSession;

  beforeAll(async () => {
    testStore = await openTestStore(dialect);
    // The demo workspace (alice admin, bob member); Salesforce is never reached.
    test = await createTestService({ store: testStore.store });
    alice = await test.logIn('alice@forcefield.demo');
    bob = await test.logIn('bob@forcefield.demo');
    for (let index = 0; index < 5; index++) {
      await test.context.audit.record({
        actorUserId: 'someone',
        connectionId: `c${index % 2}`,
        surface: 'api',
        action: 'salesforce.record.created',
        objectType: 'Task',
        recordIds: [`00T00000000000${index}`],
        outcome: index === 4 ? 'failure' : 'success',
        errorCode: index === 4 ? 'REQUIRED_FIELD_MISSING' : null,
        detail: { sequence: index },
      });
    }
  });

  afterAll(async () => {
    await test.stop();
    await testStore.dispose();
  });

  it('lets admins page through filtered events, newest first', async () => {
    const first = await alice.call('GET', '/api/audit?action=salesforce.record.created&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.events.map((event: { detail: { sequence: number } }) => event.detail.sequence)).toEqual(
      [4, 3],
    );
    const second = await alice.call(
      'GET',
      `/api/audit?action=salesforce.record.created&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(
      second.body.events.map((event: { detail: { sequence: number } }) => event.detail.sequence),
    ).toEqual([2, 1]);
    const failures = await alice.call('GET', '/api/audit?outcome=failure');
    expect(failures.body.events).toHaveLength(1);
    expect(failures.body.events[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      objectType: 'Task',
    });
    const byConnection = await alice.call('GET', '/api/audit?connectionId=c1');
    expect(byConnection.body.events).toHaveLength(2);
  });

  it('exports JSON lines, oldest first', async () => {
    const response = await alice.browser.fetch(
      `${test.url}/api/audit/export?action=salesforce.record.created`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.detail.sequence)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses members and bad filters with clear errors', async () => {
    expect((await bob.call('GET', '/api/audit')).status).toBe(403);
    expect((await bob.call('GET', '/api/audit/export')).status).toBe(403);
    const bad = await alice.call('GET', '/api/audit?limit=100000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect((await alice.call('GET', '/api/audit?outcome=maybe')).status).toBe(400);
  });

  it('records logins', async () => {
    const logins = await alice.call('GET', '/api/audit?limit=100');
    expect(
      logins.body.events.some((event: { action: string }) => event.action.startsWith('auth.login')),
    ).toBe(true);
  });
});
