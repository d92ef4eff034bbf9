import type { LanguageModel } from 'ai';
import type { z } from 'zod';
import type { AuditAction } from '../../audit/audit-actions.ts';
import type { Actor } from '../../core/actor.ts';
import { notFound, ServiceError } from '../../core/errors.ts';
import type { AgentApprovalsTable as ApprovalRow, ConversationsTable } from '../../store/agent-tables.ts';
import type { AuditOutcome } from '../../store/schema.ts';
import { type ApprovedCallResult, runApprovedCall } from '../dispatch/run-approved-call.ts';
import { resolveLanguageModel } from '../models/language-model.ts';
import { type Agent, findAgent } from '../store/agent-store.ts';
import {
  findApproval,
  openSealedCall,
  type SealedCall,
  settleApproval,
  toApprovalRequest,
} from '../store/approval-store.ts';
import type { ConversationState, PendingCall } from '../store/conversation-memory.ts';
import type { Emit, TurnResult, TurnRunner } from './chat-events.ts';
import type { decisionSchema } from './chat-schemas.ts';
import { type ApprovalOutcome, decideApproval, rejectionToolResult } from './decide-approval.ts';
import { expireApproval } from './expire-approvals.ts';
import { closePausedStep } from './paused-step.ts';
import { restorePausedTurn } from './restore-paused-turn.ts';
import { runModel } from './run-model.ts';
import type { LiveStep } from './steps.ts';
import { dispatchContextFor, endTurn, failTurn, type Turn } from './turn.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import { acquireTurn, advanceHeldTurn, runnerHoldingTurn, type TurnHold } from './turn-gate.ts';

/**
 * A person's Approve or Reject: the pure rules decide (decide-approval.ts); the database makes
 * the decision stick exactly once (approval-store.ts settleApproval); then the turn goes on —
 * the approved call runs once, or the model is told the person declined — and, once every call
 * of the paused step has a result, the model continues.
 */

type DecisionAudit = (
  action: AuditAction,
  outcome: AuditOutcome,
  errorCode: string | null,
) => Promise<unknown>;

/** A refused decision, as the caller must carry it out: what to audit, whether to expire, what to answer. */
export interface DecisionRefusal {
  expire: boolean;
  audit: { action: AuditAction; outcome: AuditOutcome; errorCode: string };
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** What a refusal of decideApproval means for the API and the trail (a pure function). */
export function decisionRefusal(outcome: Extract<ApprovalOutcome, { outcome: 'error' }>): DecisionRefusal {
  if (outcome.code === 'expired') {
    return {
      expire: true,
      audit: { action: 'agent.approval.expired', outcome: 'failure', errorCode: 'expired' },
      status: 410,
      code: 'approval_expired',
      message: outcome.message,
    };
  }
  const audit = {
    action: 'agent.approval.refused' as const,
    outcome: 'denied' as const,
    errorCode: outcome.code,
  };
  if (outcome.code === 'not_your_approval') {
    return { expire: false, audit, status: 403, code: outcome.code, message: outcome.message };
  }
  return {
    expire: false,
    audit,
    status: 409,
    code: outcome.code,
    message: outcome.message,
    ...(outcome.previous ? { details: { previous: outcome.previous } } : {}),
  };
}

/** Checks and records a decision; the runner then executes (once) or tells the model, and continues. */
export async function beginDecision(
  dependencies: TurnDependencies,
  user: Actor,
  conversationId: string,
  approvalId: string,
  input: z.infer<typeof decisionSchema>,
): Promise<TurnRunner> {
  const { service } = dependencies;
  const row = await findApproval(service.store, approvalId);
  if (!row || row.conversation_id !== conversationId) throw notFound('Approval');
  const now = new Date(service.now());
  const audit: DecisionAudit = (action, outcome, errorCode) =>
    service.audit.record({
      actorUserId: user.id,
      connectionId: row.connection_id,
      surface: 'agent',
      action,
      objectType: row.object_type,
      recordIds: row.record_id ? [row.record_id] : [],
      outcome,
      errorCode,
      detail: { agentId: row.agent_id, conversationId, tool: row.tool_name, approvalId },
    });
  const outcome = decideApproval(toApprovalRequest(row), {
    userId: user.id,
    decision: input.decision,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    toolCallId: row.tool_call_id,
    inputHash: input.inputHash,
    now,
  });
  if (outcome.outcome === 'error') {
    const refusal = decisionRefusal(outcome);
    if (refusal.expire)
      await expireApproval(dependencies, row.id, row.conversation_id, row.tool_call_id, now);
    await audit(refusal.audit.action, refusal.audit.outcome, refusal.audit.errorCode);
    throw new ServiceError(refusal.status, refusal.code, refusal.message, refusal.details);
  }
  const conversation = await dependencies.conversations.ownConversation(user.id, conversationId);
  const agent = await findAgent(service, conversation.agent_id);
  const hold = await acquireTurn(dependencies, conversationId);
  let claimed: ClaimedCall | undefined;
  return runnerHoldingTurn(
    dependencies,
    hold,
    async () => {
      claimed = await claimDecision(dependencies, { row, hold, decision: outcome.outcome, audit, now });
    },
    (emit) =>
      continueAfterDecision(dependencies, {
        user,
        conversation,
        agent,
        row,
        outcome,
        claimed: claimed as ClaimedCall,
        lease: hold.lease,
        emit,
      }),
  );
}

interface ClaimedCall {
  state: ConversationState;
  pending: PendingCall;
}

/**
 * Makes the decision stick (exactly one of concurrent decisions wins) and finds the call it is
 * for. The call comes from this process's memory when it paused the turn, otherwise from the
 * sealed copy in the row (another instance paused it, or this one restarted). It is opened before
 * the decision is written: an approval that cannot run is expired, never approved.
 */
async function claimDecision(
  dependencies: TurnDependencies,
  options: {
    row: ApprovalRow;
    hold: TurnHold;
    decision: 'approved' | 'rejected';
    audit: DecisionAudit;
    now: Date;
  },
): Promise<ClaimedCall> {
  const { service } = dependencies;
  const { row, hold, audit, now } = options;
  const remembered = hold.state?.pending.get(row.id);
  const inMemory = remembered && remembered.inputHash === row.input_hash ? remembered : undefined;
  const sealed = inMemory ? undefined : openSealedCall(service.vault, row);
  if (!inMemory && !sealed) {
    await expireApproval(dependencies, row.id, row.conversation_id, row.tool_call_id, now);
    await audit('agent.approval.expired', 'failure', 'call_not_available');
    throw new ServiceError(
      410,
      'approval_expired',
      'This action is no longer available. Ask the agent again.',
    );
  }
  const approved = options.decision === 'approved';
  // An approval writes the call's execution record with it: claimed by this instance, for a lease.
  const executionLease = approved ? new Date(now.getTime() + dependencies.executionLeaseMs) : undefined;
  const won = await settleApproval(service.store, row.id, options.decision, now, executionLease);
  if (!won) {
    const current = await findApproval(service.store, row.id);
    await audit('agent.approval.refused', 'denied', 'already_decided');
    throw new ServiceError(
      409,
      'already_decided',
      `This action was already ${current?.status ?? 'decided'}.`,
      {
        previous: { status: current?.status },
      },
    );
  }
  // The stored outline leaves "awaiting approval" with the decision, whatever happens next.
  await dependencies.conversations.setStepStatus(
    row.message_id,
    row.tool_call_id,
    approved ? 'running' : 'rejected',
  );
  await advanceHeldTurn(dependencies, hold);
  const state =
    inMemory && hold.state
      ? hold.state
      : await restorePausedTurn(dependencies, row, sealed as SealedCall, hold.lease, now);
  const pending = state.pending.get(row.id) as PendingCall;
  state.pending.delete(row.id);
  await audit(
    options.decision === 'approved' ? 'agent.approval.approved' : 'agent.approval.rejected',
    'success',
    null,
  );
  return { state, pending };
}

/** The decided call's result (run once, or the rejection), then the model continues once the step is complete. */
async function continueAfterDecision(
  dependencies: TurnDependencies,
  options: {
    user: Actor;
    conversation: ConversationsTable;
    agent: Agent;
    row: ApprovalRow;
    outcome: Exclude<ApprovalOutcome, { outcome: 'error' }>;
    claimed: ClaimedCall;
    lease: Turn['lease'];
    emit: Emit;
  },
): Promise<TurnResult> {
  const { service, conversations } = dependencies;
  const { outcome, emit } = options;
  const { state, pending } = options.claimed;
  const step = state.steps.get(pending.toolCallId);
  const messageId = pending.messageId;
  emit({ type: 'turn', conversationId: options.conversation.id, messageId });
  const turnModel = await resolveLanguageModel(service, options.agent.model, dependencies.modelOverride);
  const messageRow = await conversations.message(messageId);
  const turn: Turn = {
    user: options.user,
    conversation: options.conversation,
    agent: options.agent,
    connectionId: options.row.connection_id,
    model: turnModel.ok ? turnModel.model : (undefined as unknown as LanguageModel),
    messageId,
    state,
    text: messageRow?.text ?? '',
    emit,
    lease: options.lease,
    leaseRenewedAt: service.now(),
  };
  let output: unknown;
  if (outcome.outcome === 'approved') {
    try {
      const ran = await runDecidedCall(dependencies, turn, pending, step, options.row.object_type);
      // The record changed after the person saw it: nothing was written, and they are asked again.
      if (ran.kind === 'asked-again') return await endTurn(dependencies, turn, 'awaiting_approval');
      output = ran.output;
    } catch (error) {
      return await failTurn(dependencies, turn, error);
    }
  } else {
    output = rejectionToolResult(outcome.reason);
    if (step) {
      step.status = 'rejected';
      step.result = output;
      emit({ type: 'step', step: { ...step } });
    }
  }
  state.paused.results.set(pending.toolCallId, output);
  if (state.pending.size > 0) return endTurn(dependencies, turn, 'awaiting_approval');
  closePausedStep(state);
  if (!turnModel.ok) {
    emit({ type: 'notice', code: 'model_not_configured', message: turnModel.message });
    return endTurn(dependencies, turn, 'model_not_configured');
  }
  return runModel(dependencies, turn);
}

/** Runs the approved call once, on a step kept with the others so the stored outline shows how it ended. */
async function runDecidedCall(
  dependencies: TurnDependencies,
  turn: Turn,
  pending: PendingCall,
  step: LiveStep | undefined,
  objectType: string | null,
): Promise<ApprovedCallResult> {
  const liveStep: LiveStep = step ?? {
    id: pending.toolCallId,
    messageId: turn.messageId,
    tool: pending.toolName,
    objectType,
    status: 'running',
    durationMs: null,
    recordIds: [],
    // Rebuilt on an instance that did not pause the turn: the audit still names the approval.
    approvalId: pending.approvalId,
    input: pending.input,
  };
  if (!step) dependencies.memory.addStep(turn.state, liveStep);
  liveStep.status = 'running';
  return runApprovedCall(
    dispatchContextFor(dependencies, turn),
    {
      approvalId: pending.approvalId,
      leaseMs: dependencies.executionLeaseMs,
      probe: dependencies.executionProbe,
      precondition: pending.precondition,
      continuedTool: pending.continuedTool,
    },
    liveStep,
    pending.input,
  );
}
