import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  getSession,
  resolveSession,
  SESSION_LIFETIME_MS,
} from '../../src/accounts/sessions.ts';
import type { UsersTable } from '../../src/store/schema.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');

/** The session and its user, read by one prepared statement on every request, on both stores. */
describe.each(STORE_DIALECTS)('resolving a session on %s', (dialect) => {
  let test: TestStore;
  const user: UsersTable = {
    id: 'u1',
    email: 'ann@example.com',
    name: "Ann O'Brien",
    password_hash: 'hash',
    role: 'member',
    created_at: new Date(NOW - 1000).toISOString(),
    disabled_at: null,
  };
  beforeAll(async () => {
    test = await openTestStore(dialect);
    await test.store.db.insertInto('users').values(user).execute();
    await test.store.db
      .insertInto('users')
      .values({ ...user, id: 'u2', email: 'bo@example.com', name: 'Bo', role: 'admin' })
      .execute();
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('answers the session and its own user, as stored', async () => {
    const ann = await createSession(test.store, 'u1', NOW);
    const bo = await createSession(test.store, 'u2', NOW);
    const resolved = await resolveSession(test.store, ann.token, NOW + 1000);
    expect(resolved).toEqual({
      session: await getSession(test.store, ann.sessionId),
      user,
      extended: false,
    });
    expect((await resolveSession(test.store, bo.token, NOW + 1000))?.user).toMatchObject({
      id: 'u2',
      role: 'admin',
      name: 'Bo',
    });
    expect(await resolveSession(test.store, `${ann.token}x`, NOW)).toBeNull();
    expect(await resolveSession(test.store, '', NOW)).toBeNull();
  });

  it('refuses a disabled user at once, and an expired session (which it deletes)', async () => {
    const session = await createSession(test.store, 'u1', NOW);
    await test.store.db
      .updateTable('users')
      .set({ disabled_at: new Date(NOW).toISOString() })
      .where('id', '=', 'u1')
      .execute();
    expect(await resolveSession(test.store, session.token, NOW + 1)).toBeNull();
    await test.store.db.updateTable('users').set({ disabled_at: null }).where('id', '=', 'u1').execute();
    expect((await resolveSession(test.store, session.token, NOW + 1))?.user.id).toBe('u1');

    expect(await resolveSession(test.store, session.token, NOW + SESSION_LIFETIME_MS)).toBeNull();
    expect(await getSession(test.store, session.sessionId)).toBeUndefined();
  });
});
