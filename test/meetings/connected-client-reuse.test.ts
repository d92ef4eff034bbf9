import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { connectedClient } from '../../src/meetings/connected-client.ts';
import { connect, type ServiceSession, serviceUser } from '../support/connections.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

/**
 * The meetings' Salesforce client is reused between requests of the same person on the same
 * connection and stored tokens; access is still checked every time, and a token change or a
 * disconnect counts at once.
 */
describe.each(STORE_DIALECTS)('the meetings’ connected client on %s', (dialect) => {
  let emulator: RunningEmulator;
  let testStore: TestStore;
  let test: TestService;
  let alice: ServiceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    test = await createTestService({ emulator, store: testStore.store });
    alice = await test.logIn('alice@forcefield.demo');
  });
  afterAll(async () => {
    await test.stop();
    await testStore.dispose();
    await emulator.stop();
  });

  it('reuses the client for the same person and tokens, and follows every change of the row', async () => {
    const id = await connect(alice, emulator, { kind: 'personal', username: 'alice@acme.demo' });
    const aliceUser = await serviceUser(test.context, 'alice@forcefield.demo');
    const bobUser = await serviceUser(test.context, 'bob@forcefield.demo');
    const first = await connectedClient(test.context, aliceUser, id);
    const again = await connectedClient(test.context, aliceUser, id);
    expect(again.client).toBe(first.client);
    expect((await again.client.query('SELECT Id FROM Account LIMIT 1')).records.length).toBe(1);
    // Another surface (its audit trigger differs) gets its own client.
    const viaApi = await connectedClient(test.context, { ...aliceUser, surface: 'api' }, id);
    expect(viaApi.client).not.toBe(first.client);
    // Access is still checked on every call: someone else's personal connection is a 404.
    await expect(connectedClient(test.context, bobUser, id)).rejects.toMatchObject({ status: 404 });

    // New tokens (a refresh elsewhere): a new client, holding them.
    await test.context.store.db
      .updateTable('connections')
      .set((eb) => ({ token_version: eb('token_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    const refreshed = await connectedClient(test.context, aliceUser, id);
    expect(refreshed.client).not.toBe(first.client);
    expect(refreshed.client.tokenVersion).toBe(first.client.tokenVersion + 1);

    // Disconnected: refused at once, not served from the kept client.
    expect((await alice.call('DELETE', `/api/connections/${id}`)).status).toBeLessThan(300);
    await expect(connectedClient(test.context, aliceUser, id)).rejects.toMatchObject({ status: 404 });
  });
});
