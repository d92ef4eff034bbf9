/**
 * Exactly once when the outcome is unknown: lost responses, failed lookups, requests that never
 * arrived. The HTTP API of a running service against the emulator, every result read back from the
 * emulator itself. Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { markerFor } from '../../../src/meetings/payloads/send-marker.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { aliceAccountTask, tasksWithSubject, useMeetingService } from '../service-fixture.ts';
import { injectFault, newKey, type SendBody, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('meeting sends with an unknown outcome (%s)', (dialect) => {
  // The service's clock: real time, or frozen where a test must know which side of the settle time
  // it is on — passing it is then a step of the clock, not a sleep racing a timer.
  const clock = {
    frozenAt: undefined as number | undefined,
    offsetMs: 0,
    now: (): number => clock.frozenAt ?? Date.now() + clock.offsetMs,
    freeze() {
      clock.frozenAt = clock.now();
    },
    thaw() {
      if (clock.frozenAt !== undefined) clock.offsetMs = Math.max(0, clock.frozenAt - Date.now());
      clock.frozenAt = undefined;
    },
  };
  const world = useMeetingService(dialect, () => clock.now());

  describe('exactly once', () => {
    const taskBody = (subject: string, key: string) =>
      aliceAccountTask(world, { subject, status: 'Not Started' }, key);
    const tasksNamed = (subject: string) => tasksWithSubject(world, subject);

    it('a response lost after Salesforce committed: found by its marker, never created twice', async () => {
      const subject = `Dropped ${dialect}`;
      const key = newKey();
      await injectFault(world.emulator, 'drop-after');
      const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      // The marker lookup right after the drop already finds the record.
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const retry = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(retry.status).toBe(200);
      expect(retry.body.send.salesforceId).toBe(first.body.send.salesforceId);
      const tasks = await tasksNamed(subject);
      expect(tasks.map((task) => task.Id)).toEqual([first.body.send.salesforceId]);
      const { events } = await world.test.service.context.audit.query({ action: 'meeting.send.resolved' });
      expect(events.some((event) => event.recordIds.includes(first.body.send.salesforceId))).toBe(true);
    });

    it('a lost response whose lookup fails too: unknown, then the retry returns the one record', async () => {
      const subject = `Dropped twice ${dialect}`;
      const key = newKey();
      await injectFault(world.emulator, 'drop-after');
      // jsforce retries GETs on 5xx; a 403 it does not.
      await injectFault(world.emulator, 'request-limit-exceeded', {
        method: 'GET',
        path: '/services/data/*/queryAll',
      });
      const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(first.status).toBe(503);
      expect(first.body.error).toMatchObject({
        code: 'send_outcome_unknown',
        details: { retryAfterSeconds: 1 },
      });
      const view = (await world.alice.call('GET', `/api/meetings/${world.meetings.Harborview}`)).body.meeting;
      const item = view.items.find((candidate: { id: string }) => candidate.id === 'task-1');
      expect(item.sends.some((send: { status: string }) => send.status === 'unknown')).toBe(true);
      const retry = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      const tasks = await tasksNamed(subject);
      expect(tasks.map((task) => task.Id)).toEqual([retry.body.send.salesforceId]);
    });

    it('a request that never reached Salesforce: after the settle time the retry sends it, once', async () => {
      const subject = `Dropped before ${dialect}`;
      const key = newKey();
      await injectFault(world.emulator, 'drop-before');
      clock.freeze();
      const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(first.status).toBe(503);
      expect(await tasksNamed(subject)).toHaveLength(0);
      // Still inside the settle time (300 ms): the retry must not send, the outcome stays unknown.
      const early = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(early.status, JSON.stringify(early.body)).toBe(503);
      expect(early.body.error.code).toBe('send_outcome_unknown');
      expect(await tasksNamed(subject)).toHaveLength(0);
      clock.frozenAt = (clock.frozenAt as number) + 301;
      const retry = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      clock.thaw();
      expect(retry.status, JSON.stringify(retry.body)).toBe(201);
      expect(await tasksNamed(subject)).toHaveLength(1);
      const marker = markerFor(
        `${(await world.test.service.store.db.selectFrom('users').select('id').where('email', '=', 'alice@forcefield.demo').executeTakeFirstOrThrow()).id}:${key}`,
      );
      const [task] = await world.org.query(
        `SELECT Description FROM Task WHERE Id = '${retry.body.send.salesforceId}'`,
      );
      expect(task.Description.endsWith(marker)).toBe(true);
    });

    it('an Enhanced Note whose response is lost is found by its content marker', async () => {
      const key = newKey();
      await injectFault(world.emulator, 'drop-after', { path: '/services/data/*/composite' });
      const body: SendBody = {
        connectionId: world.aliceConnection,
        kind: 'note',
        values: { title: `Dropped note ${dialect}`, body: 'Kept once.' },
        records: [{ type: 'Opportunity', id: world.records.Opportunity }],
        idempotencyKey: key,
      };
      const first = await sendItem(world.alice, world.meetings.Harborview, 'decision-1', body);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const retry = await sendItem(world.alice, world.meetings.Harborview, 'decision-1', body);
      expect(retry.body.send.salesforceId).toBe(first.body.send.salesforceId);
      expect(
        await world.org.query(`SELECT Id FROM ContentNote WHERE Title = 'Dropped note ${dialect}'`),
      ).toHaveLength(1);
    });
  });
});
