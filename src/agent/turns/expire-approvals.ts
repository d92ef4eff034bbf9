import type { Actor } from '../../core/actor.ts';
import { ServiceError } from '../../core/errors.ts';
import { auditToolCall } from '../dispatch/audit-tool-call.ts';
import type { Agent } from '../store/agent-store.ts';
import { findApproval, pendingApprovals, settleApproval } from '../store/approval-store.ts';
import type { ConversationState } from '../store/conversation-memory.ts';
import { closePausedStep } from './paused-step.ts';
import type { TurnDependencies } from './turn-dependencies.ts';

/**
 * Pending calls nobody decided in time: the model is told they did not happen, then the chat
 * goes on. The database decides what is pending (any instance may hold a call); this process's
 * memory, when current, only adds what to tell the model. A call still waiting in time refuses
 * the new message (409 approval_pending).
 */
export async function settleExpiredApprovals(
  dependencies: TurnDependencies,
  user: Actor,
  agent: Agent,
  conversationId: string,
  state: ConversationState | undefined,
): Promise<void> {
  const { service } = dependencies;
  const now = service.now();
  const rows = await pendingApprovals(service.store, conversationId);
  if (rows.some((row) => Date.parse(row.expires_at) > now)) {
    throw new ServiceError(
      409,
      'approval_pending',
      'An action is waiting for your approval: approve or reject it before sending another message.',
    );
  }
  if (state && state.pending.size > 0) {
    for (const call of state.pending.values()) {
      await expireApproval(dependencies, call.approvalId, conversationId, call.toolCallId, new Date(now));
      state.paused.results.set(call.toolCallId, {
        ok: false,
        errorCode: 'APPROVAL_EXPIRED',
        message: 'Nobody approved this action in time, so it did not happen. Ask before trying again.',
      });
      const step = state.steps.get(call.toolCallId);
      if (step) {
        await auditToolCall(
          { audit: service.audit, userId: user.id, connectionId: '', agent, conversationId },
          step,
          'agent.approval.expired',
          'failure',
          'expired',
        );
      }
    }
    state.pending.clear();
    closePausedStep(state);
  }
  // Paused elsewhere, or before a restart: the model context is rebuilt from the stored text.
  for (const row of rows) {
    if (!state?.pending.has(row.id)) {
      await expireApproval(dependencies, row.id, conversationId, row.tool_call_id, new Date(now));
    }
  }
}

/** Marks an approval expired, in the database, in this process's memory and in its step's stored outline. */
export async function expireApproval(
  dependencies: TurnDependencies,
  approvalId: string,
  conversationId: string,
  toolCallId: string,
  now: Date,
): Promise<void> {
  const { service, memory, conversations } = dependencies;
  await settleApproval(service.store, approvalId, 'expired', now);
  const state = memory.get(conversationId);
  const step = state?.steps.get(toolCallId);
  if (step) step.status = 'expired';
  const messageId = step?.messageId ?? (await findApproval(service.store, approvalId))?.message_id;
  if (!messageId) return;
  await conversations.setStepStatus(messageId, toolCallId, 'expired');
}
