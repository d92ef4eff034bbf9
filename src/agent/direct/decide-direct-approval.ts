import type { AuditAction } from '../../audit/audit-actions.ts';
import { notFound, ServiceError } from '../../core/errors.ts';
import type { AgentApprovalsTable } from '../../store/agent-tables.ts';
import type { AuditOutcome } from '../../store/schema.ts';
import type { TokenVault } from '../../vault/token-vault.ts';
import { runApprovedCall } from '../dispatch/run-approved-call.ts';
import { findAgent } from '../store/agent-store.ts';
import {
  findApproval,
  openSealedCall,
  type SealedCall,
  settleApproval,
  toApprovalRequest,
} from '../store/approval-store.ts';
import type { PendingCall } from '../store/conversation-memory.ts';
import { ToolFailure } from '../tools/tool-errors.ts';
import { decideApproval, rejectionToolResult } from '../turns/decide-approval.ts';
import { decisionRefusal } from '../turns/decision-flow.ts';
import { expireApproval } from '../turns/expire-approvals.ts';
import { type LiveStep, outlineOf } from '../turns/steps.ts';
import type { DirectCallOutcome } from './call-tool-directly.ts';
import { type DirectCaller, directDependencies, directDispatchContext } from './direct-call-context.ts';

/**
 * A person's Approve or Reject of a direct call (from an MCP elicitation or the approval page),
 * under the chat's rules: decideApproval decides (only the person who made the call, bound to the
 * call and its input, before expiry), settleApproval makes it stick exactly once, and only the
 * winner runs the call — once. There is no model turn to continue: the outcome is the answer —
 * or, when an approved update or delete found the record changed since the person saw it (412,
 * nothing written), a new approval for the same call with the values read now (`pending`).
 */
export async function decideDirectApproval(
  caller: DirectCaller,
  options: { approvalId: string; decision: 'approve' | 'reject'; inputHash?: string; reason?: string },
): Promise<Exclude<DirectCallOutcome, { kind: 'connect' }>> {
  const { service, user } = caller;
  const dependencies = directDependencies(caller);
  const row = await findApproval(service.store, options.approvalId);
  if (!row) throw notFound('Approval');
  const now = new Date(service.now());
  const audit = approvalAudit(caller, row);
  const outcome = decideApproval(toApprovalRequest(row), {
    userId: user.id,
    decision: options.decision,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    toolCallId: row.tool_call_id,
    inputHash: options.inputHash ?? row.input_hash,
    now,
  });
  if (outcome.outcome === 'error') {
    const refusal = decisionRefusal(outcome);
    if (refusal.expire)
      await expireApproval(dependencies, row.id, row.conversation_id, row.tool_call_id, now);
    await audit(refusal.audit.action, refusal.audit.outcome, refusal.audit.errorCode);
    throw new ServiceError(refusal.status, refusal.code, refusal.message, refusal.details);
  }
  const state = caller.runtime.memory.touch(row.conversation_id);
  const call = rememberedOrSealed(state.pending.get(row.id), row, service.vault);
  const input = call?.input;
  if (input === undefined) {
    await expireApproval(dependencies, row.id, row.conversation_id, row.tool_call_id, now);
    await audit('agent.approval.expired', 'failure', 'call_not_available');
    throw new ServiceError(410, 'approval_expired', 'This action is no longer available. Ask again.');
  }
  await settleOrRefuse(caller, row, outcome.outcome, now, audit);
  state.pending.delete(row.id);
  await audit(
    outcome.outcome === 'approved' ? 'agent.approval.approved' : 'agent.approval.rejected',
    'success',
    null,
  );
  const step = stepOf(caller, row, input);
  try {
    if (outcome.outcome === 'rejected') {
      step.status = 'rejected';
      step.result = rejectionToolResult(outcome.reason);
      return { kind: 'result', output: step.result, step };
    }
    const agent = await findAgent(service, row.agent_id);
    const context = directDispatchContext(caller, {
      agent,
      connectionId: row.connection_id,
      conversationId: row.conversation_id,
      messageId: row.message_id,
    });
    step.status = 'running';
    try {
      const ran = await runApprovedCall(
        context,
        {
          approvalId: row.id,
          leaseMs: dependencies.executionLeaseMs,
          probe: dependencies.executionProbe,
          precondition: call?.precondition,
          continuedTool: call?.continuedTool,
        },
        step,
        input,
      );
      // The record changed after the person saw it: nothing was written; a new approval asks again.
      if (ran.kind === 'asked-again') return { kind: 'pending', approval: ran.approval };
      return { kind: 'result', output: ran.output, step };
    } catch (error) {
      if (!(error instanceof ToolFailure)) throw error;
      return { kind: 'failure', code: error.code, message: error.message, retryable: error.retryable };
    }
  } finally {
    const message = await dependencies.conversations.message(row.message_id);
    if (message) await dependencies.conversations.saveMessage(message.id, message.text, [outlineOf(step)]);
  }
}

/** Makes the decision stick (an approval claims the call's execution record for a lease), or 409. */
async function settleOrRefuse(
  caller: DirectCaller,
  row: AgentApprovalsTable,
  decision: 'approved' | 'rejected',
  now: Date,
  audit: ReturnType<typeof approvalAudit>,
): Promise<void> {
  const { store } = caller.service;
  const leaseMs = caller.runtime.dependencies.executionLeaseMs;
  const executionLease = decision === 'approved' ? new Date(now.getTime() + leaseMs) : undefined;
  if (await settleApproval(store, row.id, decision, now, executionLease)) return;
  const current = await findApproval(store, row.id);
  await audit('agent.approval.refused', 'denied', 'already_decided');
  throw new ServiceError(409, 'already_decided', `This action was already ${current?.status ?? 'decided'}.`, {
    previous: { status: current?.status },
  });
}

/** The live step of the approved call (kept with the conversation's steps), or a new one after a restart. */
function stepOf(caller: DirectCaller, row: AgentApprovalsTable, input: unknown): LiveStep {
  const state = caller.runtime.memory.touch(row.conversation_id);
  const existing = state.steps.get(row.tool_call_id);
  if (existing) return existing;
  const step: LiveStep = {
    id: row.tool_call_id,
    messageId: row.message_id,
    tool: row.tool_name,
    objectType: row.object_type,
    status: 'awaiting_approval',
    durationMs: null,
    recordIds: row.record_id ? [row.record_id] : [],
    approvalId: row.id,
    input,
  };
  caller.runtime.memory.addStep(state, step);
  return step;
}

function approvalAudit(caller: DirectCaller, row: AgentApprovalsTable) {
  return (action: AuditAction, outcome: AuditOutcome, errorCode: string | null) =>
    caller.service.audit.record({
      actorUserId: caller.user.id,
      connectionId: row.connection_id,
      surface: 'mcp',
      action,
      objectType: row.object_type,
      recordIds: row.record_id ? [row.record_id] : [],
      outcome,
      errorCode,
      detail: {
        agentId: row.agent_id,
        conversationId: row.conversation_id,
        tool: row.tool_name,
        approvalId: row.id,
        client: caller.clientName.slice(0, 100),
      },
    });
}

/** The call to run: from this process's memory when it paused it (same input), else the row's sealed copy. */
function rememberedOrSealed(
  remembered: PendingCall | undefined,
  row: AgentApprovalsTable,
  vault: TokenVault,
): Pick<SealedCall, 'input' | 'precondition' | 'continuedTool'> | undefined {
  return remembered?.inputHash === row.input_hash ? remembered : openSealedCall(vault, row);
}
