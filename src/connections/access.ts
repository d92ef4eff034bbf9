import type { Selectable } from 'kysely';
import { principalsOf } from '../accounts/principals.ts';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import type { Store } from '../store/database.ts';
import type { ConnectionsTable } from '../store/schema.ts';

export type ConnectionRow = Selectable<ConnectionsTable>;

/** The '*' principal of a whole-team share. */
export const TEAM_PRINCIPAL = '*';

/**
 * Who may use which connection, decided on the server for every request:
 * - a personal connection: only the person who connected it;
 * - an organization connection: every admin, and the users, groups or whole team it is shared with.
 * Disconnected (revoked) connections are used by nobody.
 */
export async function usableConnections(store: Store, user: Pick<Actor, 'id' | 'role'>) {
  const { groupIds } = await principalsOf(store, user.id);
  return store.db
    .selectFrom('connections')
    .selectAll('connections')
    .where('connections.status', '!=', 'revoked')
    .where((where) => {
      const personal = where.and([where('kind', '=', 'personal'), where('created_by', '=', user.id)]);
      if (user.role === 'admin') return where.or([personal, where('kind', '=', 'organization')]);
      const shared = where.exists(
        where
          .selectFrom('connection_shares')
          .select('connection_shares.connection_id')
          .whereRef('connection_shares.connection_id', '=', 'connections.id')
          .where((share) =>
            share.or([
              share.and([share('principal_type', '=', 'user'), share('principal_id', '=', user.id)]),
              share('principal_type', '=', 'team'),
              ...(groupIds.length > 0
                ? [share.and([share('principal_type', '=', 'group'), share('principal_id', 'in', groupIds)])]
                : []),
            ]),
          ),
      );
      return where.or([personal, where.and([where('kind', '=', 'organization'), shared])]);
    });
}

/**
 * The connection, when the user may use it; otherwise 404 — the same answer as for an id that
 * does not exist, so nobody learns which connections exist.
 */
export async function findUsableConnection(
  store: Store,
  user: Pick<Actor, 'id' | 'role'>,
  connectionId: string,
): Promise<ConnectionRow> {
  const row = await (await usableConnections(store, user))
    .where('connections.id', '=', connectionId)
    .executeTakeFirst();
  if (!row) throw notFound('Connection');
  return row;
}

/** Who may share or disconnect a connection: its owner; for organization connections, admins too. */
export function canManage(row: ConnectionRow, user: Pick<Actor, 'id' | 'role'>): boolean {
  if (row.created_by === user.id) return true;
  return row.kind === 'organization' && user.role === 'admin';
}
