import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.ts';

/**
 * One turn at a time per conversation, across every instance that shares the database. A turn
 * takes the lock with a conditional update (only where nobody holds it, or the holder's lease ran
 * out), so of two instances racing for one conversation exactly one wins; the other answers 409.
 *
 * The lock is a lease rather than a flag: an instance that dies mid-turn cannot release it, and
 * the conversation must not stay stuck. A running turn renews its lease as it goes (`renew`), so
 * only a holder that stopped making progress loses it.
 *
 * The row also counts the conversation's turns (`turn_sequence`): a turn that goes ahead (past
 * its refusals) advances it. An instance remembers the count after its last turn; when it finds
 * another count on acquiring, another instance answered in between, and this instance's memory of
 * the conversation is stale. A turn refused up front (e.g. 409) changes nothing, so it does not
 * make other instances' memory stale.
 */

/** How long a turn holds the lock without renewing it: the default of AGENT_TURN_LEASE_SECONDS. */
export const TURN_LEASE_MS = 2 * 60 * 1000;

export interface TurnLease {
  conversationId: string;
  /** Random, per turn: only the holder can renew or release. */
  owner: string;
  /** The conversation's turn count: before this turn, then this turn's once it advanced. */
  sequence: number;
}

/** Whether a turn (on any instance) holds the conversation now: its lease is taken and not run out. */
export function turnHeld(
  row: { turn_owner: string | null; turn_locked_until: string | null },
  now: number,
): boolean {
  return row.turn_owner !== null && row.turn_locked_until !== null && Date.parse(row.turn_locked_until) > now;
}

/** The lease, or undefined when another turn (on any instance) holds the conversation. */
export async function acquireTurnLock(
  store: Store,
  conversationId: string,
  now: number,
  leaseMs: number = TURN_LEASE_MS,
): Promise<TurnLease | undefined> {
  const owner = randomBytes(12).toString('base64url');
  // One statement: the lock and the turn count it was taken at (no second read to learn it).
  const row = await store.db
    .updateTable('conversations')
    .set({ turn_owner: owner, turn_locked_until: new Date(now + leaseMs).toISOString() })
    .where('id', '=', conversationId)
    .where((expression) =>
      expression.or([
        expression('turn_locked_until', 'is', null),
        expression('turn_locked_until', '<=', new Date(now).toISOString()),
      ]),
    )
    .returning('turn_sequence')
    .executeTakeFirst();
  if (!row) return undefined;
  return { conversationId, owner, sequence: Number(row.turn_sequence) };
}

/** Counts this turn: it goes ahead and will change the conversation. */
export async function advanceTurn(store: Pick<Store, 'db'>, lease: TurnLease): Promise<void> {
  const result = await store.db
    .updateTable('conversations')
    .set((expression) => ({ turn_sequence: expression('turn_sequence', '+', 1) }))
    .where('id', '=', lease.conversationId)
    .where('turn_owner', '=', lease.owner)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) lease.sequence += 1;
}

/** Extends the lease; false when this turn no longer holds the lock (its lease ran out and was taken). */
export async function renewTurnLock(
  store: Store,
  lease: TurnLease,
  now: number,
  leaseMs: number = TURN_LEASE_MS,
): Promise<boolean> {
  const result = await store.db
    .updateTable('conversations')
    .set({ turn_locked_until: new Date(now + leaseMs).toISOString() })
    .where('id', '=', lease.conversationId)
    .where('turn_owner', '=', lease.owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Releases the lock if this turn still holds it (never someone else's). */
export async function releaseTurnLock(store: Store, lease: TurnLease): Promise<void> {
  await store.db
    .updateTable('conversations')
    .set({ turn_owner: null, turn_locked_until: null })
    .where('id', '=', lease.conversationId)
    .where('turn_owner', '=', lease.owner)
    .execute();
}
