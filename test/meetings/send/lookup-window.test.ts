/**
 * The unknown-outcome lookup is complete for the window that can hold the record: more than 200
 * (and more than 2,000) activities by the same Salesforce user land on the record between the
 * attempt and its resolution, and the retry — and the background resolution — still find the one
 * record the attempt created, paging through the results. Seeded fast through the emulator's
 * sObject Collections API (200 records a call), as alice's Salesforce user.
 */
import { describe, expect, it } from 'vitest';
import { resolveInBackground } from '../../../src/meetings/send/send-resolution.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { aliceAccountTask, tasksWithSubject, useMeetingService } from '../service-fixture.ts';
import { countCalls, DATA, injectFault, newKey, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('the unknown-outcome lookup window (%s)', (dialect) => {
  let clock = Date.now();
  const world = useMeetingService(dialect, () => clock);

  /** `count` tasks by alice's Salesforce user on her Account, created now. */
  async function seedTasks(count: number, label: string): Promise<void> {
    const userId = world.emulator.org.userIdByUsername('alice@acme.demo')!;
    const token = world.emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
    for (let offset = 0; offset < count; offset += 200) {
      const records = Array.from({ length: Math.min(200, count - offset) }, (_, index) => ({
        attributes: { type: 'Task' },
        Subject: `${label} ${offset + index}`,
        Description: `Logged by someone else [ff:${String(offset + index).padStart(12, '0')}]`,
        WhatId: world.records.Account,
        Status: 'Completed',
      }));
      const response = await fetch(`${world.emulator.url}${DATA}/composite/sobjects`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ allOrNone: true, records }),
      });
      expect(response.status).toBe(200);
    }
  }

  /** A send whose record Salesforce created but whose answer, and the lookup after it, were lost. */
  async function unknownButCreated(subject: string, key: string) {
    await injectFault(world.emulator, 'drop-after');
    await injectFault(world.emulator, 'request-limit-exceeded', {
      method: 'GET',
      path: '/services/data/*/queryAll',
    });
    const first = await sendItem(
      world.alice,
      world.meetings.Harborview,
      'task-1',
      aliceAccountTask(world, { subject }, key),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(503);
    const created = await tasksWithSubject(world, subject);
    expect(created).toHaveLength(1);
    return { sendId: String(first.body.error.details.sendId), recordId: String(created[0].Id) };
  }

  it.each([
    [250, 1],
    [2_100, 2],
  ])('a retry finds its record under %i newer activities (%i lookup pages at most)', async (count, pages) => {
    const subject = `Buried under ${count} ${dialect}`;
    const key = newKey();
    const { recordId } = await unknownButCreated(subject, key);
    await seedTasks(count, `Other ${count}`);
    // Past the settle time: a lookup that missed the record would send a second one.
    clock += 60_000;
    let retry: Awaited<ReturnType<typeof sendItem>> | undefined;
    const calls = await countCalls(world.emulator, async () => {
      retry = await sendItem(
        world.alice,
        world.meetings.Harborview,
        'task-1',
        aliceAccountTask(world, { subject }, key),
      );
    });
    expect(retry?.status, JSON.stringify(retry?.body)).toBe(200);
    expect(retry?.body.send.salesforceId).toBe(recordId);
    expect(await tasksWithSubject(world, subject)).toHaveLength(1);
    // The query and its next pages only (2,000 rows a page), never a read per candidate.
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(pages + 1);
  });

  it('the background resolution finds an abandoned send under more than 2,000 activities', async () => {
    const subject = `Abandoned under many ${dialect}`;
    const { sendId, recordId } = await unknownButCreated(subject, newKey());
    await seedTasks(2_100, 'Other abandoned');
    clock += 60_000;
    const service = world.test.service;
    const status = await resolveInBackground(
      { ...service.context, meetings: service.services.meetings },
      sendId,
    );
    expect(status).toBe('succeeded');
    const row = await service.store.db
      .selectFrom('meeting_sends')
      .selectAll()
      .where('id', '=', sendId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'succeeded', salesforce_id: recordId });
  });
});
