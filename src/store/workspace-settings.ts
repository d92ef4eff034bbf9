import type { Store } from './database.ts';

/**
 * Workspace-wide settings (note format, summary model, intake secret, …): one JSON value per key
 * in `workspace_settings`, written whole.
 */

/** The stored value of a setting (parsed JSON), or undefined when it was never set. */
export async function readWorkspaceSetting(store: Store, key: string): Promise<unknown> {
  const row = await store.db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? JSON.parse(row.value) : undefined;
}

/** Sets (or replaces) a setting's value, stored as JSON. */
export async function writeWorkspaceSetting(
  store: Store,
  key: string,
  value: unknown,
  now: number,
): Promise<void> {
  const values = { key, value: JSON.stringify(value), updated_at: new Date(now).toISOString() };
  await store.db
    .insertInto('workspace_settings')
    .values(values)
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({ value: values.value, updated_at: values.updated_at }),
    )
    .execute();
}
