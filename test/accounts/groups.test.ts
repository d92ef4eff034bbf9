import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalsOf } from '../../src/accounts/principals.ts';
import { ApiClient } from '../support/api-client.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import type { TestService } from '../support/test-service.ts';
import { type AccountsSetup, addMember, auditedActions, MEMBER_PASSWORD, setUpAccounts } from './support.ts';

describe.each(STORE_DIALECTS)('groups on %s', (dialect) => {
  let setup: AccountsSetup;
  let test: TestService;
  let admin: ApiClient;
  let member: ApiClient;
  let memberId: string;

  beforeAll(async () => {
    setup = await setUpAccounts(dialect);
    ({ test, admin } = setup);
    ({ member, memberId } = await addMember(test, admin));
  });

  afterAll(async () => {
    await setup?.dispose();
  });

  it('manages groups, and members get 403 on every admin endpoint', async () => {
    const created = await admin.request('POST', '/api/groups', { body: { name: 'Sales' } });
    expect(created.status).toBe(201);
    const groupId: string = created.body.group.id;
    expect((await admin.request('POST', '/api/groups', { body: { name: 'Sales' } })).status).toBe(409);
    expect((await admin.request('POST', '/api/groups', { body: { name: '  ' } })).status).toBe(400);

    const renamed = await admin.request('PATCH', `/api/groups/${groupId}`, { body: { name: 'EMEA Sales' } });
    expect(renamed.body.group.name).toBe('EMEA Sales');
    const added = await admin.request('POST', `/api/groups/${groupId}/members`, {
      body: { userId: memberId },
    });
    expect(added.status).toBe(200);
    expect(added.body.group.memberIds).toEqual([memberId]);
    expect(await principalsOf(test.store, memberId)).toEqual({ userId: memberId, groupIds: [groupId] });

    const adminId = (await admin.request('GET', '/api/me')).body.user.id;
    const replaced = await admin.request('PUT', `/api/groups/${groupId}/members`, {
      body: { userIds: [adminId, memberId, adminId] },
    });
    expect(replaced.body.group.memberIds.sort()).toEqual([adminId, memberId].sort());
    const unknownUser = await admin.request('PUT', `/api/groups/${groupId}/members`, {
      body: { userIds: ['ghost'] },
    });
    expect(unknownUser.status).toBe(404);
    expect(
      (await admin.request('POST', '/api/groups/ghost/members', { body: { userId: memberId } })).status,
    ).toBe(404);
    expect((await admin.request('DELETE', `/api/groups/${groupId}/members/${adminId}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/groups/${groupId}/members/${adminId}`)).status).toBe(404);
    const listed = await admin.request('GET', '/api/groups');
    expect(listed.body.groups).toEqual([
      expect.objectContaining({ id: groupId, name: 'EMEA Sales', memberIds: [memberId] }),
    ]);

    // Every admin endpoint: members 403, nobody 401.
    const adminEndpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/users'],
      ['POST', '/api/users', { email: 'm2@example.com', name: 'M2', password: MEMBER_PASSWORD }],
      ['GET', `/api/users/${memberId}`],
      ['PATCH', `/api/users/${memberId}`, { role: 'admin' }],
      ['GET', '/api/groups'],
      ['POST', '/api/groups', { name: 'Mine' }],
      ['GET', `/api/groups/${groupId}`],
      ['PATCH', `/api/groups/${groupId}`, { name: 'Mine' }],
      ['PUT', `/api/groups/${groupId}/members`, { userIds: [] }],
      ['POST', `/api/groups/${groupId}/members`, { userId: memberId }],
      ['DELETE', `/api/groups/${groupId}/members/${memberId}`],
      ['DELETE', `/api/groups/${groupId}`],
    ];
    const anonymous = new ApiClient(test);
    for (const [method, path, body] of adminEndpoints) {
      const denied = await member.request(method, path, { body });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.body.error.code).toBe('forbidden');
      expect((await anonymous.request(method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
    expect((await member.request('GET', '/api/me')).body.user.role).toBe('member');
    expect((await admin.request('GET', `/api/groups/${groupId}`)).body.group.memberIds).toEqual([memberId]);

    expect((await admin.request('DELETE', `/api/groups/${groupId}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/groups/${groupId}`)).status).toBe(404);
    expect(await principalsOf(test.store, memberId)).toEqual({ userId: memberId, groupIds: [] });
  });

  it('audits group changes', async () => {
    const actions = await auditedActions(test.store);
    for (const action of [
      'group.created',
      'group.renamed',
      'group.member_added',
      'group.members_replaced',
      'group.member_removed',
      'group.deleted',
    ]) {
      expect(actions, action).toContain(action);
    }
  });
});
