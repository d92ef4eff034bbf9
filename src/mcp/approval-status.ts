import type { CallToolResult } from '@modelcontextprotocol/server';
import type { DirectCaller } from '../agent/direct/direct-call-context.ts';
import type { Agent } from '../agent/store/agent-store.ts';
import { findApproval } from '../agent/store/approval-store.ts';
import type { LiveStep } from '../agent/turns/steps.ts';
import { notFound } from '../core/errors.ts';
import { callToolResult } from './tool-results.ts';

/**
 * The `approval_status` tool: for a client that could not ask the person itself, whether the
 * approval was decided (on the approval page) and, once approved and run, the action's result.
 * Only the person who made the call sees it; another person's id reads as unknown.
 */
export async function approvalStatusResult(
  caller: DirectCaller,
  agent: Agent,
  approvalId: string,
): Promise<CallToolResult> {
  const row = await findApproval(caller.service.store, approvalId);
  if (!row || row.user_id !== caller.user.id || row.agent_id !== agent.row.id) throw notFound('Approval');
  const step = caller.runtime.memory.get(row.conversation_id)?.steps.get(row.tool_call_id) as
    | LiveStep
    | undefined;
  const expired = row.status === 'pending' && Date.parse(row.expires_at) <= caller.service.now();
  const status = expired ? 'expired' : row.status;
  if (status === 'pending') {
    return text({
      ok: false,
      status,
      approvalId,
      message: 'Still waiting for the person to approve or reject.',
    });
  }
  if (status === 'expired') {
    return text(
      { ok: false, status, approvalId, message: 'Nobody decided in time; the action did not run.' },
      true,
    );
  }
  if (step && step.status !== 'running' && step.status !== 'awaiting_approval' && step.result !== undefined) {
    return callToolResult({ kind: 'result', output: step.result, step });
  }
  return text({
    ok: status === 'approved',
    status,
    approvalId,
    message:
      status === 'approved'
        ? 'Approved and run; its result is no longer held in memory.'
        : 'The person rejected this action. Do not retry it unless they ask.',
  });
}

function text(body: Record<string, unknown>, isError = false): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(body) }],
    structuredContent: body,
    ...(isError ? { isError } : {}),
  };
}
