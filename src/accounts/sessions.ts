import type { Store } from '../store/database.ts';
import { preparedQuery } from '../store/prepared-query.ts';
import type { SessionsTable, UsersTable } from '../store/schema.ts';
import { JOINED_USER_COLUMNS, userOfJoinedRow } from './joined-user.ts';
import { randomToken, sha256Hex } from './secrets.ts';

export const SESSION_COOKIE = 'forcefield_session';
/** Sessions end after 14 days without use (the expiry slides forward while they are used). */
export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
/** last_seen_at (and the sliding expiry) is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface NewSession {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(store: Store, userId: string, now: number): Promise<NewSession> {
  const token = randomToken(32);
  const session: SessionsTable = {
    id: sha256Hex(token),
    user_id: userId,
    csrf_token: randomToken(32),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + SESSION_LIFETIME_MS).toISOString(),
    last_seen_at: new Date(now).toISOString(),
  };
  // Housekeeping while we are here: this user's expired sessions are of no use to anyone.
  await store.db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('expires_at', '<=', session.created_at)
    .execute();
  await store.db.insertInto('sessions').values(session).execute();
  return { token, sessionId: session.id, csrfToken: session.csrf_token, expiresAt: session.expires_at };
}

export interface ResolvedSession {
  session: SessionsTable;
  user: UsersTable;
  /** True when the expiry moved forward on this request (the cookie should be re-sent). */
  extended: boolean;
}

// Every authenticated request reads the session and its user: one statement, compiled once (not by
// Kysely on every request). The user's columns come back prefixed, beside the session's.
const sessionWithUser = preparedQuery(1, (db, id: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select([...JOINED_USER_COLUMNS])
    .where('sessions.id', '=', id),
);

/** The live session behind a cookie token, or null (unknown, expired, or its user is disabled). */
export async function resolveSession(
  store: Store,
  token: string,
  now: number,
): Promise<ResolvedSession | null> {
  if (token.length === 0 || token.length > 128) return null;
  const sessionId = sha256Hex(token);
  const row = await sessionWithUser.takeFirst(store.db, sessionId);
  if (!row) return null;
  const session: SessionsTable = {
    id: row.id,
    user_id: row.user_id,
    csrf_token: row.csrf_token,
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_seen_at: row.last_seen_at,
  };
  if (Date.parse(session.expires_at) <= now) {
    await deleteSession(store, sessionId);
    return null;
  }
  if (row.user_disabled_at !== null) return null;
  const user = userOfJoinedRow(row);
  if (now - Date.parse(session.last_seen_at) < TOUCH_INTERVAL_MS) return { session, user, extended: false };
  const touched = {
    last_seen_at: new Date(now).toISOString(),
    expires_at: new Date(now + SESSION_LIFETIME_MS).toISOString(),
  };
  await store.db.updateTable('sessions').set(touched).where('id', '=', sessionId).execute();
  return { session: { ...session, ...touched }, user, extended: true };
}

export async function getSession(store: Store, sessionId: string): Promise<SessionsTable | undefined> {
  return store.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
}

export async function deleteSession(store: Store, sessionId: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
