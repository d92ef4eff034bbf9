import type { ModelMessage } from 'ai';
import type { AgentApprovalsTable as ApprovalRow } from '../../store/agent-tables.ts';
import { openSealedCall, pendingApprovals, type SealedCall } from '../store/approval-store.ts';
import type { ConversationState } from '../store/conversation-memory.ts';
import { expireApproval } from './expire-approvals.ts';
import type { StepOutline } from './steps.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import type { TurnLease } from './turn-lock.ts';

interface WaitingCall {
  row: ApprovalRow;
  call: SealedCall;
}

/**
 * The paused turn of an approval, rebuilt on an instance that does not remember it: the model's
 * context from the stored text (as after the memory expired), then the paused step's assistant
 * message with the calls still waiting for a decision — this one and any other pending one of
 * the same message, from their sealed copies — so the model gets a result for each.
 */
export async function restorePausedTurn(
  dependencies: TurnDependencies,
  approval: ApprovalRow,
  call: SealedCall,
  lease: TurnLease,
  now: Date,
): Promise<ConversationState> {
  const { memory, conversations } = dependencies;
  const conversationId = approval.conversation_id;
  memory.forget(conversationId);
  const state = memory.touch(conversationId);
  state.turnSequence = lease.sequence;
  const others = await otherWaitingCalls(dependencies, approval, now);
  const calls = [{ row: approval, call }, ...others].sort((a, b) => a.row.id.localeCompare(b.row.id));
  for (const entry of calls) {
    state.pending.set(entry.row.id, {
      approvalId: entry.row.id,
      messageId: entry.row.message_id,
      toolCallId: entry.row.tool_call_id,
      toolName: entry.call.toolName,
      input: entry.call.input,
      inputHash: entry.row.input_hash,
      expiresAt: Date.parse(entry.row.expires_at),
      ...(entry.call.continuedTool ? { continuedTool: entry.call.continuedTool } : {}),
      ...(entry.call.precondition ? { precondition: entry.call.precondition } : {}),
    });
  }
  state.paused.messageId = approval.message_id;
  state.paused.calls = calls.map((entry) => ({
    toolCallId: entry.row.tool_call_id,
    toolName: entry.call.toolName,
  }));
  state.messages = [
    ...(await conversations.storedContext(conversationId, approval.message_id)),
    await pausedAssistantMessage(dependencies, approval.message_id, calls),
  ];
  return state;
}

/** The other calls of the same message still waiting in time; the rest are expired. */
async function otherWaitingCalls(
  dependencies: TurnDependencies,
  approval: ApprovalRow,
  now: Date,
): Promise<WaitingCall[]> {
  const { service } = dependencies;
  const others: WaitingCall[] = [];
  for (const row of await pendingApprovals(service.store, approval.conversation_id)) {
    if (row.message_id !== approval.message_id || row.id === approval.id) continue;
    const sealed = openSealedCall(service.vault, row);
    if (sealed && Date.parse(row.expires_at) > now.getTime()) others.push({ row, call: sealed });
    else await expireApproval(dependencies, row.id, approval.conversation_id, row.tool_call_id, now);
  }
  return others;
}

/** The paused answer's text, a note on its earlier steps (outlines only), and the waiting calls. */
async function pausedAssistantMessage(
  dependencies: TurnDependencies,
  messageId: string,
  calls: WaitingCall[],
): Promise<ModelMessage> {
  const paused = await dependencies.conversations.message(messageId);
  const waiting = new Set(calls.map((entry) => entry.row.tool_call_id));
  // Steps already taken in this answer elsewhere: their outlines only (results stay in memory).
  const earlier = paused
    ? (JSON.parse(paused.steps) as StepOutline[]).filter((outline) => !waiting.has(outline.id))
    : [];
  const note =
    earlier.length > 0
      ? `(Steps already taken in this answer; their results are not available here: ${earlier
          .map((outline) =>
            [outline.tool, outline.objectType, outline.recordIds.join(','), outline.status]
              .filter(Boolean)
              .join(' '),
          )
          .join('; ')}.)`
      : '';
  const text = [paused?.text ?? '', note].filter(Boolean).join('\n\n');
  return {
    role: 'assistant',
    content: [
      ...(text ? [{ type: 'text' as const, text }] : []),
      ...calls.map((entry) => ({
        type: 'tool-call' as const,
        toolCallId: entry.row.tool_call_id,
        toolName: entry.call.toolName,
        input: entry.call.input,
      })),
    ],
  };
}
