import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import { findApproval, openSealedCall, sealCall } from '../../../src/agent/store/approval-store.ts';
import { hashToolInput } from '../../../src/agent/turns/decide-approval.ts';
import {
  acquireTurnLock,
  advanceTurn,
  releaseTurnLock,
  renewTurnLock,
} from '../../../src/agent/turns/turn-lock.ts';
import type { AgentApprovalsTable } from '../../../src/store/agent-tables.ts';
import {
  type AgentTestService,
  approvalOf,
  createAgent,
  startAgentService,
  startConversation,
  useTwoAgentInstances,
} from '../../support/agents.ts';
import { logIn, type ServiceSession } from '../../support/connections.ts';
import { callThenAnswer, lastToolResults, ModelBoard } from '../../support/models.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../../support/store.ts';

/**
 * Several service instances on one database, as behind a load balancer without sticky sessions:
 * an approval paused on one instance is executed (once) by another, a conversation's turn is
 * locked across instances, and a client that drops mid-stream leaves no lock behind.
 */

const SECRET_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

async function orgToken(emulator: RunningEmulator): Promise<string> {
  const userId = emulator.org.userIdByUsername('bob@acme.demo')!;
  return emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
}

async function orgCreateTask(emulator: RunningEmulator, subject: string): Promise<string> {
  const response = await fetch(`${emulator.url}/services/data/v66.0/sobjects/Task`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await orgToken(emulator)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Subject: subject, Priority: 'Normal' }),
  });
  return ((await response.json()) as { id: string }).id;
}

async function orgTask(emulator: RunningEmulator, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}/services/data/v66.0/sobjects/Task/${id}`, {
    headers: { Authorization: `Bearer ${await orgToken(emulator)}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

async function patchCount(emulator: RunningEmulator): Promise<number> {
  const counters = (await fetch(`${emulator.url}/__emulator/counters`, {
    headers: { Authorization: `Bearer ${emulator.adminSecret}` },
  }).then((response) => response.json())) as { routes: Record<string, number> };
  return Object.entries(counters.routes)
    .filter(([route]) => route.startsWith('PATCH'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** A model that writes its first word, then waits for the test to open the gate before the rest. */
function gatedModel(words: string[]): { model: MockLanguageModelV4; open(): void } {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const model = new MockLanguageModelV4({
    doStream: async () => ({
      stream: new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
          controller.enqueue({ type: 'text-delta', id: 't', delta: words[0] });
          await gate;
          for (const word of words.slice(1)) controller.enqueue({ type: 'text-delta', id: 't', delta: word });
          controller.enqueue({ type: 'text-end', id: 't' });
          controller.enqueue({
            type: 'finish',
            finishReason: { unified: 'stop', raw: undefined },
            usage: {
              inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
              outputTokens: { total: 5, text: 5, reasoning: 0 },
            },
          });
          controller.close();
        },
      }),
    }),
  });
  return { model, open: () => open() };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(STORE_DIALECTS)('agent on two instances (%s)', (dialect) => {
  const board = new ModelBoard();
  const instances = useTwoAgentInstances(dialect, {
    board,
    environment: { FORCEFIELD_SECRET_KEY: SECRET_KEY },
  });
  let emulator: RunningEmulator;
  let first: AgentTestService;
  let second: AgentTestService;
  let alice: ServiceSession;
  let bob: ServiceSession;
  beforeAll(() => {
    ({ emulator, first, second, alice, bob } = instances);
  });

  /** The same session (cookies are shared between instances: sessions live in the database). */
  const on = (instance: AgentTestService, path: string) => `${instance.service.url}${path}`;
  const send = (instance: AgentTestService, conversation: string, text: string) =>
    bob.call('POST', on(instance, `/api/conversations/${conversation}/messages`), { text });
  const decideOn = (
    instance: AgentTestService,
    conversation: string,
    approval: { approvalId: string; inputHash: string },
  ) =>
    bob.call('POST', on(instance, `/api/conversations/${conversation}/approvals/${approval.approvalId}`), {
      decision: 'approve',
      inputHash: approval.inputHash,
    });

  it('an approval requested on one instance is executed once by another, then the chat goes on anywhere', async () => {
    const taskId = await orgCreateTask(emulator, 'Instances: call back');
    const description = 'Escalated across instances';
    const model = board.set(
      'mock-instances-approve',
      callThenAnswer(
        [
          {
            toolName: 'update_record',
            input: { objectType: 'Task', id: taskId, fields: { Priority: 'High', Description: description } },
          },
        ],
        'Updated.',
      ),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-instances-approve' },
    });
    const conversation = await startConversation(bob, agentId);
    const paused = await send(first, conversation, 'Escalate the call-back task');
    expect(paused.body.status).toBe('awaiting_approval');
    const approval = approvalOf(paused);

    // Pending: the call is in the row, encrypted and bound to it; the person's text is not readable.
    const row = await findApproval(first.service.store, approval.approvalId);
    expect(row?.sealed_call).toMatch(/^v1:k1:/);
    expect(JSON.stringify(row)).not.toContain(description);
    // Another message, on the other instance, still waits for the decision.
    expect((await send(second, conversation, 'hurry')).body.error.code).toBe('approval_pending');

    const patchesBefore = await patchCount(emulator);
    const approved = await decideOn(second, conversation, approval);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('complete');
    expect(approved.body.message.text).toBe('Updated.');
    expect(approved.body.message.steps[0]).toMatchObject({ tool: 'update_record', status: 'ok' });
    // The model, called on the second instance, got the call and its result.
    const prompt = model.doStreamCalls.at(-1)!.prompt;
    expect(lastToolResults(prompt)[0]).toMatchObject({
      toolName: 'update_record',
      value: { ok: true, id: taskId, updatedFields: ['Priority', 'Description'] },
    });
    expect(JSON.stringify(prompt)).toContain('Escalate the call-back task');

    // Replays on either instance: already decided, nothing runs again.
    for (const instance of [first, second, first]) {
      const replay = await decideOn(instance, conversation, approval);
      expect(replay.status).toBe(409);
      expect(replay.body.error.code).toBe('already_decided');
    }
    expect((await patchCount(emulator)) - patchesBefore).toBe(1);
    expect(await orgTask(emulator, taskId)).toMatchObject({ Priority: 'High', Description: description });
    // Decided: the sealed call is gone.
    expect((await findApproval(first.service.store, approval.approvalId))?.sealed_call).toBeNull();
    // The first instance's memory still holds the paused step; its view shows the stored outcome.
    const seenOnFirst = await bob.call('GET', on(first, `/api/conversations/${conversation}`));
    const steps = seenOnFirst.body.messages.flatMap((message: { steps: unknown[] }) => message.steps);
    expect(steps).toEqual([
      expect.objectContaining({ tool: 'update_record', status: 'ok', recordIds: [taskId] }),
    ]);
    // The call's audit, written by the instance that did not pause the turn, names its approval.
    const { events } = await second.service.context.audit.query({ action: 'agent.tool_call', limit: 500 });
    expect(events.filter((event) => event.detail.approvalId === approval.approvalId)).toHaveLength(1);

    // The first instance's memory of the conversation is stale now: it notices, and goes on.
    board.set('mock-instances-approve', () => ({ text: 'Anything else?' }));
    const next = await send(first, conversation, 'Thanks');
    expect(next.status).toBe(200);
    expect(next.body.message.text).toBe('Anything else?');
  });

  it('concurrent approvals through both instances: exactly one runs', async () => {
    const taskId = await orgCreateTask(emulator, 'Instances: race');
    board.set(
      'mock-instances-race',
      callThenAnswer([
        {
          toolName: 'update_record',
          input: { objectType: 'Task', id: taskId, fields: { Priority: 'High' } },
        },
      ]),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-instances-race' },
    });
    const conversation = await startConversation(bob, agentId);
    const approval = approvalOf(await send(first, conversation, 'Raise it'));
    const patchesBefore = await patchCount(emulator);
    const clicks = await Promise.all(
      [first, second, first, second, second, first].map((instance) =>
        decideOn(instance, conversation, approval),
      ),
    );
    const statuses = clicks.map((click) => click.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect((await patchCount(emulator)) - patchesBefore).toBe(1);
  });

  it('one turn at a time per conversation across instances: the other gets 409 turn_in_progress', async () => {
    const gated = gatedModel(['Thinking ', 'it ', 'over.']);
    board.use('mock-instances-slow', gated.model);
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-instances-slow' },
    });
    const conversation = await startConversation(bob, agentId);
    const running = send(first, conversation, 'Take your time');
    await until(() => gated.model.doStreamCalls.length === 1, 'the first turn to reach the model');
    for (const instance of [second, first]) {
      const refused = await send(instance, conversation, 'Me too');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('turn_in_progress');
    }
    gated.open();
    const done = await running;
    expect(done.status).toBe(200);
    expect(done.body.message.text).toBe('Thinking it over.');
    expect(gated.model.doStreamCalls).toHaveLength(1);
    // Released: the other instance can take the next turn.
    board.set('mock-instances-slow', () => ({ text: 'Next.' }));
    const next = await send(second, conversation, 'Again');
    expect(next.status).toBe(200);
    expect(next.body.message.text).toBe('Next.');
  });

  it('a client that drops mid-stream: the turn finishes and is saved, the conversation says it runs until then, and the lock is released', async () => {
    const gated = gatedModel(['Partial ', 'answer ', 'finished.']);
    board.use('mock-instances-drop', gated.model);
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-instances-drop' },
    });
    const conversation = await startConversation(bob, agentId);
    const aborter = new AbortController();
    const response = await bob.browser.fetch(on(first, `/api/conversations/${conversation}/messages`), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        'X-CSRF-Token': bob.csrfToken,
      },
      body: JSON.stringify({ text: 'Stream please' }),
      signal: aborter.signal,
    });
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('event: text')) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error('stream ended early');
      received += new TextDecoder().decode(chunk.value);
    }
    // The person closes the tab while the answer is flowing.
    aborter.abort();
    await reader.read().catch(() => undefined);
    // Either instance tells a client that stopped reading that the turn still runs.
    for (const instance of [first, second]) {
      const running = await bob.call('GET', on(instance, `/api/conversations/${conversation}`));
      expect(running.body.turnRunning).toBe(true);
    }
    gated.open();

    const lockFree = async () =>
      (
        await first.service.store.db
          .selectFrom('conversations')
          .select('turn_owner')
          .where('id', '=', conversation)
          .executeTakeFirstOrThrow()
      ).turn_owner === null;
    await until(lockFree, 'the turn to end');
    const view = await bob.call('GET', on(first, `/api/conversations/${conversation}`));
    expect(view.status).toBe(200);
    expect(view.body.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'Partial answer finished.' });
    expect(view.body.turnRunning).toBe(false);
    board.set('mock-instances-drop', () => ({ text: 'Still here.' }));
    const next = await send(first, conversation, 'Are you there?');
    expect(next.status).toBe(200);
    expect(next.body.message.text).toBe('Still here.');
  });
});

describe.each(STORE_DIALECTS)('turn lock and sealed calls in the store (%s)', (dialect) => {
  let testStore: TestStore;
  let test: AgentTestService;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    test = await startAgentService(emulator, {
      store: testStore.store,
      environment: { FORCEFIELD_SECRET_KEY: SECRET_KEY },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await testStore?.dispose();
    await emulator?.stop();
  });

  it('a lease excludes others until released or run out; only its holder renews or releases it', async () => {
    const { store } = test.service;
    const alice = await logIn(test.service.url, 'alice@forcefield.demo');
    const agentId = await createAgent(alice, {});
    const conversation = await startConversation(alice, agentId);
    const start = Date.parse('2026-03-02T10:00:00Z');
    const lease = await acquireTurnLock(store, conversation, start, 1000);
    expect(lease?.sequence).toBe(0);
    await advanceTurn(store, lease!);
    expect(lease?.sequence).toBe(1);
    expect(await acquireTurnLock(store, conversation, start + 999, 1000)).toBeUndefined();
    expect(await renewTurnLock(store, lease!, start + 500, 1000)).toBe(true);
    expect(await acquireTurnLock(store, conversation, start + 1499, 1000)).toBeUndefined();
    // The holder stopped renewing: after its lease, another turn may start (a crashed instance).
    const next = await acquireTurnLock(store, conversation, start + 1500, 1000);
    expect(next?.sequence).toBe(1);
    expect(await renewTurnLock(store, lease!, start + 1600, 1000)).toBe(false);
    await advanceTurn(store, lease!); // not the holder any more: counts nothing
    expect(lease?.sequence).toBe(1);
    await releaseTurnLock(store, lease!); // nor releases anything
    expect(await acquireTurnLock(store, conversation, start + 1700, 1000)).toBeUndefined();
    // A turn refused up front releases without counting.
    await releaseTurnLock(store, next!);
    expect((await acquireTurnLock(store, conversation, start + 1800, 1000))?.sequence).toBe(1);
  });

  it('a sealed call opens only in its own row, with the approved tool and input', () => {
    const { vault } = test.service.context;
    const input = { objectType: 'Task', fields: { Subject: 'Sealed' } };
    const good = {
      id: 'appr_1',
      tool_name: 'create_record',
      input_hash: hashToolInput(input),
      sealed_call: sealCall(vault, 'appr_1', { toolName: 'create_record', input }) as string | null,
    };
    const open = (changes: Partial<typeof good>) =>
      openSealedCall(vault, { ...good, ...changes } as unknown as AgentApprovalsTable);
    expect(open({})).toEqual({ toolName: 'create_record', input });
    expect(open({ id: 'appr_2' })).toBeUndefined();
    expect(open({ tool_name: 'delete_record' })).toBeUndefined();
    expect(open({ input_hash: '0'.repeat(64) })).toBeUndefined();
    expect(open({ sealed_call: null })).toBeUndefined();
  });
});
