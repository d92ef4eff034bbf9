import { describe, expect, it } from 'vitest';
import { principalsOf } from '../../src/accounts/principals.ts';
import { ApiClient } from '../support/api-client.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { expectAudited, MEMBER_PASSWORD, useAccountsWithMember } from './support.ts';

describe.each(STORE_DIALECTS)('groups on %s', (dialect) => {
  const world = useAccountsWithMember(dialect);

  it('manages groups, and members get 403 on every admin endpoint', async () => {
    const created = await world.admin.request('POST', '/api/groups', { body: { name: 'Sales' } });
    expect(created.status).toBe(201);
    const groupId: string = created.body.group.id;
    expect((await world.admin.request('POST', '/api/groups', { body: { name: 'Sales' } })).status).toBe(409);
    expect((await world.admin.request('POST', '/api/groups', { body: { name: '  ' } })).status).toBe(400);

    const renamed = await world.admin.request('PATCH', `/api/groups/${groupId}`, {
      body: { name: 'EMEA Sales' },
    });
    expect(renamed.body.group.name).toBe('EMEA Sales');
    const added = await world.admin.request('POST', `/api/groups/${groupId}/members`, {
      body: { userId: world.memberId },
    });
    expect(added.status).toBe(200);
    expect(added.body.group.memberIds).toEqual([world.memberId]);
    expect(await principalsOf(world.test.store, world.memberId)).toEqual({
      userId: world.memberId,
      groupIds: [groupId],
    });

    const adminId = (await world.admin.request('GET', '/api/me')).body.user.id;
    const replaced = await world.admin.request('PUT', `/api/groups/${groupId}/members`, {
      body: { userIds: [adminId, world.memberId, adminId] },
    });
    expect(replaced.body.group.memberIds.sort()).toEqual([adminId, world.memberId].sort());
    const unknownUser = await world.admin.request('PUT', `/api/groups/${groupId}/members`, {
      body: { userIds: ['ghost'] },
    });
    expect(unknownUser.status).toBe(404);
    expect(
      (await world.admin.request('POST', '/api/groups/ghost/members', { body: { userId: world.memberId } }))
        .status,
    ).toBe(404);
    expect((await world.admin.request('DELETE', `/api/groups/${groupId}/members/${adminId}`)).status).toBe(
      204,
    );
    expect((await world.admin.request('DELETE', `/api/groups/${groupId}/members/${adminId}`)).status).toBe(
      404,
    );
    const listed = await world.admin.request('GET', '/api/groups');
    expect(listed.body.groups).toEqual([
      expect.objectContaining({ id: groupId, name: 'EMEA Sales', memberIds: [world.memberId] }),
    ]);

    // Every admin endpoint: members 403, nobody 401.
    const adminEndpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/users'],
      ['POST', '/api/users', { email: 'm2@example.com', name: 'M2', password: MEMBER_PASSWORD }],
      ['GET', `/api/users/${world.memberId}`],
      ['PATCH', `/api/users/${world.memberId}`, { role: 'admin' }],
      ['GET', '/api/groups'],
      ['POST', '/api/groups', { name: 'Mine' }],
      ['GET', `/api/groups/${groupId}`],
      ['PATCH', `/api/groups/${groupId}`, { name: 'Mine' }],
      ['PUT', `/api/groups/${groupId}/members`, { userIds: [] }],
      ['POST', `/api/groups/${groupId}/members`, { userId: world.memberId }],
      ['DELETE', `/api/groups/${groupId}/members/${world.memberId}`],
      ['DELETE', `/api/groups/${groupId}`],
    ];
    const anonymous = new ApiClient(world.test);
    for (const [method, path, body] of adminEndpoints) {
      const denied = await world.member.request(method, path, { body });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.body.error.code).toBe('forbidden');
      expect((await anonymous.request(method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
    expect((await world.member.request('GET', '/api/me')).body.user.role).toBe('member');
    expect((await world.admin.request('GET', `/api/groups/${groupId}`)).body.group.memberIds).toEqual([
      world.memberId,
    ]);

    expect((await world.admin.request('DELETE', `/api/groups/${groupId}`)).status).toBe(204);
    expect((await world.admin.request('DELETE', `/api/groups/${groupId}`)).status).toBe(404);
    expect(await principalsOf(world.test.store, world.memberId)).toEqual({
      userId: world.memberId,
      groupIds: [],
    });
  });

  it('audits group changes', async () => {
    await expectAudited(world.test.store, [
      'group.created',
      'group.renamed',
      'group.member_added',
      'group.members_replaced',
      'group.member_removed',
      'group.deleted',
    ]);
  });
});
