import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import type { Store } from '../store/database.ts';
import { preparedQuery } from '../store/prepared-query.ts';
import type { ConnectionsTable, Database } from '../store/schema.ts';
import { shareReaches } from '../store/share-reach.ts';

export type ConnectionRow = Selectable<ConnectionsTable>;

/** The '*' principal of a whole-team share. */
export const TEAM_PRINCIPAL = '*';

type Role = Actor['role'];

/**
 * Who may use which connection, decided on the server for every request:
 * - a personal connection: only the person who connected it;
 * - an organization connection: every admin, and the users, groups or whole team it is shared with.
 * Disconnected (revoked) connections are used by nobody.
 *
 * The user's groups are a subquery, not a read of their own: the check is one statement
 * (shareReaches, also used by the meetings).
 */
function usableBy(where: ExpressionBuilder<Database, 'connections'>, userId: string, role: Role) {
  const personal = where.and([where('kind', '=', 'personal'), where('created_by', '=', userId)]);
  if (role === 'admin') return where.or([personal, where('kind', '=', 'organization')]);
  const shared = where.exists(
    where
      .selectFrom('connection_shares')
      .select('connection_shares.connection_id')
      .whereRef('connection_shares.connection_id', '=', 'connections.id')
      .where((share) => shareReaches(share, userId, { team: true })),
  );
  return where.or([personal, where.and([where('kind', '=', 'organization'), shared])]);
}

export async function usableConnections(store: Store, user: Pick<Actor, 'id' | 'role'>) {
  return store.db
    .selectFrom('connections')
    .selectAll('connections')
    .where('connections.status', '!=', 'revoked')
    .where((where) => usableBy(where, user.id, user.role));
}

// Every send, search and agent turn checks its connection: compiled once per role (the shape
// differs), not by Kysely on every request.
const usableConnectionFor = (role: Role) =>
  preparedQuery(2, (db, userId: string, connectionId: string) =>
    db
      .selectFrom('connections')
      .selectAll('connections')
      .where('connections.status', '!=', 'revoked')
      .where((where) => usableBy(where, userId, role))
      .where('connections.id', '=', connectionId),
  );
const usableConnectionByRole = { admin: usableConnectionFor('admin'), member: usableConnectionFor('member') };

/**
 * The connection, when the user may use it; otherwise 404 — the same answer as for an id that
 * does not exist, so nobody learns which connections exist.
 */
export async function findUsableConnection(
  store: Store,
  user: Pick<Actor, 'id' | 'role'>,
  connectionId: string,
): Promise<ConnectionRow> {
  const row = await usableConnectionByRole[user.role].takeFirst(store.db, user.id, connectionId);
  if (!row) throw notFound('Connection');
  return row;
}

/** Who may share or disconnect a connection: its owner; for organization connections, admins too. */
export function canManage(row: ConnectionRow, user: Pick<Actor, 'id' | 'role'>): boolean {
  if (row.created_by === user.id) return true;
  return row.kind === 'organization' && user.role === 'admin';
}
