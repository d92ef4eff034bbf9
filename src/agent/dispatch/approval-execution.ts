import type { ApprovalExecutionState } from '../../store/agent-tables.ts';

/**
 * The execution of an approved call, as pure functions of its durable record (the approval's row).
 *
 *   approve ──► claimed ──► sending ──► executed | failed        (the instance that took the decision)
 *                  │            │
 *                  │            └─(holder's lease ran out)──► resolving ──► executed | not_executed
 *                  │                                          (a resolver looks the call up in Salesforce)
 *                  └─(holder's lease ran out)──► not_executed (expired: the request never left)
 *
 * Every arrow is a compare-and-set on the row, so of the instance that approved and any number of
 * resolvers exactly one moves the call on: a call is either sent by its holder or expired by a
 * resolver, never both; and whoever writes the final state writes the `agent.tool_call` audit, once.
 * The record is written with the decision, before any Salesforce call.
 */

export type { ApprovalExecutionState };

/** The default of AGENT_EXECUTION_LEASE_SECONDS (config.ts): longer than any Salesforce write. */
export const EXECUTION_LEASE_MS = 2 * 60 * 1000;

/** The tools whose calls change Salesforce: an interrupted one must be looked up, never re-sent. */
export const WRITE_TOOL_NAMES = ['create_record', 'update_record', 'delete_record'] as const;
export type WriteToolName = (typeof WRITE_TOOL_NAMES)[number];

export function isWriteTool(toolName: string): toolName is WriteToolName {
  return (WRITE_TOOL_NAMES as readonly string[]).includes(toolName);
}

export const FINAL_EXECUTION_STATES = ['executed', 'failed', 'not_executed'] as const;
export const UNFINISHED_EXECUTION_STATES = ['claimed', 'sending', 'resolving'] as const;

export interface ExecutionRecord {
  toolName: string;
  execution: ApprovalExecutionState | null;
  /** Milliseconds since the epoch; null once final. */
  leaseUntil: number | null;
}

export type ResolverAction =
  /** Not an approved call, or already final: nothing to do. */
  | { action: 'done' }
  /** Its holder may still be working on it: look again once the lease ran out. */
  | { action: 'wait'; retryAt: number }
  /** The holder died before the request left: record it as not executed; never send it. */
  | { action: 'expire' }
  /** The holder died while a write may have reached Salesforce: find out there what happened. */
  | { action: 'look-up' }
  /** A read that may have left: it changed nothing, so there is nothing to find; it failed. */
  | { action: 'abandon' };

/** What a resolver does with an execution record at `now`. */
export function nextResolverAction(record: ExecutionRecord, now: number): ResolverAction {
  const { execution } = record;
  if (execution === null || (FINAL_EXECUTION_STATES as readonly string[]).includes(execution)) {
    return { action: 'done' };
  }
  const leaseUntil = record.leaseUntil ?? 0;
  if (now < leaseUntil) return { action: 'wait', retryAt: leaseUntil };
  if (execution === 'claimed') return { action: 'expire' };
  return isWriteTool(record.toolName) ? { action: 'look-up' } : { action: 'abandon' };
}

/** How the holder's Salesforce call came back. */
export type CallOutcome =
  /** Salesforce answered and did it. */
  | { kind: 'ok'; recordIds: string[] }
  /** Salesforce answered and refused (validation, access): nothing changed. */
  | { kind: 'refused'; code: string }
  /** No answer, or one that does not say (dropped connection, timeout, 5xx): it may have happened. */
  | { kind: 'unknown'; code: string };

export type HolderAction =
  | { action: 'finish'; state: 'executed' | 'failed'; recordIds: string[]; errorCode: string | null }
  /** Leave the record to a resolver's lookup at once (a read has nothing to look up: it failed). */
  | { action: 'look-up' };

/** What the holder records after its call. An unknown write outcome is never guessed: it is looked up. */
export function afterCall(toolName: string, outcome: CallOutcome): HolderAction {
  if (outcome.kind === 'ok') {
    return { action: 'finish', state: 'executed', recordIds: outcome.recordIds, errorCode: null };
  }
  if (outcome.kind === 'unknown' && isWriteTool(toolName)) return { action: 'look-up' };
  return { action: 'finish', state: 'failed', recordIds: [], errorCode: outcome.code };
}

/** What the lookup of an interrupted write found. */
export type LookupResult = { found: true; recordIds: string[] } | { found: false };

export function afterLookup(result: LookupResult): {
  state: 'executed' | 'not_executed';
  recordIds: string[];
  errorCode: string | null;
} {
  return result.found
    ? { state: 'executed', recordIds: result.recordIds, errorCode: null }
    : { state: 'not_executed', recordIds: [], errorCode: 'not_executed' };
}
