import type { RecordVersion } from '../../salesforce/salesforce-types.ts';
import type { CompactRemainder } from '../tools/compact/compact-pages.ts';
import { executeTool } from '../tools/execute-tool.ts';
import { ToolFailure } from '../tools/tool-errors.ts';
import type { ToolExecution } from '../tools/tool-execution.ts';
import type { PaginatedToolName, ToolName } from '../tools/tool-permissions.ts';
import type { LiveStep } from '../turns/steps.ts';
import type { CallOutcome } from './approval-execution.ts';
import { auditToolCall } from './audit-tool-call.ts';
import { type DispatchContext, finishStep, stepEvent } from './dispatch-context.ts';

/**
 * Records how an approved call came back in its execution record; true when this caller wrote the
 * outcome (and so audits it), false when a resolver already had (it audited) or will (unknown).
 */
export type ExecutionRecorder = (outcome: CallOutcome) => Promise<boolean>;

/** Runs a call that is allowed (always, or just approved); audits and logs the step. */
export async function runAllowedCall(
  context: DispatchContext,
  step: LiveStep,
  input: unknown,
  started: number = performance.now(),
  recorder?: ExecutionRecorder,
  precondition?: RecordVersion,
): Promise<unknown> {
  const { state } = context;
  const environment = {
    client: await context.client(),
    keepRemainder: (remainder: CompactRemainder, tool: PaginatedToolName) =>
      context.memory.addCursor(state, { remainder, tool, connectionId: context.connectionId }),
    takeRemainder: (cursor: string) => {
      const entry = state.cursors.get(cursor);
      // A cursor belongs to the connection that produced it: never page another person's results.
      if (!entry || entry.connectionId !== context.connectionId) return undefined;
      state.cursors.delete(cursor);
      return { remainder: entry.remainder, tool: entry.tool };
    },
    ...(precondition ? { precondition } : {}),
  };
  let execution: ToolExecution;
  try {
    execution = await executeTool(step.tool as ToolName, input, environment);
  } catch (error) {
    const code = error instanceof ToolFailure ? error.code : 'internal_error';
    finishStep(step, 'error', started, {
      code,
      reason: error instanceof ToolFailure ? error.message : 'The tool failed.',
    });
    if (!recorder || (await recorder(thrownOutcome(error, code))))
      await auditToolCall(context, step, 'agent.tool_call', 'failure', code);
    context.emit({ type: 'step', step: stepEvent(step) });
    throw error;
  }
  const recorded = recorder
    ? await recorder(
        execution.kind === 'ok'
          ? { kind: 'ok', recordIds: execution.recordIds }
          : { kind: 'refused', code: execution.code },
      )
    : true;
  await recordExecution(context, step, execution, started, recorded);
  context.emit({ type: 'step', step: stepEvent(step) });
  return execution.output;
}

async function recordExecution(
  context: DispatchContext,
  step: LiveStep,
  execution: ToolExecution,
  started: number,
  audited: boolean,
): Promise<void> {
  step.objectType = execution.objectType ?? step.objectType;
  step.recordIds = execution.recordIds;
  step.result = execution.output;
  if (execution.kind === 'ok') {
    finishStep(step, 'ok', started);
    if (execution.rawBytes !== undefined) {
      step.rawBytes = execution.rawBytes;
      step.contextBytes = execution.contextBytes;
    }
    if (audited) await auditToolCall(context, step, 'agent.tool_call', 'success', null);
    return;
  }
  finishStep(step, execution.kind === 'no_access' ? 'no_output_data' : 'error', started, {
    code: execution.code,
    reason: execution.reason,
  });
  if (!audited) return;
  await auditToolCall(
    context,
    step,
    'agent.tool_call',
    execution.kind === 'no_access' ? 'denied' : 'failure',
    execution.code,
  );
}

/**
 * A thrown failure: the connection could not be used (nothing left) or Salesforce refused the
 * session — nothing happened; anything else (dropped connection, timeout, a 5xx) may have happened.
 */
function thrownOutcome(error: unknown, code: string): CallOutcome {
  const refusedBeforeSending =
    error instanceof ToolFailure &&
    (error.needsReconnect || code === 'refresh_failed' || code === 'session_rejected');
  return refusedBeforeSending ? { kind: 'refused', code } : { kind: 'unknown', code };
}
