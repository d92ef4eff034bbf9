import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, ManualClock, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { salesforceClientFor } from '../../src/connections/connection-client.ts';
import { SalesforceConnectionError } from '../../src/salesforce/errors.ts';
import { openStore } from '../../src/store/database.ts';
import { connect, emulatorAdmin, serviceUser, TOKEN_ROUTE } from '../support/connections.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

const SECRET_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

interface Setup {
  emulator: RunningEmulator;
  clock: ManualClock;
  testStore: TestStore;
  services: TestService[];
}

let cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** An emulator with 60-second sessions and rotating refresh tokens, and `instances` services on one store. */
async function setUp(dialect: 'sqlite' | 'postgres', instances = 1): Promise<Setup> {
  const clock = new ManualClock();
  const emulator = await startEmulator({
    port: 0,
    seed: 'demo',
    sessionTimeoutSeconds: 60,
    clock,
    apps: [{ ...DEMO_APP, refreshTokenPolicy: { kind: 'rotate' } }],
  });
  cleanups.push(() => emulator.stop());
  const testStore = await openTestStore(dialect);
  cleanups.push(() => testStore.dispose());
  const services: TestService[] = [];
  for (let index = 0; index < instances; index++) {
    // Each instance has its own store (its own pool) as separate processes would.
    const store = index === 0 ? testStore.store : openStore(testStore.options);
    const service = await createTestService({
      emulator,
      store,
      environment: { FORCEFIELD_SECRET_KEY: SECRET_KEY },
    });
    cleanups.push(async () => {
      await service.stop();
      if (index > 0) await store.close();
    });
    services.push(service);
  }
  return { emulator, clock, testStore, services };
}

async function tokenRequests(emulator: RunningEmulator): Promise<number> {
  const counters = await emulatorAdmin(emulator, 'GET', '/counters');
  return counters.routes[TOKEN_ROUTE] ?? 0;
}

describe.each(STORE_DIALECTS)('token refresh (%s)', { timeout: 90_000 }, (dialect) => {
  it('refreshes once for 200 concurrent calls after expiry, storing the rotated refresh token', async () => {
    const { emulator, clock, services } = await setUp(dialect);
    const [test] = services;
    const bob = await test.logIn('bob@forcefield.demo');
    const id = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const user = await serviceUser(test, 'bob@forcefield.demo');
    const before = await test.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

    await emulatorAdmin(emulator, 'POST', '/counters/reset');
    clock.advance(61_000);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, async () => {
        const client = await salesforceClientFor(test.context, user, id);
        return client.query('SELECT Id FROM Account LIMIT 1');
      }),
    );
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures).toEqual([]);
    expect(await tokenRequests(emulator)).toBe(1);

    const after = await test.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.token_version).toBe(before.token_version + 1);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.last_used_at).not.toBeNull();
    expect(after.api_usage_max).toBeGreaterThan(0);
    const { events } = await test.context.audit.query({
      connectionId: id,
      action: 'connection.refreshed',
    });
    expect(events.length).toBe(1);
    expect(events[0].detail).toMatchObject({ rotated: true });

    // The rotated refresh token works for the next expiry too.
    clock.advance(61_000);
    const client = await salesforceClientFor(test.context, user, id);
    expect((await client.query('SELECT Id FROM Account LIMIT 1')).records.length).toBe(1);
    expect(await tokenRequests(emulator)).toBe(2);
  });

  it('marks a connection needs_reconnect on a revoked refresh token, after exactly one token request', async () => {
    const { emulator, services } = await setUp(dialect);
    const [test] = services;
    const bob = await test.logIn('bob@forcefield.demo');
    const id = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const user = await serviceUser(test, 'bob@forcefield.demo');
    emulator.org.tokens.revokeUser(emulator.org.userIdByUsername('bob@acme.demo')!);
    await emulatorAdmin(emulator, 'POST', '/counters/reset');

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, async () => {
        const client = await salesforceClientFor(test.context, user, id);
        return client.query('SELECT Id FROM Account LIMIT 1');
      }),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(SalesforceConnectionError);
      expect(reason.code).toBe('needs_reconnect');
      expect(reason.message).toMatch(/Reconnect/);
    }
    expect(await tokenRequests(emulator)).toBe(1);
    const read = await bob.call('GET', `/api/connections/${id}`);
    expect(read.body.connection.status).toBe('needs_reconnect');
    const check = await bob.call('POST', `/api/connections/${id}/check`);
    expect(check.status).toBe(200);
    expect(check.body.identity).toMatchObject({ ok: false });
    expect(check.body.identity.hint).toMatch(/Reconnect/);
    // Still no further token request: a needs_reconnect connection is not retried.
    expect(await tokenRequests(emulator)).toBe(1);
    const { events } = await test.context.audit.query({
      connectionId: id,
      action: 'connection.needs_reconnect',
    });
    expect(events.length).toBe(1);

    // Connecting again brings it back.
    const again = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    expect(again).toBe(id);
    expect((await bob.call('GET', `/api/connections/${id}`)).body.connection.status).toBe('active');
  });
});

describe.runIf(STORE_DIALECTS.includes('postgres'))(
  'token refresh across instances (postgres)',
  { timeout: 90_000 },
  () => {
    it('two service instances on one database make one refresh for 200 concurrent calls', async () => {
      const { emulator, clock, services } = await setUp('postgres', 2);
      const [first, second] = services;
      const bob = await first.logIn('bob@forcefield.demo');
      const id = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
      const user = await serviceUser(first, 'bob@forcefield.demo');
      await emulatorAdmin(emulator, 'POST', '/counters/reset');
      clock.advance(61_000);
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, async (_, index) => {
          const service = index % 2 === 0 ? first : second;
          const client = await salesforceClientFor(service.context, user, id);
          return client.query('SELECT Id FROM Account LIMIT 1');
        }),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(await tokenRequests(emulator)).toBe(1);
    });
  },
);
