import type { ConversationState } from '../store/conversation-memory.ts';
import { toolInputSchemas } from '../tools/tool-catalog.ts';
import {
  decideToolCall,
  isToolName,
  type PaginatedToolName,
  type ToolName,
  toolsOfferedToModel,
} from '../tools/tool-permissions.ts';
import type { LiveStep } from '../turns/steps.ts';
import { auditToolCall } from './audit-tool-call.ts';
import {
  type DispatchContext,
  type DispatchOutcome,
  finishStep,
  type ModelToolCall,
  stepEvent,
} from './dispatch-context.ts';
import { requestApproval } from './request-approval.ts';
import { runAllowedCall } from './run-allowed-call.ts';

/**
 * The gate every tool call the model makes goes through, on the server: the permission check
 * (decideToolCall — a disabled or unknown tool is refused even though it was never offered), the
 * approval pause for "Needs approval" (request-approval.ts), the audit event, and the step log.
 * The Salesforce work itself is executeTool's (run-allowed-call.ts).
 */
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
  if (decision === 'refuse') return refuseCall(context, step, call, started);

  const parsed = toolInputSchemas[call.toolName as ToolName].safeParse(call.input);
  if (call.invalid || !parsed.success) {
    const detail = parsed.success
      ? 'The input did not match the tool schema.'
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    finishStep(step, 'error', started, { code: 'invalid_input', reason: 'The tool input was not valid.' });
    await auditToolCall(context, step, 'agent.tool_call', 'failure', 'invalid_input');
    context.emit({ type: 'step', step: stepEvent(step) });
    return { kind: 'result', output: { ok: false, errorCode: 'INVALID_INPUT', message: detail } };
  }

  if (decision === 'ask') return requestApproval(context, step, call, continuedTool, started);
  context.emit({ type: 'step', step: stepEvent(step) });
  return { kind: 'result', output: await runAllowedCall(context, step, call.input, started) };
}

async function refuseCall(
  context: DispatchContext,
  step: LiveStep,
  call: ModelToolCall,
  started: number,
): Promise<DispatchOutcome> {
  const message = isToolName(call.toolName)
    ? `The tool ${call.toolName} is disabled for this agent. Do not call it; tell the person it is not available.`
    : `There is no tool named ${call.toolName}.`;
  finishStep(step, 'refused', started, {
    code: 'tool_disabled',
    reason: 'This tool is disabled for this agent.',
  });
  await auditToolCall(context, step, 'agent.tool_call.refused', 'denied', 'tool_disabled');
  context.emit({ type: 'step', step: stepEvent(step) });
  return { kind: 'result', output: { ok: false, errorCode: 'TOOL_DISABLED', message } };
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
