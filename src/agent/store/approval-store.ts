import type { AgentApprovalsTable, StoredApprovalStatus } from '../../store/agent-tables.ts';
import type { Store } from '../../store/database.ts';
import type { TokenVault } from '../../vault/token-vault.ts';
import type { PaginatedToolName } from '../tools/tool-permissions.ts';
import { type ApprovalRequest, hashToolInput } from '../turns/decide-approval.ts';

/**
 * Approvals in the database. The pure rules are in turns/decide-approval.ts; what this module adds is the one
 * thing they cannot do: make a decision stick exactly once. `settle` writes a decision only where
 * the row is still pending (a conditional update), so of two clicks, two tabs, a replayed request
 * or two instances, exactly one wins, and only the winner executes the call.
 *
 * The call itself (tool and input) is sealed into the row with the vault while the approval is
 * pending, so the instance that receives the decision can execute it even when another instance
 * paused the turn. The input of a create or update holds values the person or the model wrote
 * (never values read from Salesforce), hence encrypted, and erased as soon as the approval is
 * decided or has expired.
 */

/** What an approval executes once approved. */
export interface SealedCall {
  toolName: string;
  input: unknown;
  /** For next_page: the tool whose cursor it continues. */
  continuedTool?: PaginatedToolName;
}

/** Binds a sealed call to its approval row: a ciphertext copied to another row does not open. */
export function sealedCallContext(approvalId: string): string {
  return `agent_approval:${approvalId}:call`;
}

export function sealCall(vault: TokenVault, approvalId: string, call: SealedCall): string {
  return vault.encrypt(JSON.stringify(call), sealedCallContext(approvalId));
}

/**
 * The call sealed in a row, or undefined when there is none (decided, expired and erased) or it
 * cannot be trusted: it does not open (key removed, tampered) or is not the call the person saw
 * (another tool, or an input whose hash is not the approval's).
 */
export function openSealedCall(vault: TokenVault, row: AgentApprovalsTable): SealedCall | undefined {
  if (!row.sealed_call) return undefined;
  try {
    const call = JSON.parse(vault.decrypt(row.sealed_call, sealedCallContext(row.id))) as SealedCall;
    if (call.toolName !== row.tool_name || hashToolInput(call.input) !== row.input_hash) return undefined;
    return call;
  } catch {
    return undefined;
  }
}

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
    .set({
      status,
      decided_at: decidedAt.toISOString(),
      consumed: status === 'approved' ? 1 : 0,
      // The winner holds the call in hand; nobody needs the sealed copy any more.
      sealed_call: null,
    })
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

/** Erases the sealed calls of approvals past their expiry (whether or not anyone settled them yet). */
export async function eraseExpiredSealedCalls(store: Store, now: Date): Promise<void> {
  await store.db
    .updateTable('agent_approvals')
    .set({ sealed_call: null })
    .where('sealed_call', 'is not', null)
    .where('expires_at', '<=', now.toISOString())
    .execute();
}
