import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUsableConnection, usableConnections } from '../../src/connections/access.ts';
import type { ConnectionKind, ConnectionStatus, PrincipalType, Role } from '../../src/store/schema.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

const T = new Date(0).toISOString();
const admin = { id: 'u-admin', role: 'admin' as const };
const member = { id: 'u-member', role: 'member' as const };
const other = { id: 'u-other', role: 'member' as const };

/**
 * The access check, one prepared statement per role with the user's groups as a subquery: the
 * same answers as the rules say (and as the list of usable connections gives), on both stores.
 */
describe.each(STORE_DIALECTS)('the prepared connection access check on %s', (dialect) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore(dialect);
    const { db } = test.store;
    const users: Array<[string, Role]> = [
      [admin.id, 'admin'],
      [member.id, 'member'],
      [other.id, 'member'],
    ];
    for (const [id, role] of users) {
      await db
        .insertInto('users')
        .values({ id, email: `${id}@example.com`, name: id, password_hash: 'h', role, created_at: T })
        .execute();
    }
    await db.insertInto('groups').values({ id: 'g1', name: 'Deal desk', created_at: T }).execute();
    await db.insertInto('groups').values({ id: 'g2', name: 'Others', created_at: T }).execute();
    await db.insertInto('group_members').values({ group_id: 'g2', user_id: other.id }).execute();
  });
  afterAll(async () => {
    await test.dispose();
  });

  const addConnection = async (
    id: string,
    kind: ConnectionKind,
    createdBy: string,
    status: ConnectionStatus = 'active',
  ) => {
    await test.store.db
      .insertInto('connections')
      .values({
        id,
        kind,
        name: id,
        created_by: createdBy,
        created_at: T,
        salesforce_org_id: '00D',
        salesforce_user_id: `005${id}`,
        username: `${id}@acme.demo`,
        display_name: id,
        email: null,
        instance_url: 'https://acme.example',
        login_host: 'production',
        identity_url: 'https://acme.example/id',
        scopes: 'api',
        status,
        access_token: null,
        refresh_token: null,
        token_version: 0,
        token_refreshed_at: null,
        last_used_at: null,
        api_usage_used: null,
        api_usage_max: null,
        api_usage_at: null,
      })
      .execute();
  };
  const share = (connectionId: string, type: PrincipalType, principalId: string) =>
    test.store.db
      .insertInto('connection_shares')
      .values({ connection_id: connectionId, principal_type: type, principal_id: principalId, created_at: T })
      .execute();
  const unshare = (connectionId: string) =>
    test.store.db.deleteFrom('connection_shares').where('connection_id', '=', connectionId).execute();
  const usable = async (user: typeof member | typeof admin, id: string) => {
    const found = await findUsableConnection(test.store, user, id).then(
      (row) => row.id,
      (error: { status?: number }) => error.status,
    );
    // The list of usable connections agrees with the single check.
    const listed = (await (await usableConnections(test.store, user)).execute()).map((row) => row.id);
    expect(listed.includes(id)).toBe(found === id);
    return found;
  };

  it('personal connections: only the person who connected them, while not disconnected', async () => {
    await addConnection('c-personal', 'personal', member.id);
    expect(await usable(member, 'c-personal')).toBe('c-personal');
    expect(await usable(other, 'c-personal')).toBe(404);
    expect(await usable(admin, 'c-personal')).toBe(404);
    await addConnection('c-revoked', 'personal', member.id, 'revoked');
    expect(await usable(member, 'c-revoked')).toBe(404);
    expect(await usable(member, 'no-such-id')).toBe(404);
  });

  it('organization connections: every admin; members through a user, group or team share', async () => {
    await addConnection('c-org', 'organization', admin.id);
    expect(await usable(admin, 'c-org')).toBe('c-org');
    expect(await usable(member, 'c-org')).toBe(404);

    await share('c-org', 'user', member.id);
    expect(await usable(member, 'c-org')).toBe('c-org');
    expect(await usable(other, 'c-org')).toBe(404);
    await unshare('c-org');

    // A group share reaches its members only, and joining or leaving the group counts at once.
    await share('c-org', 'group', 'g1');
    expect(await usable(member, 'c-org')).toBe(404);
    await test.store.db.insertInto('group_members').values({ group_id: 'g1', user_id: member.id }).execute();
    expect(await usable(member, 'c-org')).toBe('c-org');
    expect(await usable(other, 'c-org')).toBe(404);
    await test.store.db.deleteFrom('group_members').where('group_id', '=', 'g1').execute();
    expect(await usable(member, 'c-org')).toBe(404);
    // A group id that happens to equal a user id is not a user share.
    await unshare('c-org');
    await share('c-org', 'group', member.id);
    expect(await usable(member, 'c-org')).toBe(404);
    await unshare('c-org');

    await share('c-org', 'team', '*');
    expect(await usable(member, 'c-org')).toBe('c-org');
    expect(await usable(other, 'c-org')).toBe('c-org');
    await unshare('c-org');
    expect(await usable(other, 'c-org')).toBe(404);

    await addConnection('c-org-revoked', 'organization', admin.id, 'revoked');
    await share('c-org-revoked', 'team', '*');
    expect(await usable(admin, 'c-org-revoked')).toBe(404);
    expect(await usable(member, 'c-org-revoked')).toBe(404);
  });
});
