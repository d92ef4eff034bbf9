/**
 * Meetings through the API: who sees them, creating, validating, sharing and deleting them. The HTTP
 * API of a running service against the emulator, every result read back from the emulator itself.
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceSession } from '../support/connections.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { useMeetingService } from './service-fixture.ts';
import { sendItem } from './support.ts';

describe.each(STORE_DIALECTS)('meetings and who sees them (%s)', (dialect) => {
  const world = useMeetingService(dialect);

  describe('meetings and who sees them', () => {
    it('seeds the demo meetings; members see the ones they took part in, admins all', async () => {
      const titles = async (session: ServiceSession) =>
        (await session.call('GET', '/api/meetings')).body.meetings
          .map((meeting: { title: string }) => meeting.title.split(' ')[0])
          .sort();
      expect(await titles(world.alice)).toEqual(['Harborview', 'Intro', 'Meridian', 'Pinecrest']);
      expect(await titles(world.bob)).toEqual(['Harborview', 'Intro', 'Meridian']);
      expect(await titles(world.carol)).toEqual(['Meridian', 'Pinecrest']);
      expect((await world.bob.call('GET', `/api/meetings/${world.meetings.Pinecrest}`)).status).toBe(404);
      const full = await world.carol.call('GET', `/api/meetings/${world.meetings.Pinecrest}`);
      expect(full.status).toBe(200);
      expect(new Set(full.body.meeting.items.map((item: { kind: string }) => item.kind))).toEqual(
        new Set(['insight', 'decision', 'next_step', 'task']),
      );
      // Nobody can send from a meeting they cannot see.
      const refused = await sendItem(world.bob, world.meetings.Pinecrest, 'task-1', {
        connectionId: world.bobConnection,
        kind: 'task',
        values: { subject: 'x' },
        records: [{ type: 'Account', id: world.records.Account }],
      });
      expect(refused.status).toBe(404);
    });

    it('creates meetings through the API, validates them, and shares them', async () => {
      const created = await world.bob.call('POST', '/api/meetings', {
        title: 'Internal pipeline review',
        startTime: '2027-02-01T15:00:00Z',
        endTime: '2027-02-01T15:30:00+00:00',
        participants: [{ name: 'Bob', email: 'bob@forcefield.demo', internal: true }],
        items: [
          { kind: 'decision', text: 'Focus on the Meridian renewal.' },
          { kind: 'task', text: 'Update forecasts.' },
        ],
      });
      expect(created.status).toBe(201);
      expect(created.body.meeting.items.map((item: { id: string }) => item.id)).toEqual(['1', '2']);
      const id = created.body.meeting.id;
      expect((await world.carol.call('GET', `/api/meetings/${id}`)).status).toBe(404);
      expect((await world.alice.call('GET', `/api/meetings/${id}`)).status).toBe(200);
      const invalid = await world.bob.call('POST', '/api/meetings', {
        title: 'Bad',
        startTime: '2027-02-01T15:00:00Z',
        endTime: '2027-02-01T14:00:00Z',
        participants: [],
        items: [{ kind: 'decision', text: 'x', dueDate: '2027-02-30' }],
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(
        expect.arrayContaining(['endTime', 'items.0.dueDate']),
      );
      // Carol is neither participant nor creator: she cannot share it (she cannot even see it).
      expect((await world.carol.call('PUT', `/api/meetings/${id}/shares`, { shares: [] })).status).toBe(404);
      const users = (await world.alice.call('GET', '/api/users')).body.users as Array<{
        id: string;
        email: string;
      }>;
      const carolId = users.find((user) => user.email === 'carol@forcefield.demo')!.id;
      const shared = await world.bob.call('PUT', `/api/meetings/${id}/shares`, {
        shares: [{ type: 'user', id: carolId }],
      });
      expect(shared.status).toBe(200);
      expect((await world.carol.call('GET', `/api/meetings/${id}`)).status).toBe(200);
      const groups = (await world.alice.call('GET', '/api/groups')).body.groups as Array<{ id: string }>;
      await world.bob.call('PUT', `/api/meetings/${id}/shares`, {
        shares: [{ type: 'group', id: groups[0].id }],
      });
      expect((await world.carol.call('GET', `/api/meetings/${id}`)).status).toBe(200);
      expect((await world.carol.call('DELETE', `/api/meetings/${id}`)).status).toBe(403);
      expect((await world.bob.call('DELETE', `/api/meetings/${id}`)).status).toBe(200);
      expect((await world.alice.call('GET', `/api/meetings/${id}`)).status).toBe(404);

      // Each change is audited once, by the person who made it; refused changes wrote nothing.
      const audited = async (action: string) =>
        (await world.alice.call('GET', `/api/audit?action=${action}`)).body.events.filter(
          (event: { detail: { meetingId?: string } }) => event.detail.meetingId === id,
        );
      const bobId = users.find((user) => user.email === 'bob@forcefield.demo')!.id;
      const by = { actorUserId: bobId, outcome: 'success' };
      expect(await audited('meeting.created')).toEqual([
        expect.objectContaining({ ...by, detail: { meetingId: id, items: 2, participants: 1 } }),
      ]);
      expect(await audited('meeting.shared')).toEqual([
        expect.objectContaining({ ...by, detail: { meetingId: id, shares: 1 } }),
        expect.objectContaining({ ...by, detail: { meetingId: id, shares: 1 } }),
      ]);
      expect(await audited('meeting.deleted')).toEqual([
        expect.objectContaining({ ...by, detail: { meetingId: id } }),
      ]);
    });
  });
});
