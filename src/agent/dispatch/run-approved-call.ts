import type { RecordVersion } from '../../salesforce/salesforce-types.ts';
import { finishExecution, releaseForLookup, startSending } from '../store/approval-store.ts';
import { ToolFailure } from '../tools/tool-errors.ts';
import type { PaginatedToolName } from '../tools/tool-permissions.ts';
import type { ApprovalView } from '../turns/chat-events.ts';
import type { LiveStep } from '../turns/steps.ts';
import { afterCall, type CallOutcome } from './approval-execution.ts';
import { auditToolCall } from './audit-tool-call.ts';
import { type DispatchContext, finishStep, stepEvent } from './dispatch-context.ts';
import { requestApproval } from './request-approval.ts';
import { runAllowedCall } from './run-allowed-call.ts';

/** The points of an approved call's execution where an instance can die, in order. */
export type ExecutionPoint = 'decided' | 'sending' | 'sent';

/**
 * Called at each point of an approved call's execution. Production passes none; the crash tests
 * stop an instance at one (a promise that does not settle), as if its process died there.
 */
export type ExecutionProbe = (point: ExecutionPoint, approvalId: string) => Promise<void>;

/** How an approved call ended: its output for the model, or asked again (the record had changed). */
export type ApprovedCallResult =
  | { kind: 'done'; output: unknown }
  | { kind: 'asked-again'; approval: ApprovalView };

/** Salesforce's answer to a conditional write whose record changed since it was read (HTTP 412). */
const RECORD_CHANGED = 'PRECONDITION_FAILED';

/**
 * Runs an approved call under its durable execution record (approval-execution.ts): claimed (by
 * the decision) → sending, written before the request leaves → executed | failed after it, or
 * handed to a resolver's lookup when the outcome is unknown. The audit is written by whoever
 * writes the final state, so exactly once.
 *
 * An update or delete is sent conditional on the record's version the person was shown
 * (`precondition`). When Salesforce refuses it because the record changed since (412, nothing
 * written), the execution ends failed (audited, code PRECONDITION_FAILED) and the same call is
 * asked again: a new approval with the values read now (the approval just used stays used).
 */
export async function runApprovedCall(
  context: DispatchContext,
  options: {
    approvalId: string;
    leaseMs: number;
    probe: ExecutionProbe | undefined;
    precondition?: RecordVersion | undefined;
    continuedTool?: PaginatedToolName | undefined;
  },
  step: LiveStep,
  input: unknown,
): Promise<ApprovedCallResult> {
  const { store } = context;
  const { approvalId, probe } = options;
  const started = performance.now();
  await probe?.('decided', approvalId);
  try {
    await context.client();
  } catch (error) {
    // The connection cannot be used: nothing left for Salesforce.
    const code =
      error instanceof ToolFailure ? error.code : ((error as { code?: string }).code ?? 'internal_error');
    const final = { state: 'failed' as const, recordIds: [], errorCode: code };
    finishStep(step, 'error', started, { code, reason: 'The Salesforce connection could not be used.' });
    if (await finishExecution(store, approvalId, final, { states: ['claimed'] }))
      await auditToolCall(context, step, 'agent.tool_call', 'failure', code);
    context.emit({ type: 'step', step: stepEvent(step) });
    throw error;
  }
  const now = context.now();
  if (!(await startSending(store, approvalId, now, now + options.leaseMs))) {
    // A resolver expired it while this instance was stalled: it must not run now.
    finishStep(step, 'expired', started, {
      code: 'not_executed',
      reason: 'The approved action was not run in time, so it did not happen.',
    });
    context.emit({ type: 'step', step: stepEvent(step) });
    return {
      kind: 'done',
      output: {
        ok: false,
        errorCode: 'APPROVAL_EXPIRED',
        message:
          'The approved action could not be run in time, so it did not happen. Ask before trying again.',
      },
    };
  }
  await probe?.('sending', approvalId);
  const recorder = async (outcome: CallOutcome) => {
    await probe?.('sent', approvalId);
    const next = afterCall(step.tool, outcome);
    if (next.action === 'look-up') {
      // It may have happened: a resolver looks it up (on any instance) and audits what it finds.
      await releaseForLookup(store, approvalId, context.now());
      return false;
    }
    // From resolving too: the holder knows better than a lookup still running.
    return finishExecution(store, approvalId, next, { states: ['sending', 'resolving'] });
  };
  const output = await runAllowedCall(context, step, input, started, recorder, options.precondition);
  if (step.status !== 'error' || step.code !== RECORD_CHANGED || !options.precondition) {
    return { kind: 'done', output };
  }
  // Someone changed the record after the person saw it: nothing was written. Show the record as
  // it is now and ask again, rather than overwrite their edit.
  step.code = 'record_changed';
  step.reason =
    'The record changed after you were shown it, so nothing was written. Check its current values and decide again.';
  const asked = await requestApproval(
    context,
    step,
    { toolCallId: step.id, toolName: step.tool, input },
    options.continuedTool,
    performance.now(),
    { recordChanged: true },
  );
  return { kind: 'asked-again', approval: asked.approval };
}
