/**
 * The periodic resolver, on every instance: sends left `pending` by an instance that died (and is
 * not replaced) end final without a restart — found when Salesforce has the record, `not_sent`
 * when it does not — and two instances resolving at once resolve each send once. "Instances" are
 * meeting runtimes of their own on one store; the dead one's rows are what a killed process
 * leaves: pending, its lease run out. The service's clock only moves when the test moves it.
 */
import { describe, expect, it } from 'vitest';
import { createMeetingRuntime, type MeetingContext } from '../../../src/meetings/meeting-runtime.ts';
import { startSendResolver, sweepUnfinishedSends } from '../../../src/meetings/send/send-resolution.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { aliceAccountTask, tasksWithSubject, useMeetingService } from '../service-fixture.ts';
import { injectFault, newKey, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('the periodic send resolver (%s)', (dialect) => {
  let clock = Date.now();
  const world = useMeetingService(dialect, () => clock);

  /** Another instance on the same store, with its own runtime (nothing in flight, its own id). */
  function otherInstance(resolverIntervalMs = 10_000): MeetingContext {
    const { context } = world.test.service;
    return {
      ...context,
      meetings: createMeetingRuntime({
        now: () => clock,
        settleMs: 300,
        writeTimeoutMs: 15_000,
        resolverIntervalMs,
      }),
    };
  }

  /**
   * A send left as a killed instance leaves it: the create ran (`drop-after`: Salesforce committed)
   * or never arrived (`drop-before`), and the holder died before finishing the row.
   */
  async function leftByDeadInstance(fault: 'drop-after' | 'drop-before', subject: string) {
    await injectFault(world.emulator, fault);
    await injectFault(world.emulator, 'request-limit-exceeded', {
      method: 'GET',
      path: '/services/data/*/queryAll',
    });
    const key = newKey();
    const answer = await sendItem(
      world.alice,
      world.meetings.Harborview,
      'task-1',
      aliceAccountTask(world, { subject }, key),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    const sendId = String(answer.body.error.details.sendId);
    await world.test.service.store.db
      .updateTable('meeting_sends')
      .set({
        status: 'pending',
        owner_instance: 'dead-instance',
        lease_until: new Date(clock + 1_000).toISOString(),
        completed_at: null,
      })
      .where('id', '=', sendId)
      .execute();
    return { sendId, key };
  }

  const rowOf = (sendId: string) =>
    world.test.service.store.db
      .selectFrom('meeting_sends')
      .selectAll()
      .where('id', '=', sendId)
      .executeTakeFirstOrThrow();

  it('leaves a live lease alone, then takes over once it expired and the write settled', async () => {
    const { sendId: created } = await leftByDeadInstance('drop-after', `Dead holder created ${dialect}`);
    const { sendId: never } = await leftByDeadInstance('drop-before', `Dead holder never sent ${dialect}`);
    const survivor = otherInstance();
    // The lease is live: the dead instance is presumed alive.
    await sweepUnfinishedSends(survivor);
    expect((await rowOf(created)).status).toBe('pending');
    clock += 20_000; // past the lease, the write timeout and the settle time
    // (The first instance's own resolver may take one of them first: either way, once.)
    await sweepUnfinishedSends(survivor);
    const tasks = await tasksWithSubject(world, `Dead holder created ${dialect}`);
    expect(tasks).toHaveLength(1);
    const row = await rowOf(created);
    expect(row).toMatchObject({ status: 'succeeded', salesforce_id: tasks[0].Id });
    expect(row.owner_instance).not.toBe('dead-instance');
    expect(await rowOf(never)).toMatchObject({ status: 'failed', error_code: 'not_sent' });
    expect(await tasksWithSubject(world, `Dead holder never sent ${dialect}`)).toHaveLength(0);
  });

  it('a retry while another instance holds the send: 409 send_in_progress with Retry-After, no waiting', async () => {
    const subject = `Held elsewhere ${dialect}`;
    const { sendId, key } = await leftByDeadInstance('drop-after', subject);
    await world.test.service.store.db
      .updateTable('meeting_sends')
      .set({ lease_until: new Date(clock + 4_500).toISOString() })
      .where('id', '=', sendId)
      .execute();
    const retry = await sendItem(
      world.alice,
      world.meetings.Harborview,
      'task-1',
      aliceAccountTask(world, { subject }, key),
    );
    expect(retry.status, JSON.stringify(retry.body)).toBe(409);
    expect(retry.body.error).toMatchObject({
      code: 'send_in_progress',
      details: { sendId, retryAfterSeconds: 5 },
    });
    expect(retry.headers.get('retry-after')).toBe('5');
    expect(await tasksWithSubject(world, subject)).toHaveLength(1);
  });

  it('two instances sweeping at once resolve each send exactly once', async () => {
    const sendIds = [
      (await leftByDeadInstance('drop-after', `Raced resolution 1 ${dialect}`)).sendId,
      (await leftByDeadInstance('drop-after', `Raced resolution 2 ${dialect}`)).sendId,
    ];
    clock += 20_000;
    await Promise.all([sweepUnfinishedSends(otherInstance()), sweepUnfinishedSends(otherInstance())]);
    const { events } = await world.test.service.context.audit.query({ action: 'meeting.send.resolved' });
    for (const sendId of sendIds) {
      const row = await rowOf(sendId);
      expect(row.status).toBe('succeeded');
      const resolved = events.filter((event) => event.recordIds.includes(String(row.salesforce_id)));
      expect(resolved).toHaveLength(1);
    }
  });

  it('runs by itself on every instance: the row ends final without a request or a restart', async () => {
    const { sendId } = await leftByDeadInstance('drop-after', `Periodic ${dialect}`);
    clock += 20_000;
    const instance = otherInstance(50);
    startSendResolver(instance);
    try {
      // Polls the journal (the state under test), not a timer racing the resolver.
      for (let round = 0; round < 400 && (await rowOf(sendId)).status !== 'succeeded'; round++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await rowOf(sendId)).status).toBe('succeeded');
    } finally {
      instance.meetings.stopped = true;
      for (const timer of instance.meetings.timers) clearTimeout(timer);
    }
  });
});
