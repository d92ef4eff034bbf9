import type { Store } from '../store/database.ts';
import type { AgentApprovalsTable, StoredApprovalStatus } from './agent-tables.ts';
import type { ApprovalRequest } from './approvals.ts';

/**
 * Approvals in the database. The pure rules are in approvals.ts; what this module adds is the one
 * thing they cannot do: make a decision stick exactly once. `settle` writes a decision only where
 * the row is still pending (a conditional update), so of two clicks, two tabs, a replayed request
 * or two instances, exactly one wins, and only the winner executes the call.
 */

export function toApprovalRequest(row: AgentApprovalsTable): ApprovalRequest {
  return {
    conversationId: row.conversation_id,
    userId: row.user_id,
    toolCallId: row.tool_call_id,
    toolName: row.tool_name,
    inputHash: row.input_hash,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    status: row.status,
    ...(row.decided_at ? { decidedAt: new Date(row.decided_at) } : {}),
    consumed: row.consumed === 1,
  };
}

export async function insertApproval(store: Store, row: AgentApprovalsTable): Promise<void> {
  await store.db.insertInto('agent_approvals').values(row).execute();
}

export async function findApproval(store: Store, id: string): Promise<AgentApprovalsTable | undefined> {
  return store.db.selectFrom('agent_approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when this call moved the row out of pending; false when someone else already had. */
export async function settleApproval(
  store: Store,
  id: string,
  status: Exclude<StoredApprovalStatus, 'pending'>,
  decidedAt: Date,
): Promise<boolean> {
  const result = await store.db
    .updateTable('agent_approvals')
    .set({ status, decided_at: decidedAt.toISOString(), consumed: status === 'approved' ? 1 : 0 })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('consumed', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function pendingApprovals(store: Store, conversationId: string): Promise<AgentApprovalsTable[]> {
  return store.db
    .selectFrom('agent_approvals')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
}
