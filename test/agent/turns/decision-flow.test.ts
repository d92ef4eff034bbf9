import { describe, expect, it } from 'vitest';
import { approvalOf, createAgent, decide, say, startConversation } from '../../support/agents.ts';
import { callThenAnswer, lastToolResults } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { emulatorCounters, orgCall, orgCreate, orgQuery, routeDelta } from '../org-calls.ts';

/** Approve runs a call exactly once, reject tells the model, only the person chatting decides, expiry. */

describe.each(STORE_DIALECTS)('approval decisions in a chat (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('approve executes exactly once whatever the clicks and replays; the request shows current values', async () => {
    const { emulator, board, alice, bob, auditEvents } = chat;
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Call back', Priority: 'Normal' });
    board.set(
      'mock-once',
      callThenAnswer([
        {
          toolName: 'update_record',
          input: { objectType: 'Task', id: taskId, fields: { Priority: 'High', Description: 'Escalated' } },
        },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-once' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Escalate the call-back task');
    const approval = approvalOf(turn);
    expect(approval.currentValues).toEqual({ Priority: 'Normal', Description: null });
    expect(approval.recordId).toBe(taskId);
    // Another message while waiting is refused.
    expect((await say(bob, conversation, 'hurry')).status).toBe(409);
    // A decision for another input does not match.
    const wrongHash = await decide(bob, conversation, { ...approval, inputHash: '0'.repeat(64) }, 'approve');
    expect(wrongHash.status).toBe(409);
    expect(wrongHash.body.error.code).toBe('mismatch');

    const before = (await fetch(`${emulator.url}/__emulator/counters`, {
      headers: { Authorization: `Bearer ${emulator.adminSecret}` },
    }).then((response) => response.json())) as { routes: Record<string, number> };
    const clicks = await Promise.all([1, 2, 3, 4].map(() => decide(bob, conversation, approval, 'approve')));
    const statuses = clicks.map((click) => click.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const replay = await decide(bob, conversation, approval, 'approve');
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('already_decided');
    const after = (await fetch(`${emulator.url}/__emulator/counters`, {
      headers: { Authorization: `Bearer ${emulator.adminSecret}` },
    }).then((response) => response.json())) as { routes: Record<string, number> };
    const patchRoute = Object.keys(after.routes).find((route) => route.startsWith('PATCH'))!;
    expect(after.routes[patchRoute] - (before.routes[patchRoute] ?? 0)).toBe(1);
    const record = await orgQuery(emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`);
    expect(record.records[0].Priority).toBe('High');
    const approvals = await auditEvents('agent.approval.approved');
    expect(approvals.filter((event) => event.detail.approvalId === approval.approvalId)).toHaveLength(1);
  });

  it('a delete approval shows the record as it is now, read live; approving deletes it exactly once', async () => {
    const { emulator, board, alice, bob } = chat;
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Old follow-up', Priority: 'Low' });
    // Changed in Salesforce after creation: the request must show today's values, not older ones.
    const patched = await orgCall(emulator, 'PATCH', `/sobjects/Task/${taskId}`, {
      Subject: 'Follow-up renamed',
      Priority: 'High',
    });
    expect(patched.status).toBe(204);
    board.set(
      'mock-delete',
      callThenAnswer([{ toolName: 'delete_record', input: { objectType: 'Task', id: taskId } }]),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-delete' },
      connector: { permissions: { delete_record: 'needs_approval' } },
    });
    const conversation = await startConversation(bob, agentId);
    const retrieveRoute = 'GET /services/data/vXX.X/sobjects/{type}/{id}';
    const deleteRoute = 'DELETE /services/data/vXX.X/sobjects/{type}/{id}';
    const beforeRequest = await emulatorCounters(emulator);
    const turn = await say(bob, conversation, 'Delete the follow-up task');
    expect(turn.body.status).toBe('awaiting_approval');
    const approval = approvalOf(turn);
    expect(approval).toMatchObject({ tool: 'delete_record', objectType: 'Task', recordId: taskId });
    expect(approval.currentValues).toMatchObject({
      Id: taskId,
      Subject: 'Follow-up renamed',
      Priority: 'High',
    });
    const afterRequest = await emulatorCounters(emulator);
    // One live read for the request, and nothing deleted yet.
    expect(routeDelta(beforeRequest, afterRequest, retrieveRoute)).toBe(1);
    expect(routeDelta(beforeRequest, afterRequest, deleteRoute)).toBe(0);
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(1);
    // The same values are on the pending approval when the conversation is read back.
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    expect(JSON.stringify(view.body)).toContain('Follow-up renamed');

    const clicks = await Promise.all([1, 2, 3].map(() => decide(bob, conversation, approval, 'approve')));
    expect(clicks.filter((click) => click.status === 200)).toHaveLength(1);
    expect(clicks.every((click) => click.status === 200 || click.status === 409)).toBe(true);
    const replay = await decide(bob, conversation, approval, 'approve');
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('already_decided');
    const approved = clicks.find((click) => click.status === 200)!;
    expect(approved.body.message.steps[0]).toMatchObject({ tool: 'delete_record', status: 'ok' });
    const afterApproval = await emulatorCounters(emulator);
    expect(routeDelta(afterRequest, afterApproval, deleteRoute)).toBe(1);
    // Gone from Salesforce: not in query, and in queryAll as deleted.
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(0);
    const all = await orgCall(
      emulator,
      'GET',
      `/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Task WHERE Id = '${taskId}'`)}`,
    );
    expect(all.body.records).toHaveLength(1);
    expect(all.body.records[0].IsDeleted).toBe(true);
  });

  it('reject tells the model the person declined, with the reason', async () => {
    const { emulator, board, alice, bob, auditEvents } = chat;
    const model = board.set(
      'mock-reject',
      callThenAnswer(
        [{ toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: 'Never created' } } }],
        'Understood.',
      ),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-reject' } });
    const conversation = await startConversation(bob, agentId);
    const approval = approvalOf(await say(bob, conversation, 'Create a task'));
    const rejected = await decide(bob, conversation, approval, 'reject', 'Wrong account');
    expect(rejected.status).toBe(200);
    expect(rejected.body.message.steps[0].status).toBe('rejected');
    expect(lastToolResults(model.doStreamCalls[1].prompt)[0].value).toEqual({
      ok: false,
      errorCode: 'REJECTED_BY_USER',
      message: 'The person declined this action. Their reason: Wrong account',
    });
    expect((await decide(bob, conversation, approval, 'approve')).status).toBe(409);
    expect((await orgQuery(emulator, "SELECT Id FROM Task WHERE Subject = 'Never created'")).totalSize).toBe(
      0,
    );
    expect(
      (await auditEvents('agent.approval.rejected')).some(
        (event) => event.detail.approvalId === approval.approvalId,
      ),
    ).toBe(true);
  });

  it('only the person chatting can decide; expired approvals cannot run and the chat goes on', async () => {
    const { emulator, test, board, alice, bob, carol, auditEvents } = chat;
    const model = board.set('mock-expiry', (prompt) => {
      const results = lastToolResults(prompt);
      if (results.length > 0) return { text: 'Noted.' };
      if (prompt.filter((message) => message.role === 'user').length > 1) return { text: 'Hello again.' };
      return {
        toolCalls: [
          { toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: 'Expiring' } } },
        ],
      };
    });
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-expiry' } });
    const conversation = await startConversation(bob, agentId);
    const approval = approvalOf(await say(bob, conversation, 'Create a task'));

    const byCarol = await decide(carol, conversation, approval, 'approve');
    expect(byCarol.status).toBe(403);
    expect(byCarol.body.error.code).toBe('not_your_approval');
    const byAlice = await decide(alice, conversation, approval, 'approve');
    expect(byAlice.status).toBe(403);
    const refusals = (await auditEvents('agent.approval.refused')).filter(
      (event) => event.detail.approvalId === approval.approvalId,
    );
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ outcome: 'denied', errorCode: 'not_your_approval' });

    test.clock.advance(16 * 60 * 1000);
    const late = await decide(bob, conversation, approval, 'approve');
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('approval_expired');
    expect((await orgQuery(emulator, "SELECT Id FROM Task WHERE Subject = 'Expiring'")).totalSize).toBe(0);
    const next = await say(bob, conversation, 'Anything else?');
    expect(next.status).toBe(200);
    expect(next.body.message.text).toBe('Hello again.');
    // The model was told, before the new message, that the action did not happen.
    const prompt = model.doStreamCalls.at(-1)!.prompt;
    const toolMessage = prompt.at(-2)!;
    expect(toolMessage.role).toBe('tool');
    expect(lastToolResults([toolMessage])[0].value).toMatchObject({ errorCode: 'APPROVAL_EXPIRED' });
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    const firstTurn = view.body.messages.find(
      (message: { role: string; steps: unknown[] }) =>
        message.role === 'assistant' && message.steps.length > 0,
    );
    expect(firstTurn.steps[0].status).toBe('expired');
  });
});
