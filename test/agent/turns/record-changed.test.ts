import { describe, expect, it } from 'vitest';
import { approvalOf, createAgent, decide, say, startConversation } from '../../support/agents.ts';
import { callThenAnswer } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { emulatorCounters, orgCall, orgCreate, orgQuery, routeDelta } from '../org-calls.ts';

/**
 * An approved update or delete runs only if the record is still as the person saw it: the write is
 * sent with the version read for the card (If-Match), Salesforce (the emulator) answers 412 when
 * someone changed the record in between, nothing is overwritten, and the person is asked again
 * with the record's new values.
 */

const patchRoute = 'PATCH /services/data/vXX.X/sobjects/{type}/{id}';
const deleteRoute = 'DELETE /services/data/vXX.X/sobjects/{type}/{id}';

describe.each(STORE_DIALECTS)('an approved write whose record changed meanwhile (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('update: 412, nothing written, asked again with the new values; approving again writes once', async () => {
    const { emulator, board, alice, bob, auditEvents } = chat;
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Call back', Priority: 'Normal' });
    board.set(
      'mock-changed-update',
      callThenAnswer(
        [
          {
            toolName: 'update_record',
            input: { objectType: 'Task', id: taskId, fields: { Priority: 'High' } },
          },
        ],
        'Raised the priority.',
      ),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-changed-update' },
    });
    const conversation = await startConversation(bob, agentId);
    const first = approvalOf(await say(bob, conversation, 'Raise the call-back task'));
    expect(first.currentValues).toEqual({ Priority: 'Normal' });

    // Someone edits the record in Salesforce between the card and Approve.
    expect((await orgCall(emulator, 'PATCH', `/sobjects/Task/${taskId}`, { Priority: 'Low' })).status).toBe(
      204,
    );

    const before = await emulatorCounters(emulator);
    const approved = await decide(bob, conversation, first, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('awaiting_approval');
    // The conditional PATCH went out once and was refused: the other person's edit stands.
    expect(routeDelta(before, await emulatorCounters(emulator), patchRoute)).toBe(1);
    const unchanged = await orgQuery(emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`);
    expect(unchanged.records[0].Priority).toBe('Low');

    // Asked again: a new approval for the same call, with the values as they are now.
    const again = approvalOf(approved);
    expect(again.approvalId).not.toBe(first.approvalId);
    expect(again).toMatchObject({
      tool: 'update_record',
      toolCallId: first.toolCallId,
      recordId: taskId,
      inputHash: first.inputHash,
      currentValues: { Priority: 'Low' },
      recordChanged: true,
      status: 'pending',
    });
    const step = approved.body.message.steps.find((entry: { id: string }) => entry.id === first.toolCallId);
    expect(step).toMatchObject({
      status: 'awaiting_approval',
      approvalId: again.approvalId,
      code: 'record_changed',
    });

    // The stored conversation shows the new approval pending, the used one no longer.
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    const pendingIds = view.body.pendingApprovals.map((entry: { approvalId: string }) => entry.approvalId);
    expect(pendingIds).toEqual([again.approvalId]);
    expect(view.body.decidedApprovals).toEqual([
      expect.objectContaining({
        approvalId: first.approvalId,
        status: 'approved',
        execution: 'failed',
        code: 'record_changed',
      }),
    ]);

    // The first approval stays single-use.
    const replay = await decide(bob, conversation, first, 'approve');
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('already_decided');

    // The refusal is audited: the tool call failed with Salesforce's code, then a new request.
    const failures = (await auditEvents('agent.tool_call')).filter(
      (event) => event.detail.conversationId === conversation,
    );
    expect(failures.map((event) => [event.outcome, event.errorCode])).toEqual([
      ['failure', 'PRECONDITION_FAILED'],
    ]);
    const requested = (await auditEvents('agent.approval.requested')).filter(
      (event) => event.detail.conversationId === conversation,
    );
    expect(requested.map((event) => event.detail.approvalId).sort()).toEqual(
      [first.approvalId, again.approvalId].sort(),
    );

    // Approving the new card writes, exactly once, and the model goes on.
    const second = await decide(bob, conversation, again, 'approve');
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('complete');
    expect(second.body.message.text).toContain('Raised the priority.');
    const after = await emulatorCounters(emulator);
    expect(routeDelta(before, after, patchRoute)).toBe(2);
    const written = await orgQuery(emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`);
    expect(written.records[0].Priority).toBe('High');
    const successes = (await auditEvents('agent.tool_call')).filter(
      (event) => event.detail.conversationId === conversation && event.outcome === 'success',
    );
    expect(successes).toHaveLength(1);
  });

  it('delete: a record edited after the card is not deleted; the new card deletes it once', async () => {
    const { emulator, board, alice, bob } = chat;
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Old follow-up', Priority: 'Low' });
    board.set(
      'mock-changed-delete',
      callThenAnswer([{ toolName: 'delete_record', input: { objectType: 'Task', id: taskId } }]),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-changed-delete' },
      connector: { permissions: { delete_record: 'needs_approval' } },
    });
    const conversation = await startConversation(bob, agentId);
    const first = approvalOf(await say(bob, conversation, 'Delete the old follow-up'));
    expect(first.currentValues).toMatchObject({ Subject: 'Old follow-up' });
    expect(
      (await orgCall(emulator, 'PATCH', `/sobjects/Task/${taskId}`, { Subject: 'Keep this one' })).status,
    ).toBe(204);

    const before = await emulatorCounters(emulator);
    const approved = await decide(bob, conversation, first, 'approve');
    expect(approved.body.status).toBe('awaiting_approval');
    expect(routeDelta(before, await emulatorCounters(emulator), deleteRoute)).toBe(1);
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(1);
    const again = approvalOf(approved);
    expect(again.currentValues).toMatchObject({ Subject: 'Keep this one' });
    expect(again.recordChanged).toBe(true);

    const second = await decide(bob, conversation, again, 'approve');
    expect(second.body.status).toBe('complete');
    expect(routeDelta(before, await emulatorCounters(emulator), deleteRoute)).toBe(2);
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(0);
  });
});
