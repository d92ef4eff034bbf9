import type { AuditAction } from '../audit/audit-actions.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import type { AuditOutcome } from '../store/schema.ts';
import type { TokenVault } from '../vault/token-vault.ts';
import type { Agent } from './agent-store.ts';
import {
  type AgentSalesforceClient,
  executeTool,
  type ToolExecution,
  toolInputSchemas,
} from './agent-tools.ts';
import { insertApproval, sealCall } from './approval-store.ts';
import { createApprovalRequest } from './approvals.ts';
import { compactRecord } from './compact.ts';
import type { ConversationMemory, ConversationState, PendingCall } from './conversation-memory.ts';
import {
  decideToolCall,
  isToolName,
  type PaginatedToolName,
  type ToolName,
  toolsOfferedToModel,
} from './permissions.ts';
import type { LiveStep, StepStatus } from './steps.ts';
import { ToolFailure } from './tool-failures.ts';

/**
 * The gate every tool call the model makes goes through, on the server: the permission check
 * (decideToolCall — a disabled or unknown tool is refused even though it was never offered), the
 * approval pause for "Needs approval", the audit event, and the step log. The Salesforce work
 * itself is executeTool's.
 */

export interface ModelToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The AI SDK could not parse the call against the tool's schema (or the tool is unknown). */
  invalid?: boolean;
  error?: unknown;
}

export interface ApprovalView {
  approvalId: string;
  conversationId: string;
  messageId: string;
  toolCallId: string;
  tool: string;
  objectType: string | null;
  recordId: string | null;
  input: unknown;
  inputHash: string;
  /** For update and delete: the record's values now, read live, for the fields that would change. */
  currentValues?: Record<string, unknown>;
  /** Why the current values could not be shown (our wording). */
  currentValuesUnavailable?: string;
  expiresAt: string;
  status: 'pending';
}

export type ChatEvent =
  | { type: 'turn'; conversationId: string; messageId: string }
  | { type: 'text'; delta: string }
  | { type: 'step'; step: ReturnType<typeof stepEvent> }
  | { type: 'approval'; approval: ApprovalView }
  | { type: 'connect'; connect: ConnectPrompt }
  | { type: 'notice'; code: string; message: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'done'; message: unknown };

export interface ConnectPrompt {
  reason: 'no_connection' | 'needs_reconnect';
  message: string;
  /** Where the web app's connect flow starts (its page), and the API call that starts it. */
  connectUrl: string;
  start: {
    method: 'POST';
    path: '/api/connections/oauth/start';
    body: { kind: 'personal'; loginHost: 'production' };
  };
  /** Call after connecting to answer the message that was waiting. */
  resumePath: string;
}

export interface DispatchContext {
  store: Store;
  audit: AuditLog;
  now: () => number;
  memory: ConversationMemory;
  state: ConversationState;
  agent: Agent;
  userId: string;
  connectionId: string;
  conversationId: string;
  messageId: string;
  approvalTtlMs: number;
  /** Seals a paused call into its approval row, so any instance can execute it once approved. */
  vault: TokenVault;
  /** The chatting person's Salesforce client, created on first use. */
  client: () => Promise<AgentSalesforceClient>;
  emit: (event: ChatEvent) => void;
}

export type DispatchOutcome =
  | { kind: 'result'; output: unknown }
  | { kind: 'pending'; approval: ApprovalView };

export function stepEvent(step: LiveStep) {
  return { ...step };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function continuedToolOf(
  state: ConversationState,
  toolName: string,
  input: unknown,
): PaginatedToolName | undefined {
  if (toolName !== 'next_page') return undefined;
  const cursor = (input as { cursor?: unknown } | null)?.cursor;
  return typeof cursor === 'string' ? state.cursors.get(cursor)?.tool : undefined;
}

function objectOf(input: unknown): string | null {
  const objectType = (input as { objectType?: unknown } | null)?.objectType;
  return typeof objectType === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(objectType)
    ? objectType
    : null;
}

function recordIdOf(input: unknown): string | null {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id) ? id : null;
}

export async function dispatchToolCall(
  context: DispatchContext,
  call: ModelToolCall,
): Promise<DispatchOutcome> {
  const started = performance.now();
  const { state, agent } = context;
  const step: LiveStep = {
    id: call.toolCallId,
    messageId: context.messageId,
    tool: call.toolName,
    objectType: objectOf(call.input),
    status: 'running',
    durationMs: null,
    recordIds: [],
    input: call.input,
  };
  context.memory.addStep(state, step);

  const continuedTool = continuedToolOf(state, call.toolName, call.input);
  // A call to a tool that was not offered is refused like a disabled one, whatever its name.
  const offered = toolsOfferedToModel(agent.connector) as string[];
  const decision = offered.includes(call.toolName)
    ? decideToolCall(agent.connector, call.toolName, continuedTool ? { continuedTool } : {})
    : 'refuse';
  if (decision === 'refuse') {
    const message = isToolName(call.toolName)
      ? `The tool ${call.toolName} is disabled for this agent. Do not call it; tell the person it is not available.`
      : `There is no tool named ${call.toolName}.`;
    finish(step, 'refused', started, {
      code: 'tool_disabled',
      reason: 'This tool is disabled for this agent.',
    });
    await auditCall(context, step, 'agent.tool_call.refused', 'denied', 'tool_disabled');
    context.emit({ type: 'step', step: stepEvent(step) });
    return { kind: 'result', output: { ok: false, errorCode: 'TOOL_DISABLED', message } };
  }

  const parsed = toolInputSchemas[call.toolName as ToolName].safeParse(call.input);
  if (call.invalid || !parsed.success) {
    const detail = parsed.success
      ? 'The input did not match the tool schema.'
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    finish(step, 'error', started, { code: 'invalid_input', reason: 'The tool input was not valid.' });
    await auditCall(context, step, 'agent.tool_call', 'failure', 'invalid_input');
    context.emit({ type: 'step', step: stepEvent(step) });
    return { kind: 'result', output: { ok: false, errorCode: 'INVALID_INPUT', message: detail } };
  }

  if (decision === 'ask') return requestApproval(context, step, call, continuedTool, started);
  context.emit({ type: 'step', step: stepEvent(step) });
  return { kind: 'result', output: await runAllowedCall(context, step, call.input, started) };
}

function finish(
  step: LiveStep,
  status: StepStatus,
  started: number,
  extra: { code?: string; reason?: string } = {},
): void {
  step.status = status;
  step.durationMs = elapsed(started);
  if (extra.code !== undefined) step.code = extra.code;
  if (extra.reason !== undefined) step.reason = extra.reason;
}

/** Runs a call that is allowed (always, or just approved); audits and logs the step. */
export async function runAllowedCall(
  context: DispatchContext,
  step: LiveStep,
  input: unknown,
  started: number = performance.now(),
): Promise<unknown> {
  const { state } = context;
  const environment = {
    client: await context.client(),
    keepRemainder: (
      remainder: Parameters<ConversationMemory['addCursor']>[1]['remainder'],
      tool: PaginatedToolName,
    ) => context.memory.addCursor(state, { remainder, tool, connectionId: context.connectionId }),
    takeRemainder: (cursor: string) => {
      const entry = state.cursors.get(cursor);
      // A cursor belongs to the connection that produced it: never page another person's results.
      if (!entry || entry.connectionId !== context.connectionId) return undefined;
      state.cursors.delete(cursor);
      return { remainder: entry.remainder, tool: entry.tool };
    },
  };
  let execution: ToolExecution;
  try {
    execution = await executeTool(step.tool as ToolName, input, environment);
  } catch (error) {
    const code = error instanceof ToolFailure ? error.code : 'internal_error';
    finish(step, 'error', started, {
      code,
      reason: error instanceof ToolFailure ? error.message : 'The tool failed.',
    });
    await auditCall(context, step, 'agent.tool_call', 'failure', code);
    context.emit({ type: 'step', step: stepEvent(step) });
    throw error;
  }
  step.objectType = execution.objectType ?? step.objectType;
  step.recordIds = execution.recordIds;
  step.result = execution.output;
  if (execution.kind === 'ok') {
    finish(step, 'ok', started);
    if (execution.rawBytes !== undefined) {
      step.rawBytes = execution.rawBytes;
      step.contextBytes = execution.contextBytes;
    }
    await auditCall(context, step, 'agent.tool_call', 'success', null);
  } else {
    finish(step, execution.kind === 'no_access' ? 'no_output_data' : 'error', started, {
      code: execution.code,
      reason: execution.reason,
    });
    await auditCall(
      context,
      step,
      'agent.tool_call',
      execution.kind === 'no_access' ? 'denied' : 'failure',
      execution.code,
    );
  }
  context.emit({ type: 'step', step: stepEvent(step) });
  return execution.output;
}

async function requestApproval(
  context: DispatchContext,
  step: LiveStep,
  call: ModelToolCall,
  continuedTool: PaginatedToolName | undefined,
  started: number,
): Promise<DispatchOutcome> {
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
  const recordId = recordIdOf(call.input);
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
    record_id: recordId,
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
  };
  context.state.pending.set(approvalId, pending);
  const approval: ApprovalView = {
    approvalId,
    conversationId: context.conversationId,
    messageId: context.messageId,
    toolCallId: call.toolCallId,
    tool: call.toolName,
    objectType: step.objectType,
    recordId,
    input: call.input,
    inputHash: request.inputHash,
    ...(await currentValuesFor(context, call)),
    expiresAt: request.expiresAt.toISOString(),
    status: 'pending',
  };
  step.approvalId = approvalId;
  if (recordId) step.recordIds = [recordId];
  finish(step, 'awaiting_approval', started);
  step.result = { approval };
  await context.audit.record({
    actorUserId: context.userId,
    connectionId: context.connectionId,
    surface: 'agent',
    action: 'agent.approval.requested',
    objectType: step.objectType,
    recordIds: step.recordIds,
    outcome: 'success',
    detail: {
      agentId: context.agent.row.id,
      conversationId: context.conversationId,
      tool: step.tool,
      approvalId,
    },
  });
  context.emit({ type: 'step', step: stepEvent(step) });
  context.emit({ type: 'approval', approval });
  return { kind: 'pending', approval };
}

/** What the person sees before approving an update or delete: the values that would change, read now. */
async function currentValuesFor(
  context: DispatchContext,
  call: ModelToolCall,
): Promise<{ currentValues?: Record<string, unknown>; currentValuesUnavailable?: string }> {
  if (call.toolName !== 'update_record' && call.toolName !== 'delete_record') return {};
  const input = call.input as { objectType: string; id: string; fields?: Record<string, unknown> };
  try {
    const client = await context.client();
    const fields = call.toolName === 'update_record' ? Object.keys(input.fields ?? {}) : [];
    const raw = await client.retrieve(input.objectType, input.id, fields);
    const record = compactRecord(raw);
    if (call.toolName === 'update_record') {
      // Every field that would change, null when it is empty today.
      return { currentValues: Object.fromEntries(fields.map((field) => [field, record[field] ?? null])) };
    }
    return { currentValues: record };
  } catch {
    return {
      currentValuesUnavailable:
        'The current values could not be read: the record may not exist, or the connected Salesforce user cannot see it.',
    };
  }
}

export async function auditCall(
  context: Pick<DispatchContext, 'audit' | 'userId' | 'connectionId' | 'agent' | 'conversationId'>,
  step: LiveStep,
  action: AuditAction,
  outcome: AuditOutcome,
  errorCode: string | null,
): Promise<void> {
  await context.audit.record({
    actorUserId: context.userId,
    connectionId: context.connectionId,
    surface: 'agent',
    action,
    objectType: step.objectType,
    recordIds: step.recordIds,
    outcome,
    errorCode,
    detail: {
      agentId: context.agent.row.id,
      conversationId: context.conversationId,
      tool: step.tool,
      stepStatus: step.status,
      durationMs: step.durationMs,
      ...(step.approvalId ? { approvalId: step.approvalId } : {}),
    },
  });
}
