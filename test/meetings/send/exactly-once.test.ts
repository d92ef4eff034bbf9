/**
 * Exactly once: concurrent identical sends create one record. The HTTP API of a running service
 * against the emulator, every result read back from the emulator itself. Runs on SQLite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS } from '../../support/store.ts';
import { aliceAccountTask, tasksWithSubject, useMeetingService } from '../service-fixture.ts';
import { newKey, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('meeting sends exactly once (%s)', (dialect) => {
  const world = useMeetingService(dialect);

  describe('exactly once', () => {
    const taskBody = (subject: string, key: string) =>
      aliceAccountTask(world, { subject, status: 'Not Started' }, key);
    const tasksNamed = (subject: string) => tasksWithSubject(world, subject);

    it('20 concurrent identical sends create one record and all answer it', async () => {
      const subject = `Concurrent ${dialect}`;
      const key = newKey();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key)),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(19).fill(200), 201]);
      const ids = new Set(answers.map((answer) => answer.body.send.salesforceId));
      expect(ids.size).toBe(1);
      // The 19 duplicates are audited as replays of the one send, naming its record.
      const sendId = answers[0].body.send.id;
      const { events: replayed } = await world.test.service.context.audit.query({
        action: 'meeting.send.replayed',
        limit: 500,
      });
      const ofThisSend = replayed.filter(
        (event) => (event.detail as { sendId?: string } | null)?.sendId === sendId,
      );
      expect(ofThisSend).toHaveLength(19);
      expect(ofThisSend.every((event) => event.outcome === 'success')).toBe(true);
      expect(ofThisSend.every((event) => event.recordIds.join() === [...ids][0])).toBe(true);
      expect(await tasksNamed(subject)).toHaveLength(1);
      // A double click later: still the same record; the key with other values is refused.
      const again = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(again.status).toBe(200);
      expect(again.body.send.salesforceId).toBe([...ids][0]);
      const reused = await sendItem(
        world.alice,
        world.meetings.Harborview,
        'task-1',
        taskBody(`${subject} changed`, key),
      );
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
      expect(
        (
          await sendItem(world.bob, world.meetings.Harborview, 'task-1', {
            ...taskBody(subject, key),
            connectionId: world.bobConnection,
          })
        ).status,
      ).toBe(409);
    });
  });
});
