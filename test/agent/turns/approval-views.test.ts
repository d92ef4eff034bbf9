import { describe, expect, it } from 'vitest';
import { approvalOf, createAgent, decide, say, startConversation } from '../../support/agents.ts';
import { callThenAnswer } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { emulatorCounters, orgCall, orgCreate, routeDelta } from '../org-calls.ts';

/**
 * How a conversation shows its approvals when read back (GET /api/conversations/:id): a pending
 * card keeps its diff when the memory no longer has it (the values are read live again, never
 * stored), and a decided one says who decided and when.
 */

const retrieveRoute = 'GET /services/data/vXX.X/sobjects/{type}/{id}';

describe.each(STORE_DIALECTS)('approvals read back (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('a pending card keeps its diff after the memory lost it: the current values are read live again', async () => {
    const { emulator, board, alice, bob, test } = chat;
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Quarterly review', Priority: 'Normal' });
    board.set(
      'mock-views-update',
      callThenAnswer([
        {
          toolName: 'update_record',
          input: { objectType: 'Task', id: taskId, fields: { Priority: 'High' } },
        },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-views-update' } });
    const conversation = await startConversation(bob, agentId);
    const asked = approvalOf(await say(bob, conversation, 'Make the review urgent'));
    expect(asked.currentValues).toEqual({ Priority: 'Normal' });

    // As after a restart, or on another instance: this process no longer holds the conversation.
    test.service.services.agent.memory.forget(conversation);
    expect((await orgCall(emulator, 'PATCH', `/sobjects/Task/${taskId}`, { Priority: 'Low' })).status).toBe(
      204,
    );
    const before = await emulatorCounters(emulator);
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    expect(view.status).toBe(200);
    expect(view.body.live).toBe(false);
    expect(view.body.pendingApprovals).toHaveLength(1);
    expect(view.body.pendingApprovals[0]).toMatchObject({
      approvalId: asked.approvalId,
      tool: 'update_record',
      objectType: 'Task',
      recordId: taskId,
      inputHash: asked.inputHash,
      input: { objectType: 'Task', id: taskId, fields: { Priority: 'High' } },
      // Read now: the record as it is today, not as it was when the card was first shown.
      currentValues: { Priority: 'Low' },
      status: 'pending',
    });
    expect(routeDelta(before, await emulatorCounters(emulator), retrieveRoute)).toBe(1);
  });

  it('decided approvals name who decided and when, for approve and reject', async () => {
    const { emulator, board, alice, bob, test } = chat;
    const first = await orgCreate(emulator, 'Task', { Subject: 'First', Priority: 'Normal' });
    const second = await orgCreate(emulator, 'Task', { Subject: 'Second', Priority: 'Normal' });
    let next = first;
    board.set(
      'mock-views-decided',
      callThenAnswer(() => [
        { toolName: 'update_record', input: { objectType: 'Task', id: next, fields: { Priority: 'High' } } },
      ]),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-views-decided' },
    });
    const conversation = await startConversation(bob, agentId);
    const approveMe = approvalOf(await say(bob, conversation, 'Raise the first'));
    const decidedAt = new Date(test.clock.now).toISOString();
    expect((await decide(bob, conversation, approveMe, 'approve')).status).toBe(200);
    next = second;
    const rejectMe = approvalOf(await say(bob, conversation, 'Raise the second'));
    expect((await decide(bob, conversation, rejectMe, 'reject', 'Not now')).status).toBe(200);

    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    expect(view.body.pendingApprovals).toEqual([]);
    const bobId = (await bob.call('GET', '/api/me')).body.user.id;
    expect(view.body.decidedApprovals).toEqual([
      expect.objectContaining({
        approvalId: approveMe.approvalId,
        status: 'approved',
        decidedAt,
        decidedBy: { id: bobId, name: expect.stringMatching(/Bob/) },
        execution: 'executed',
      }),
      expect.objectContaining({
        approvalId: rejectMe.approvalId,
        status: 'rejected',
        decidedBy: { id: bobId, name: expect.stringMatching(/Bob/) },
      }),
    ]);
    expect(view.body.decidedApprovals[1].decidedAt).toEqual(expect.any(String));
  });
});
