import { describe, expect, it } from 'vitest';
import {
  findApproval,
  finishExecution,
  settleApproval,
  startSending,
  takeOverExecution,
} from '../../../src/agent/store/approval-store.ts';
import { approvalOf, createAgent, say, startConversation } from '../../support/agents.ts';
import { callThenAnswer } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';

/**
 * The compare-and-sets that make a decision and an execution stick exactly once, reached directly
 * (the click tests over HTTP stop earlier, at the turn lock): a second settle, a second start, a
 * second finish and a second take-over all fail, and the row keeps the first.
 */
describe.each(STORE_DIALECTS)('approval compare-and-sets (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  async function pendingApproval(modelId: string): Promise<string> {
    const { board, alice, bob } = chat;
    board.set(
      modelId,
      callThenAnswer([
        { toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: 'CAS' } } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId } });
    const conversation = await startConversation(bob, agentId);
    return approvalOf(await say(bob, conversation, 'Create it')).approvalId;
  }

  it('settling twice fails the second time, sequentially and concurrently; the first decision stays', async () => {
    const { store } = chat.test.service;
    const first = await pendingApproval('mock-cas-sequential');
    const at = new Date('2026-03-02T10:00:00Z');
    expect(await settleApproval(store, first, 'rejected', at)).toBe(true);
    expect(await settleApproval(store, first, 'approved', new Date(at.getTime() + 1), at)).toBe(false);
    expect(await settleApproval(store, first, 'expired', new Date(at.getTime() + 2))).toBe(false);
    expect(await findApproval(store, first)).toMatchObject({
      status: 'rejected',
      consumed: 0,
      execution: null,
      decided_at: at.toISOString(),
    });

    const second = await pendingApproval('mock-cas-concurrent');
    const wins = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        settleApproval(
          store,
          second,
          index % 2 ? 'rejected' : 'approved',
          at,
          new Date(at.getTime() + 60_000),
        ),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const row = await findApproval(store, second);
    expect(['approved', 'rejected']).toContain(row?.status);
    // An approval is claimed for execution in the same update; a rejection never is.
    expect(row?.execution).toBe(row?.status === 'approved' ? 'claimed' : null);
  });

  it('an execution starts once, is taken over by one resolver, and is finished once', async () => {
    const { store } = chat.test.service;
    const id = await pendingApproval('mock-cas-execution');
    const at = Date.parse('2026-03-02T10:00:00Z');
    expect(await settleApproval(store, id, 'approved', new Date(at), new Date(at + 1000))).toBe(true);
    expect(await startSending(store, id, at + 10, at + 2000)).toBe(true);
    expect(await startSending(store, id, at + 20, at + 2000)).toBe(false);
    const row = (await findApproval(store, id))!;
    const takeOvers = await Promise.all([1, 2, 3].map(() => takeOverExecution(store, row, at + 5000)));
    expect(takeOvers.filter(Boolean)).toHaveLength(1);
    const lease = takeOvers.find(Boolean)!;
    const final = { state: 'executed' as const, recordIds: ['00T000000000001AAA'], errorCode: null };
    // A resolver holding a lease it no longer has cannot finish it.
    expect(
      await finishExecution(store, id, final, {
        states: ['resolving'],
        leaseUntil: row.execution_lease_until!,
      }),
    ).toBe(false);
    const finishes = await Promise.all([
      finishExecution(store, id, final, { states: ['resolving'], leaseUntil: lease }),
      finishExecution(
        store,
        id,
        { ...final, state: 'failed', recordIds: [] },
        { states: ['sending', 'resolving'] },
      ),
    ]);
    expect(finishes.filter(Boolean)).toHaveLength(1);
    expect(await finishExecution(store, id, final, { states: ['sending', 'resolving'] })).toBe(false);
    expect((await findApproval(store, id))?.sealed_call).toBeNull();
  });
});
