/**
 * `hold` fault rules: a matching request is parked until a test releases it through the admin API,
 * so a test orders events by explicit signals instead of racing a latency against a timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../emulator/index.ts';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

afterEach(async () => {
  await admin('DELETE', '/faults');
});

/** Admin API answer; the body is whatever JSON the endpoint returns (the tests assert on its shape). */
// biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
type AdminAnswer = { status: number; body: any };

async function admin(method: string, adminPath: string, body?: unknown): Promise<AdminAnswer> {
  const response = await fetch(`${org.url}/__emulator${adminPath}`, {
    method,
    headers: {
      Authorization: `Bearer ${org.emulator.adminSecret}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function addRule(rule: FaultRule): Promise<void> {
  const added = await admin('POST', '/faults', rule);
  expect(added.status, JSON.stringify(added.body)).toBe(201);
}

function createTask(subject: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${org.dataUrl}/sobjects/Task`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${org.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Subject: subject }),
    signal,
  });
}

async function taskCount(subject: string): Promise<number> {
  const result = await org.api(
    `/query?q=${encodeURIComponent(`SELECT Id FROM Task WHERE Subject = '${subject}'`)}`,
  );
  expect(result.status).toBe(200);
  return result.body.totalSize;
}

/** Polls the admin API until `count` requests are parked (the signal a test waits for). */
async function untilHeld(count: number): Promise<Array<{ ruleId: string; method: string; path: string }>> {
  for (let poll = 0; poll < 1_000; poll++) {
    const { body } = await admin('GET', '/faults');
    if (body.held.length === count) return body.held;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never ${count} parked requests`);
}

const TASK_PATH = '/services/data/*/sobjects/Task';

describe('hold fault rules', () => {
  it('parks a matching request until it is released; then it is processed normally', async () => {
    await addRule({ id: 'park', method: 'POST', path: TASK_PATH, kind: 'latency', hold: true, times: 1 });
    const answer = createTask('Held create');
    const held = await untilHeld(1);
    expect(held).toEqual([
      expect.objectContaining({
        ruleId: 'park',
        method: 'POST',
        path: expect.stringMatching(/\/sobjects\/Task$/),
      }),
    ]);
    // Parked before processing: nothing written yet; the `times: 1` rule retired as it fired.
    expect(await taskCount('Held create')).toBe(0);
    expect((await admin('GET', '/faults')).body.rules).toEqual([]);
    // A second create is not held (the rule retired).
    expect((await createTask('Not held')).status).toBe(201);

    expect(await admin('POST', '/faults/park/release')).toEqual({ status: 200, body: { released: 1 } });
    expect((await answer).status).toBe(201);
    expect(await taskCount('Held create')).toBe(1);
    expect((await admin('GET', '/faults')).body.held).toEqual([]);
    // Nothing left to release and no such rule any more.
    expect((await admin('POST', '/faults/park/release')).status).toBe(404);
  });

  it('a released request still gets its fault: hold + drop-before drops it unprocessed', async () => {
    await addRule({ id: 'park-drop', method: 'POST', path: TASK_PATH, kind: 'drop-before', hold: true });
    const answer = createTask('Held then dropped').then(
      () => 'answered',
      () => 'dropped',
    );
    await untilHeld(1);
    expect((await admin('POST', '/faults/park-drop/release')).body).toEqual({ released: 1 });
    expect(await answer).toBe('dropped');
    expect(await taskCount('Held then dropped')).toBe(0);
    // The rule stays in force (no `times`): releasing answers 0 rather than 404.
    expect(await admin('POST', '/faults/park-drop/release')).toEqual({ status: 200, body: { released: 0 } });
  });

  it('a request whose client went away while parked is processed once released (Salesforce finishes it)', async () => {
    await addRule({
      id: 'park-orphan',
      method: 'POST',
      path: TASK_PATH,
      kind: 'latency',
      hold: true,
      times: 1,
    });
    const client = new AbortController();
    const answer = createTask('Orphaned create', client.signal).catch((error: unknown) => error);
    await untilHeld(1);
    client.abort();
    expect(await answer).toBeInstanceOf(Error);
    expect(await taskCount('Orphaned create')).toBe(0);
    expect((await admin('POST', '/faults/release')).body).toEqual({ released: 1 });
    // The release is the signal; the write follows it without a client to answer.
    for (let poll = 0; poll < 1_000 && (await taskCount('Orphaned create')) === 0; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await taskCount('Orphaned create')).toBe(1);
  });

  it('deleting the rules lets parked requests go on; removing one rule releases its own', async () => {
    await addRule({ id: 'one', method: 'POST', path: TASK_PATH, kind: 'latency', hold: true, times: 1 });
    const first = createTask('Released by delete');
    await untilHeld(1);
    expect((await admin('DELETE', '/faults/one')).status).toBe(204);
    expect((await first).status).toBe(201);

    await addRule({ id: 'two', method: 'POST', path: TASK_PATH, kind: 'latency', hold: true });
    const second = createTask('Released by clear');
    await untilHeld(1);
    expect((await admin('DELETE', '/faults')).status).toBe(204);
    expect((await second).status).toBe(201);
    expect((await admin('POST', '/faults/nope/release')).status).toBe(404);
  });

  it('validation: a latency rule may hold instead of delaying; hold must be a boolean', async () => {
    expect((await admin('POST', '/faults', { path: '/**', kind: 'latency' })).status).toBe(400);
    const bad = await admin('POST', '/faults', { path: '/**', kind: 'latency', hold: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('hold');
    expect((await admin('POST', '/faults', { path: '/never/**', kind: 'latency', hold: true })).status).toBe(
      201,
    );
  });
});
