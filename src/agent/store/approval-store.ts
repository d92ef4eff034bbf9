import type { RecordVersion } from '../../salesforce/salesforce-types.ts';
import type {
  AgentApprovalsTable,
  ApprovalExecutionState,
  StoredApprovalStatus,
} from '../../store/agent-tables.ts';
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
 * decided or has expired — or, for an approved call, once its execution record is final (a
 * resolver on another instance may need it to look the call up).
 */

/** What an approval executes once approved. */
export interface SealedCall {
  toolName: string;
  input: unknown;
  /** For next_page: the tool whose cursor it continues. */
  continuedTool?: PaginatedToolName;
  /**
   * For update and delete: the record's version (ETag, Last-Modified) read with the current values
   * the person is shown; the approved write is conditional on it. Record metadata, not field values.
   */
  precondition?: RecordVersion;
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

type ExecutionColumns =
  | 'execution'
  | 'execution_lease_until'
  | 'execution_started_at'
  | 'execution_record_ids'
  | 'execution_error_code';

export async function insertApproval(
  store: Store,
  row: Omit<AgentApprovalsTable, ExecutionColumns>,
): Promise<void> {
  await store.db
    .insertInto('agent_approvals')
    .values({
      ...row,
      execution: null,
      execution_lease_until: null,
      execution_started_at: null,
      execution_record_ids: null,
      execution_error_code: null,
    })
    .execute();
}

export async function findApproval(store: Store, id: string): Promise<AgentApprovalsTable | undefined> {
  return store.db.selectFrom('agent_approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * True when this call moved the row out of pending; false when someone else already had. An
 * approval writes its execution record in the same update (claimed, held until
 * `executionLeaseUntil`), so there is no moment when a call is approved and nobody is answerable
 * for it.
 */
export async function settleApproval(
  store: Store,
  id: string,
  status: Exclude<StoredApprovalStatus, 'pending'>,
  decidedAt: Date,
  executionLeaseUntil?: Date,
): Promise<boolean> {
  const approved = status === 'approved';
  const result = await store.db
    .updateTable('agent_approvals')
    .set({
      status,
      decided_at: decidedAt.toISOString(),
      consumed: approved ? 1 : 0,
      ...(approved
        ? {
            execution: 'claimed' as const,
            execution_lease_until: (executionLeaseUntil ?? decidedAt).toISOString(),
          }
        : // Rejected or expired: nothing will run, nobody needs the sealed copy any more.
          { sealed_call: null }),
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
    // An approved call still running or being looked up keeps it until its record is final.
    .where((where) => where.or([where('execution', 'is', null), where('execution', 'not in', UNFINISHED)]))
    .execute();
}

const UNFINISHED: ApprovalExecutionState[] = ['claimed', 'sending', 'resolving'];

/** The holder's last step before the request leaves: claimed → sending. False when a resolver expired it. */
export async function startSending(
  store: Store,
  id: string,
  now: number,
  leaseUntil: number,
): Promise<boolean> {
  const result = await store.db
    .updateTable('agent_approvals')
    .set({
      execution: 'sending',
      execution_started_at: new Date(now).toISOString(),
      execution_lease_until: new Date(leaseUntil).toISOString(),
    })
    .where('id', '=', id)
    .where('execution', '=', 'claimed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Writes the final state, from one of `from` (and, for a resolver, only under the lease it took),
 * and erases the sealed call. True for the one caller that wrote it: that caller audits.
 */
export async function finishExecution(
  store: Store,
  id: string,
  final: { state: 'executed' | 'failed' | 'not_executed'; recordIds: string[]; errorCode: string | null },
  from: { states: ApprovalExecutionState[]; leaseUntil?: string },
): Promise<boolean> {
  let update = store.db
    .updateTable('agent_approvals')
    .set({
      execution: final.state,
      execution_record_ids: JSON.stringify(final.recordIds),
      execution_error_code: final.errorCode,
      execution_lease_until: null,
      sealed_call: null,
    })
    .where('id', '=', id)
    .where('execution', 'in', from.states);
  if (from.leaseUntil !== undefined) update = update.where('execution_lease_until', '=', from.leaseUntil);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Hands an execution to the resolvers at once (its outcome is unknown): the lease is cut to now,
 * only if the row is still the holder's (sending, under the lease it set).
 */
export async function releaseForLookup(store: Store, id: string, now: number): Promise<void> {
  await store.db
    .updateTable('agent_approvals')
    .set({ execution_lease_until: new Date(now).toISOString() })
    .where('id', '=', id)
    .where('execution', '=', 'sending')
    .execute();
}

/**
 * A resolver takes an execution over from a holder whose lease ran out: a compare-and-set on the
 * state and the exact lease it saw, so of several resolvers only one takes it.
 */
export async function takeOverExecution(
  store: Store,
  row: Pick<AgentApprovalsTable, 'id' | 'execution' | 'execution_lease_until'>,
  leaseUntil: number,
): Promise<string | undefined> {
  if (!row.execution || !row.execution_lease_until) return undefined;
  const lease = new Date(leaseUntil).toISOString();
  const result = await store.db
    .updateTable('agent_approvals')
    .set({ execution: 'resolving', execution_lease_until: lease })
    .where('id', '=', row.id)
    .where('execution', '=', row.execution)
    .where('execution_lease_until', '=', row.execution_lease_until)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? lease : undefined;
}

/** Executions whose holder's lease ran out (the instance died, or handed it over), oldest first. */
export async function abandonedExecutions(
  store: Store,
  now: number,
  limit = 100,
): Promise<AgentApprovalsTable[]> {
  return store.db
    .selectFrom('agent_approvals')
    .selectAll()
    .where('execution', 'in', UNFINISHED)
    .where('execution_lease_until', '<=', new Date(now).toISOString())
    .orderBy('id')
    .limit(limit)
    .execute();
}
