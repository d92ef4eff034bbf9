import { finishExecution, releaseForLookup, startSending } from '../store/approval-store.ts';
import { ToolFailure } from '../tools/tool-errors.ts';
import type { LiveStep } from '../turns/steps.ts';
import { afterCall } from './approval-execution.ts';
import { auditToolCall } from './audit-tool-call.ts';
import { type DispatchContext, finishStep, stepEvent } from './dispatch-context.ts';
import { runAllowedCall } from './run-allowed-call.ts';

/** The points of an approved call's execution where an instance can die, in order. */
export type ExecutionPoint = 'decided' | 'sending' | 'sent';

/**
 * Called at each point of an approved call's execution. Production passes none; the crash tests
 * stop an instance at one (a promise that does not settle), as if its process died there.
 */
export type ExecutionProbe = (point: ExecutionPoint, approvalId: string) => Promise<void>;

/**
 * Runs an approved call under its durable execution record (approval-execution.ts): claimed (by
 * the decision) → sending, written before the request leaves → executed | failed after it, or
 * handed to a resolver's lookup when the outcome is unknown. The audit is written by whoever
 * writes the final state, so exactly once.
 */
export async function runApprovedCall(
  context: DispatchContext,
  options: { approvalId: string; leaseMs: number; probe: ExecutionProbe | undefined },
  step: LiveStep,
  input: unknown,
): Promise<unknown> {
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
      ok: false,
      errorCode: 'APPROVAL_EXPIRED',
      message: 'The approved action could not be run in time, so it did not happen. Ask before trying again.',
    };
  }
  await probe?.('sending', approvalId);
  return runAllowedCall(context, step, input, started, async (outcome) => {
    await probe?.('sent', approvalId);
    const next = afterCall(step.tool, outcome);
    if (next.action === 'look-up') {
      // It may have happened: a resolver looks it up (on any instance) and audits what it finds.
      await releaseForLookup(store, approvalId, context.now());
      return false;
    }
    // From resolving too: the holder knows better than a lookup still running.
    return finishExecution(store, approvalId, next, { states: ['sending', 'resolving'] });
  });
}
