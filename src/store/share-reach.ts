import type { ExpressionBuilder } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Whether a share row (of `connection_shares` or `meeting_shares`) reaches the user: shared with
 * them, with one of their groups (a subquery, so the check stays one statement), or — where the
 * table has them — with the whole team.
 */
export function shareReaches<T extends keyof Database>(
  share: ExpressionBuilder<Database, T>,
  userId: string,
  options: { team?: boolean } = {},
) {
  // Called inside a subquery on `connection_shares` or `meeting_shares`: both name the principal in
  // the same columns, which no other table of such a query has.
  const row = share as unknown as ExpressionBuilder<Database, 'connection_shares'>;
  return row.or([
    row.and([row('principal_type', '=', 'user'), row('principal_id', '=', userId)]),
    ...(options.team ? [row('principal_type', '=', 'team')] : []),
    row.and([
      row('principal_type', '=', 'group'),
      row(
        'principal_id',
        'in',
        row
          .selectFrom('group_members')
          .select('group_members.group_id')
          .where('group_members.user_id', '=', userId),
      ),
    ]),
  ]);
}
