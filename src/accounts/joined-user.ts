import type { UsersTable } from '../store/schema.ts';

/**
 * A user read beside the row that names them (a session, an API key) in one statement: their
 * columns come back prefixed `user_`, next to the other table's.
 */
export const JOINED_USER_COLUMNS = [
  'users.email as user_email',
  'users.name as user_name',
  'users.password_hash as user_password_hash',
  'users.role as user_role',
  'users.created_at as user_created_at',
  'users.disabled_at as user_disabled_at',
] as const;

type JoinedUserRow = { user_id: string } & {
  [Column in keyof Omit<UsersTable, 'id'> as `user_${Column}`]: UsersTable[Column];
};

/** The user out of a row that selected `JOINED_USER_COLUMNS` (and the user's id as `user_id`). */
export function userOfJoinedRow(row: JoinedUserRow): UsersTable {
  return {
    id: row.user_id,
    email: row.user_email,
    name: row.user_name,
    password_hash: row.user_password_hash,
    role: row.user_role,
    created_at: row.user_created_at,
    disabled_at: row.user_disabled_at,
  };
}
