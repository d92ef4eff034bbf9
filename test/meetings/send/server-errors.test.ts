/**
 * A Salesforce server error on the create is an unknown outcome, never a refusal: a 500 with
 * Salesforce's JSON `UNKNOWN_EXCEPTION` body, an HTML 502/503 from its edge, a dropped connection.
 * The send is looked up, the client is told to retry (503 with Retry-After), a retry inside the
 * settle window answers "outcome unknown" again without sending, and once settled the retry sends
 * exactly once. Transient refusals (UNABLE_TO_LOCK_ROW, the API limit) answer a retryable 503, not
 * `invalid_send`. The service's clock only moves when the test moves it.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS } from '../../support/store.ts';
import { aliceAccountTask, tasksWithSubject, useMeetingService } from '../service-fixture.ts';
import { countCalls, injectFault, newKey, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('server errors on a send (%s)', (dialect) => {
  let clock = Date.now();
  const world = useMeetingService(dialect, () => clock);

  const journalRow = (key: string) =>
    world.test.service.store.db
      .selectFrom('meeting_sends')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();

  it.each([
    ['http-500', 'a 500 with a JSON UNKNOWN_EXCEPTION body'],
    ['http-502', 'an HTML 502 from the edge'],
    ['http-503', 'an HTML 503 from the edge'],
    ['drop-before', 'a connection dropped before Salesforce read the request'],
  ])('%s (%s): unknown, looked up, never re-sent inside the settle window', async (fault) => {
    const subject = `Server error ${fault} ${dialect}`;
    const key = newKey();
    const body = aliceAccountTask(world, { subject, status: 'Not Started' }, key);
    await injectFault(world.emulator, fault);
    const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(first.status, JSON.stringify(first.body)).toBe(503);
    expect(first.body.error.code).toBe('send_outcome_unknown');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await journalRow(key)).status).toBe('unknown');

    // Inside the settle window: looked up again (one query), nothing sent.
    let retry: Awaited<ReturnType<typeof sendItem>> | undefined;
    const calls = await countCalls(world.emulator, async () => {
      retry = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    });
    expect(retry?.status, JSON.stringify(retry?.body)).toBe(503);
    expect(retry?.body.error.code).toBe('send_outcome_unknown');
    expect(retry?.headers.get('retry-after')).not.toBeNull();
    expect(calls).toBe(1);
    expect(await tasksWithSubject(world, subject)).toHaveLength(0);

    // Settled: the retry sends, once; a further retry replays it.
    clock += 60_000;
    const settled = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(settled.status, JSON.stringify(settled.body)).toBe(201);
    const again = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(again.status).toBe(200);
    expect(again.body.send.salesforceId).toBe(settled.body.send.salesforceId);
    expect(await tasksWithSubject(world, subject)).toHaveLength(1);
  });

  it("logs a short summary of Salesforce's answer, never its HTML page", async () => {
    const key = newKey();
    const body = aliceAccountTask(world, { subject: `Logged 502 ${dialect}` }, key);
    const before = world.test.logs.length;
    await injectFault(world.emulator, 'http-502');
    const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(first.status).toBe(503);
    const lines = world.test.logs.slice(before).filter((line) => line.includes('meeting send'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toMatch(/<html|<\/body>|<center>/i);
      expect(line.length).toBeLessThan(1_000);
      expect(JSON.parse(line).salesforce).toMatchObject({ errorCode: 'ERROR_HTTP_502', status: 502 });
    }
  });

  it('a 500 after Salesforce committed is found by the lookup: one record, never a 422', async () => {
    const subject = `Committed then 500 ${dialect}`;
    const key = newKey();
    // drop-after commits and then fails the response; the UNKNOWN_EXCEPTION 500 body is checked above.
    await injectFault(world.emulator, 'drop-after');
    const first = await sendItem(
      world.alice,
      world.meetings.Harborview,
      'task-1',
      aliceAccountTask(world, { subject }, key),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(await tasksWithSubject(world, subject)).toHaveLength(1);
  });

  it.each([
    ['unable-to-lock-row', 'UNABLE_TO_LOCK_ROW'],
    ['request-limit-exceeded', 'REQUEST_LIMIT_EXCEEDED'],
  ])('%s: a retryable 503 with Retry-After, the row failed, and the retry sends', async (fault, reason) => {
    const subject = `Transient ${fault} ${dialect}`;
    const key = newKey();
    const body = aliceAccountTask(world, { subject }, key);
    await injectFault(world.emulator, fault);
    const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(first.status, JSON.stringify(first.body)).toBe(503);
    expect(first.body.error).toMatchObject({ code: 'send_retryable', details: { reason } });
    expect(Number(first.headers.get('retry-after'))).toBe(first.body.error.details.retryAfterSeconds);
    expect((await journalRow(key)).status).toBe('failed');
    const retry = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(await tasksWithSubject(world, subject)).toHaveLength(1);
  });
});
