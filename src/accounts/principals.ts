import type { Store } from '../store/database.ts';

/**
 * The principals a user acts as when something is shared with "a user", "a group" or "the whole
 * team". The whole team is every active user, so it needs no id here: callers check that the user
 * is active (the authentication middleware already refuses disabled users).
 */
export interface Principals {
  userId: string;
  groupIds: string[];
}

export async function principalsOf(store: Store, userId: string): Promise<Principals> {
  const rows = await store.db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .orderBy('group_id')
    .execute();
  return { userId, groupIds: rows.map((row) => row.group_id) };
}
