import type { Store } from '../store/database.ts';
import type { LoginAttemptsTable } from '../store/schema.ts';

/** Failures that lock an email, and that throttle one client address, within FAILURE_WINDOW_MS. */
export const EMAIL_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Locks double from 1 minute with every failure past the limit, up to 15 minutes, then lift by themselves. */
const FIRST_LOCK_MS = 60 * 1000;
const MAX_LOCK_MS = 15 * 60 * 1000;
/** Forgotten counters are swept at most this often. */
const SWEEP_INTERVAL_MS = 60 * 1000;

export type ThrottleVerdict =
  | { allowed: true /** This attempt, if it fails, starts a lock on the email. */; locksEmail: boolean }
  | { allowed: false; reason: 'email_locked' | 'address_throttled'; retryAfterSeconds: number };

export interface AttemptSubject {
  /** Normalized email address as typed (whether or not a user has it). */
  email: string;
  /** The client's address. */
  address: string;
}

function lockDuration(failures: number, limit: number): number {
  return Math.min(FIRST_LOCK_MS * 2 ** Math.min(failures - limit, 10), MAX_LOCK_MS);
}

/** The counter after one more failure at `now`. */
function withFailure(row: LoginAttemptsTable, limit: number, now: number): LoginAttemptsTable {
  const windowOver = now - Date.parse(row.window_started_at) >= FAILURE_WINDOW_MS;
  const failures = windowOver ? 1 : row.failures + 1;
  if (failures < limit) {
    return {
      key: row.key,
      failures,
      window_started_at: windowOver ? new Date(now).toISOString() : row.window_started_at,
      locked_until: null,
    };
  }
  const lockedUntil = new Date(now + lockDuration(failures, limit)).toISOString();
  // The window restarts when the lock ends: a failure soon after a lock lifts locks again, for
  // longer, while someone who waits a full window after the lock starts from zero.
  return { key: row.key, failures, window_started_at: lockedUntil, locked_until: lockedUntil };
}

function remainingLock(row: LoginAttemptsTable, now: number): number {
  return row.locked_until === null ? 0 : Date.parse(row.locked_until) - now;
}

/**
 * Login rate limiting, stored so that several instances share it. Every attempt is counted as a
 * failure *before* the password is checked (so parallel guesses cannot slip past the limits) and
 * released when it succeeds.
 *
 * Two counters: per email (5 failures in 15 minutes lock that email for 1, 2, 4 … at most 15
 * minutes) and per client address (20 failures in 15 minutes throttle that address only). The
 * email lock is short and lifts by itself, so nobody can keep someone else out for long, and an
 * attacker's address is throttled without affecting the victim's own address.
 */
export class LoginThrottle {
  readonly #store: Store;
  #lastSweep = 0;

  constructor(store: Store) {
    this.#store = store;
  }

  async reserve(subject: AttemptSubject, now: number): Promise<ThrottleVerdict> {
    await this.#sweep(now);
    const emailKey = `email:${subject.email}`;
    const addressKey = `ip:${subject.address}`;
    const keys = [emailKey, addressKey].sort();
    const dialect = this.#store.dialect;
    return this.#store.db.transaction().execute(async (transaction) => {
      const fresh = { failures: 0, window_started_at: new Date(now).toISOString(), locked_until: null };
      // Rows are created and locked in key order, so two logins never wait on each other in a cycle.
      for (const key of keys) {
        await transaction
          .insertInto('login_attempts')
          .values({ key, ...fresh })
          .onConflict((builder) => builder.column('key').doNothing())
          .execute();
      }
      let query = transaction
        .selectFrom('login_attempts')
        .selectAll()
        .where('key', 'in', keys)
        .orderBy('key');
      // SQLite runs one write transaction at a time already; PostgreSQL needs the rows locked.
      if (dialect === 'postgres') query = query.forUpdate();
      const rows = await query.execute();
      const emailRow = rows.find((row) => row.key === emailKey)!;
      const addressRow = rows.find((row) => row.key === addressKey)!;

      const addressWait = remainingLock(addressRow, now);
      if (addressWait > 0) {
        return {
          allowed: false,
          reason: 'address_throttled',
          retryAfterSeconds: Math.ceil(addressWait / 1000),
        };
      }
      const emailWait = remainingLock(emailRow, now);
      if (emailWait > 0) {
        return { allowed: false, reason: 'email_locked', retryAfterSeconds: Math.ceil(emailWait / 1000) };
      }
      const nextEmail = withFailure(emailRow, EMAIL_FAILURE_LIMIT, now);
      const nextAddress = withFailure(addressRow, ADDRESS_FAILURE_LIMIT, now);
      for (const next of [nextEmail, nextAddress].sort((left, right) => left.key.localeCompare(right.key))) {
        await transaction
          .updateTable('login_attempts')
          .set({
            failures: next.failures,
            window_started_at: next.window_started_at,
            locked_until: next.locked_until,
          })
          .where('key', '=', next.key)
          .execute();
      }
      return { allowed: true, locksEmail: nextEmail.locked_until !== null };
    });
  }

  /** The reserved attempt succeeded: the email starts afresh, and the address gets its attempt back. */
  async release(subject: AttemptSubject, now: number): Promise<void> {
    const addressKey = `ip:${subject.address}`;
    await this.#store.db.transaction().execute(async (transaction) => {
      await transaction.deleteFrom('login_attempts').where('key', '=', `email:${subject.email}`).execute();
      let query = transaction.selectFrom('login_attempts').selectAll().where('key', '=', addressKey);
      if (this.#store.dialect === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row || row.failures === 0) return;
      const failures = row.failures - 1;
      const stillLocked = failures >= ADDRESS_FAILURE_LIMIT;
      await transaction
        .updateTable('login_attempts')
        .set({
          failures,
          locked_until: stillLocked ? row.locked_until : null,
          window_started_at: stillLocked
            ? row.window_started_at
            : new Date(Math.min(Date.parse(row.window_started_at), now)).toISOString(),
        })
        .where('key', '=', addressKey)
        .execute();
    });
  }

  /** Drops counters nobody has touched for a while, so sprayed emails do not pile up. */
  async #sweep(now: number): Promise<void> {
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS && now >= this.#lastSweep) return;
    this.#lastSweep = now;
    const cutoff = new Date(now - FAILURE_WINDOW_MS).toISOString();
    await this.#store.db
      .deleteFrom('login_attempts')
      .where('window_started_at', '<', cutoff)
      .where((builder) =>
        builder.or([
          builder('locked_until', 'is', null),
          builder('locked_until', '<', new Date(now).toISOString()),
        ]),
      )
      .execute();
  }
}
