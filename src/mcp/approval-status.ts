import type { CallToolResult } from '@modelcontextprotocol/server';
import type { DirectCaller } from '../agent/direct/direct-call-context.ts';
import type { Agent } from '../agent/store/agent-store.ts';
import { findApproval } from '../agent/store/approval-store.ts';
import type { LiveStep } from '../agent/turns/steps.ts';
import { notFound } from '../core/errors.ts';
import type { AgentApprovalsTable } from '../store/agent-tables.ts';
import { callToolResult } from './tool-results.ts';

/**
 * The `approval_status` tool: for a client that could not ask the person itself, whether the
 * approval was decided (on the approval page) and, once approved and run, the action's result.
 * Only the person who made the call sees it; another person's id reads as unknown.
 *
 * The full result lives in the memory of the instance that ran the action (Salesforce data is
 * never stored). Asked on another instance — behind a load balancer, the approval page may be
 * served by one instance and the client's next call by another — the answer comes from the
 * approval's execution record in the database, which holds only ids, a state and an error code:
 * a write's result is essentially that (the record id; an update's field names aside), so it is
 * answered from it; a read's rows are not there, and the answer says so.
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
  if (status === 'approved') return fromExecutionRecord(row);
  return text({
    ok: false,
    status,
    approvalId,
    message: 'The person rejected this action. Do not retry it unless they ask.',
  });
}

/** The tools whose whole result is the id of the record they wrote (write-tools.ts). */
const WRITE_RESULTS: Record<string, (id: string) => Record<string, unknown>> = {
  create_record: (id) => ({ ok: true, id }),
  update_record: (id) => ({ ok: true, id }),
  delete_record: (id) => ({ ok: true, id, deleted: true }),
};

/** An approved action's outcome as the database has it: state, record ids, error code. */
function fromExecutionRecord(row: AgentApprovalsTable): CallToolResult {
  const approvalId = row.id;
  const recordIds = parseIds(row.execution_record_ids);
  const base = { status: 'approved', approvalId, execution: row.execution };
  switch (row.execution) {
    case 'claimed':
    case 'sending':
    case 'resolving':
      return text({
        ok: false,
        ...base,
        message: 'Approved; the action is running now. Call approval_status again in a moment.',
      });
    case 'failed':
    case 'not_executed':
      return text(
        {
          ok: false,
          ...base,
          errorCode: (row.execution_error_code ?? 'failed').toUpperCase(),
          message:
            row.execution === 'failed'
              ? 'Approved, but Salesforce did not accept the action: nothing was changed.'
              : 'Approved, but the action did not run: nothing was changed.',
        },
        true,
      );
    case 'executed': {
      const write = WRITE_RESULTS[row.tool_name];
      if (write && recordIds[0]) {
        return text({ ...write(recordIds[0]), ...base, recordIds, message: 'Approved and run.' });
      }
      return text({
        ok: true,
        ...base,
        recordIds,
        message:
          'Approved and run, on another instance of the service, which holds the result in its memory (Salesforce data is never stored). To see it, call approval_status again (it may reach that instance) or run the read again.',
      });
    }
    default:
      return text({
        ok: true,
        ...base,
        recordIds,
        message: 'Approved and run; its result is no longer held in memory.',
      });
  }
}

function parseIds(json: string | null): string[] {
  try {
    const ids: unknown = json ? JSON.parse(json) : [];
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function text(body: Record<string, unknown>, isError = false): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(body) }],
    structuredContent: body,
    ...(isError ? { isError } : {}),
  };
}
