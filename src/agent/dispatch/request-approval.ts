import { newId } from '../../core/ids.ts';
import type { RecordVersion } from '../../salesforce/salesforce-types.ts';
import { insertApproval, sealCall } from '../store/approval-store.ts';
import type { PendingCall } from '../store/conversation-memory.ts';
import { compactRecord } from '../tools/compact/record-text.ts';
import type { PaginatedToolName } from '../tools/tool-permissions.ts';
import type { ApprovalView } from '../turns/chat-events.ts';
import { createApprovalRequest } from '../turns/decide-approval.ts';
import type { LiveStep } from '../turns/steps.ts';
import {
  callOrigin,
  type DispatchContext,
  type DispatchOutcome,
  finishStep,
  type ModelToolCall,
  stepEvent,
} from './dispatch-context.ts';

/**
 * The pause of a "Needs approval" call: the approval row (bound to the call's input hash, with the
 * call sealed in it so any instance can run it once approved), the pending call in memory, the
 * audit event, and the approval the person sees — with the record's current values for an update
 * or a delete, and the version they were read at: the approved write is conditional on it.
 *
 * `recordChanged`: this asks again for a call that was approved, whose conditional write
 * Salesforce refused because the record changed since (run-approved-call.ts). A new approval,
 * for the same call, with the values read now: the first one stays used up.
 */
export async function requestApproval(
  context: DispatchContext,
  step: LiveStep,
  call: ModelToolCall,
  continuedTool: PaginatedToolName | undefined,
  started: number,
  options: { recordChanged?: boolean } = {},
): Promise<Extract<DispatchOutcome, { kind: 'pending' }>> {
  const current = await currentValuesFor(context, call);
  const pending = await storePendingCall(context, step, call, continuedTool, current.version);
  const recordId = recordIdOf(call.input);
  const approval: ApprovalView = {
    approvalId: pending.approvalId,
    conversationId: context.conversationId,
    messageId: context.messageId,
    toolCallId: call.toolCallId,
    tool: call.toolName,
    objectType: step.objectType,
    recordId,
    input: call.input,
    inputHash: pending.inputHash,
    ...current.view,
    ...(options.recordChanged ? { recordChanged: true as const } : {}),
    expiresAt: new Date(pending.expiresAt).toISOString(),
    status: 'pending',
  };
  step.approvalId = pending.approvalId;
  if (recordId) step.recordIds = [recordId];
  finishStep(step, 'awaiting_approval', started);
  step.result = { approval };
  await context.audit.record({
    actorUserId: context.userId,
    connectionId: context.connectionId,
    surface: callOrigin(context).surface,
    action: 'agent.approval.requested',
    objectType: step.objectType,
    recordIds: step.recordIds,
    outcome: 'success',
    detail: {
      agentId: context.agent.row.id,
      conversationId: context.conversationId,
      tool: step.tool,
      approvalId: pending.approvalId,
      ...callOrigin(context).clientDetail,
    },
  });
  context.emit({ type: 'step', step: stepEvent(step) });
  context.emit({ type: 'approval', approval });
  return { kind: 'pending', approval };
}

/** The approval row, with the call sealed in it, and the same call kept in this process's memory. */
async function storePendingCall(
  context: DispatchContext,
  step: LiveStep,
  call: ModelToolCall,
  continuedTool: PaginatedToolName | undefined,
  precondition: RecordVersion | undefined,
): Promise<PendingCall> {
  const now = context.now();
  const request = createApprovalRequest({
    conversationId: context.conversationId,
    userId: context.userId,
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.input,
    now: new Date(now),
    ttlMs: context.approvalTtlMs,
  });
  const approvalId = newId(now);
  await insertApproval(context.store, {
    id: approvalId,
    conversation_id: context.conversationId,
    message_id: context.messageId,
    user_id: context.userId,
    agent_id: context.agent.row.id,
    connection_id: context.connectionId,
    tool_call_id: call.toolCallId,
    tool_name: call.toolName,
    object_type: step.objectType,
    record_id: recordIdOf(call.input),
    input_hash: request.inputHash,
    status: 'pending',
    consumed: 0,
    created_at: request.createdAt.toISOString(),
    expires_at: request.expiresAt.toISOString(),
    decided_at: null,
    sealed_call: sealCall(context.vault, approvalId, {
      toolName: call.toolName,
      input: call.input,
      ...(continuedTool ? { continuedTool } : {}),
      ...(precondition ? { precondition } : {}),
    }),
  });
  const pending: PendingCall = {
    approvalId,
    messageId: context.messageId,
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.input,
    inputHash: request.inputHash,
    expiresAt: request.expiresAt.getTime(),
    ...(continuedTool ? { continuedTool } : {}),
    ...(precondition ? { precondition } : {}),
  };
  context.state.pending.set(approvalId, pending);
  return pending;
}

/** The current values of an approval card, as the card and the API show them. */
export interface CurrentValues {
  currentValues?: Record<string, unknown>;
  currentValuesUnavailable?: string;
}

/**
 * What the person sees before approving an update or delete: the values that would change, read
 * now, and the record's version at that read (an approved write is sent conditional on it). Also
 * used to show a pending card again when its values are no longer in memory (read live again).
 */
export async function currentValuesFor(
  context: Pick<DispatchContext, 'client'>,
  call: Pick<ModelToolCall, 'toolName' | 'input'>,
): Promise<{ view: CurrentValues; version?: RecordVersion }> {
  if (call.toolName !== 'update_record' && call.toolName !== 'delete_record') return { view: {} };
  const input = call.input as { objectType: string; id: string; fields?: Record<string, unknown> };
  try {
    const client = await context.client();
    const fields = call.toolName === 'update_record' ? Object.keys(input.fields ?? {}) : [];
    const { record: raw, version } = await client.retrieveWithVersion(input.objectType, input.id, fields);
    const record = compactRecord(raw);
    if (call.toolName === 'update_record') {
      // Every field that would change, null when it is empty today.
      return {
        view: { currentValues: Object.fromEntries(fields.map((field) => [field, record[field] ?? null])) },
        version,
      };
    }
    return { view: { currentValues: record }, version };
  } catch {
    return {
      view: {
        currentValuesUnavailable:
          'The current values could not be read: the record may not exist, or the connected Salesforce user cannot see it.',
      },
    };
  }
}

function recordIdOf(input: unknown): string | null {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id) ? id : null;
}
