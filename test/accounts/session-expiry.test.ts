import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_LIFETIME_MS } from '../../src/accounts/sessions.ts';
import { ApiClient } from '../support/api-client.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

/** A session is refused once past its expiry (on the service's clock), and its row is gone. */
describe.each(STORE_DIALECTS)('session expiry (%s)', (dialect) => {
  let storage: TestStore;
  let test: TestService;
  const clock = {
    at: Date.parse('2026-03-02T10:00:00Z'),
    now() {
      return clock.at;
    },
  };

  beforeAll(async () => {
    storage = await openTestStore(dialect);
    test = await createTestService({
      clock,
      store: storage.store,
      salesforce: { embedded: false },
      environment: {
        FORCEFIELD_ADMIN_EMAIL: 'admin@example.com',
        FORCEFIELD_ADMIN_PASSWORD: 'correct horse battery',
      },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await storage?.dispose();
  });

  it('works up to its expiry, sliding while used, and is refused one millisecond past it', async () => {
    const client = new ApiClient(test);
    expect((await client.logIn('admin@example.com', 'correct horse battery')).status).toBe(200);
    const sessions = () => storage.store.db.selectFrom('sessions').selectAll().execute();
    const [created] = await sessions();
    expect(Date.parse(created.expires_at)).toBe(clock.at + SESSION_LIFETIME_MS);

    // Used a minute before it would end: still valid, and the expiry slides forward from now.
    clock.at += SESSION_LIFETIME_MS - 60_000;
    expect((await client.request('GET', '/api/me')).status).toBe(200);
    const [slid] = await sessions();
    expect(Date.parse(slid.expires_at)).toBe(clock.at + SESSION_LIFETIME_MS);

    // Not used again until exactly its new expiry: refused, and the row is deleted.
    clock.at = Date.parse(slid.expires_at);
    const refused = await client.request('GET', '/api/me');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    expect(await sessions()).toHaveLength(0);
    // Moving the clock back does not bring it back.
    clock.at -= 60_000;
    expect((await client.request('GET', '/api/me')).status).toBe(401);
  });
});
