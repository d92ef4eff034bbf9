/**
 * Who may send from a meeting: the send's one-statement check of the meeting and its item (a
 * prepared query per role) against the meeting's visibility rules — creator, participant, a share
 * with the person or with one of their groups; admins see every meeting. Runs on SQLite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useMeetingService } from '../service-fixture.ts';
import { sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('who may send from a meeting (%s)', (dialect) => {
  const world = useMeetingService(dialect);

  it('lets a member send only while the meeting is shared with them or their group', async () => {
    // Carol's meeting: alice (an admin) is neither its creator nor a participant.
    const created = await world.carol.call('POST', '/api/meetings', {
      title: 'Send visibility review',
      startTime: '2027-03-01T15:00:00Z',
      endTime: '2027-03-01T15:30:00Z',
      participants: [{ name: 'Carol', email: 'carol@forcefield.demo', internal: true }],
      items: [{ kind: 'task', text: 'Follow up on the renewal.' }],
    });
    expect(created.status).toBe(201);
    const meetingId = created.body.meeting.id as string;
    const send = (itemId = '1') =>
      sendItem(world.bob, meetingId, itemId, {
        connectionId: world.bobConnection,
        kind: 'task',
        values: { subject: 'Visibility check', status: 'Not Started' },
        records: [{ type: 'Account', id: world.records.Account }],
      });
    const users = (await world.alice.call('GET', '/api/users')).body.users as Array<{
      id: string;
      email: string;
    }>;
    const bobId = users.find((user) => user.email === 'bob@forcefield.demo')!.id;

    // Neither creator, participant nor shared with: as if the meeting did not exist.
    const hidden = await send();
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');

    // Shared with a group bob is in.
    const group = await world.alice.call('POST', '/api/groups', { name: 'Send visibility' });
    expect(group.status).toBe(201);
    const groupId = group.body.group.id as string;
    expect((await world.alice.call('POST', `/api/groups/${groupId}/members`, { userId: bobId })).status).toBe(
      200,
    );
    const share = (shares: Array<{ type: string; id: string }>) =>
      world.carol.call('PUT', `/api/meetings/${meetingId}/shares`, { shares });
    expect((await share([{ type: 'group', id: groupId }])).status).toBe(200);
    expect((await send()).status).toBe(201);
    // A visible meeting without that item.
    const noItem = await send('99');
    expect(noItem.status).toBe(404);
    expect(noItem.body.error.message).toMatch(/item/i);

    // Shared with bob himself instead.
    expect((await share([{ type: 'user', id: bobId }])).status).toBe(200);
    expect((await send()).status).toBe(201);

    // No longer shared: refused again, and his group's membership alone does not help.
    expect((await share([])).status).toBe(200);
    expect((await send()).status).toBe(404);

    // An admin sends from any meeting, shared with them or not.
    const asAdmin = await sendItem(world.alice, meetingId, '1', {
      connectionId: world.aliceConnection,
      kind: 'task',
      values: { subject: 'Visibility check (admin)', status: 'Not Started' },
      records: [{ type: 'Account', id: world.records.Account }],
    });
    expect(asAdmin.status).toBe(201);
  });
});
