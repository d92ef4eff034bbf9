import { salesforceClientFor } from '../../connections/connection-client.ts';
import type { Actor } from '../../core/actor.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { AgentApprovalsTable } from '../../store/agent-tables.ts';
import { currentValuesFor } from '../dispatch/request-approval.ts';
import { openSealedCall } from '../store/approval-store.ts';
import type { ConversationState } from '../store/conversation-memory.ts';
import type { ApprovalView } from './chat-events.ts';

/**
 * The approvals of a conversation as a reader of it sees them (GET /api/conversations/:id): the
 * pending cards, and who decided each decided one and when.
 */

/** A decided approval: never shown as pending again, in any tab, after any reload. */
export interface DecidedApprovalView {
  approvalId: string;
  messageId: string;
  toolCallId: string;
  tool: string;
  objectType: string | null;
  recordId: string | null;
  status: 'approved' | 'rejected' | 'expired';
  decidedAt: string | null;
  /** The person who approved or rejected (only the person chatting can); null when it expired. */
  decidedBy: { id: string; name: string } | null;
  /** For an approved call: how its execution ended (executed, failed, not_executed, or still running). */
  execution: string | null;
  /** `record_changed`: the record changed after the card was shown; nothing was written and a new card asked again. */
  code: string | null;
}

/** Salesforce's code for a conditional write refused because the record changed (HTTP 412). */
const RECORD_CHANGED = 'PRECONDITION_FAILED';

export async function decidedApprovalViews(
  service: Pick<ServiceContext, 'store'>,
  conversationId: string,
): Promise<DecidedApprovalView[]> {
  const rows = await service.store.db
    .selectFrom('agent_approvals')
    .leftJoin('users', 'users.id', 'agent_approvals.user_id')
    .select([
      'agent_approvals.id',
      'agent_approvals.message_id',
      'agent_approvals.tool_call_id',
      'agent_approvals.tool_name',
      'agent_approvals.object_type',
      'agent_approvals.record_id',
      'agent_approvals.status',
      'agent_approvals.decided_at',
      'agent_approvals.user_id',
      'agent_approvals.execution',
      'agent_approvals.execution_error_code',
      'users.name as user_name',
    ])
    .where('agent_approvals.conversation_id', '=', conversationId)
    .where('agent_approvals.status', '!=', 'pending')
    .orderBy('agent_approvals.id')
    .execute();
  return rows.map((row) => {
    const status = row.status as DecidedApprovalView['status'];
    return {
      approvalId: row.id,
      messageId: row.message_id,
      toolCallId: row.tool_call_id,
      tool: row.tool_name,
      objectType: row.object_type,
      recordId: row.record_id,
      status,
      decidedAt: row.decided_at,
      // decideApproval lets only the person chatting decide: the decider is the approval's person.
      decidedBy: status === 'expired' ? null : { id: row.user_id, name: row.user_name ?? 'someone' },
      execution: row.execution,
      code: row.execution_error_code === RECORD_CHANGED ? 'record_changed' : row.execution_error_code,
    };
  });
}

/**
 * A pending card. From this process's memory while the conversation is live; otherwise (the
 * memory expired, a restart, another instance) rebuilt: the call from its sealed copy and, for an
 * update or delete, the record's current values read live again — Salesforce values are never
 * stored, not even with a pending approval. Values read now may be newer than those the approval
 * was asked with: approving then finds the record changed (412, nothing written) and asks again.
 */
export async function pendingApprovalView(
  service: Pick<ServiceContext, 'store' | 'audit' | 'salesforce' | 'salesforceSessions' | 'vault'>,
  user: Actor,
  row: AgentApprovalsTable,
  state: ConversationState | undefined,
  decided: DecidedApprovalView[],
): Promise<ApprovalView> {
  const live = state?.steps.get(row.tool_call_id)?.result as { approval?: ApprovalView } | undefined;
  if (live?.approval?.approvalId === row.id) return live.approval;
  const call = openSealedCall(service.vault, row);
  const input = call?.input ?? null;
  const current = call
    ? await currentValuesFor(
        { client: () => salesforceClientFor(service, user, row.connection_id, 'agent') },
        { toolName: call.toolName, input: call.input },
      )
    : { view: {} };
  const askedAgain = decided.some(
    (entry) => entry.toolCallId === row.tool_call_id && entry.code === 'record_changed',
  );
  return {
    approvalId: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    toolCallId: row.tool_call_id,
    tool: row.tool_name,
    objectType: row.object_type,
    recordId: row.record_id,
    input,
    inputHash: row.input_hash,
    ...current.view,
    ...(askedAgain ? { recordChanged: true as const } : {}),
    expiresAt: new Date(row.expires_at).toISOString(),
    status: 'pending',
  };
}
