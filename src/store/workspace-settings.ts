import type { Store } from './database.ts';

/**
 * Workspace-wide settings (note format, summary model, intake secret, …): one JSON value per key
 * in `workspace_settings`, written whole.
 */

/** Every setting's key, in one place (what reads a setting by its value, such as a model provider's removal, finds it here). */
export const WORKSPACE_SETTINGS = {
  noteFormat: 'meetings.noteFormat',
  intakeSecret: 'meetings.intakeSecret',
  /** The model meetings are summarised with: `{ provider, modelId, providerId? }`. */
  summaryModel: 'meetings.summaryModel',
} as const;

export type WorkspaceSettingKey = (typeof WORKSPACE_SETTINGS)[keyof typeof WORKSPACE_SETTINGS];

/** The stored value of a setting (parsed JSON), or undefined when it was never set. */
export async function readWorkspaceSetting(store: Store, key: WorkspaceSettingKey): Promise<unknown> {
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
  key: WorkspaceSettingKey,
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
