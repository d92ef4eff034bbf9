import { ServiceError } from '../../core/errors.ts';
import { eraseExpiredSealedCalls } from '../store/approval-store.ts';
import type { ConversationState } from '../store/conversation-memory.ts';
import type { Emit, TurnResult, TurnRunner } from './chat-events.ts';
import type { Turn } from './turn.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import { acquireTurnLock, advanceTurn, releaseTurnLock, renewTurnLock, type TurnLease } from './turn-lock.ts';

/**
 * A turn's hold on its conversation, on top of the database lease (turn-lock.ts): which memory of
 * the conversation this process may still use, counting the turn once it goes ahead, renewing the
 * lease while it runs and releasing it at the end whatever happens.
 */

/** A turn's hold on its conversation: the database lease, and this process's memory if still current. */
export interface TurnHold {
  lease: TurnLease;
  state: ConversationState | undefined;
}

/**
 * Takes the conversation's turn lock in the database (409 when a turn runs, on any instance),
 * and answers this process's memory of it only if no other instance took a turn since.
 */
export async function acquireTurn(dependencies: TurnDependencies, conversationId: string): Promise<TurnHold> {
  const { service, memory } = dependencies;
  const now = service.now();
  const lease = await acquireTurnLock(service.store, conversationId, now, dependencies.turnLeaseMs);
  if (!lease) {
    throw new ServiceError(
      409,
      'turn_in_progress',
      'The agent is still answering in this conversation. Try again when it has finished.',
    );
  }
  let state = memory.get(conversationId);
  if (state && state.turnSequence !== lease.sequence) {
    memory.forget(conversationId);
    state = undefined;
  }
  return { lease, state };
}

/** The turn goes ahead (no more refusals): counted, so other instances know their memory is stale. */
export async function advanceHeldTurn(dependencies: TurnDependencies, hold: TurnHold): Promise<void> {
  await advanceTurn(dependencies.service.store, hold.lease);
  if (hold.state) hold.state.turnSequence = hold.lease.sequence;
}

export async function releaseTurn(dependencies: TurnDependencies, lease: TurnLease): Promise<void> {
  const { service } = dependencies;
  const warn = (error: unknown, message: string) =>
    service.logger.warn(
      { conversationId: lease.conversationId, errorName: error instanceof Error ? error.name : 'unknown' },
      message,
    );
  try {
    await releaseTurnLock(service.store, lease);
  } catch (error) {
    // The lease still runs out on its own; the turn's answer must not fail for this.
    warn(error, 'agent turn lock not released');
  }
  try {
    // Sealed calls of approvals that expired since, in any conversation: erased as each turn ends
    // (not before its answer starts: nothing in the turn waits for it).
    await eraseExpiredSealedCalls(service.store, new Date(service.now()));
  } catch (error) {
    // The next turn's end tries again.
    warn(error, 'expired sealed calls not erased');
  }
}

/**
 * Runs the checks that still can refuse while holding the turn, then answers the runner; the lock
 * is released if a check throws, or when the runner ends however it ends.
 */
export async function runnerHoldingTurn(
  dependencies: TurnDependencies,
  hold: TurnHold,
  prepare: () => Promise<void>,
  run: (emit: Emit) => Promise<TurnResult>,
): Promise<TurnRunner> {
  try {
    await prepare();
  } catch (error) {
    await releaseTurn(dependencies, hold.lease);
    throw error;
  }
  return async (emit) => {
    try {
      return await run(emit);
    } finally {
      await releaseTurn(dependencies, hold.lease);
    }
  };
}

/** Renews the turn's lease when a good part of it has passed: a long turn keeps its conversation. */
export async function keepTurn(dependencies: TurnDependencies, turn: Turn): Promise<void> {
  const { service } = dependencies;
  const now = service.now();
  if (now - turn.leaseRenewedAt < dependencies.turnLeaseMs / 4) return;
  turn.leaseRenewedAt = now;
  if (!(await renewTurnLock(service.store, turn.lease, now, dependencies.turnLeaseMs))) {
    service.logger.warn(
      { conversationId: turn.conversation.id },
      'agent turn lease ran out before the turn ended',
    );
  }
}
