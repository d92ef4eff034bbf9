import { type AgentModelSettings, agentModelSchema } from '../../agent/models/language-model.ts';
import { badRequest } from '../../core/errors.ts';
import type { Store } from '../../store/database.ts';

const SUMMARY_MODEL_SETTING = 'meetings.summaryModel';

/** The model the workspace summarises meetings with (an admin chooses it), or null when none is chosen. */
export async function summaryModelOf(store: Store): Promise<AgentModelSettings | null> {
  const row = await store.db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', SUMMARY_MODEL_SETTING)
    .executeTakeFirst();
  if (!row) return null;
  const parsed = agentModelSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

/**
 * Stores the summary model an admin chose (the route checks the admin). A provider added through
 * the API must exist and be of the kind named: a wrong choice is refused now, not at the first
 * summary.
 */
export async function setSummaryModel(store: Store, model: AgentModelSettings, now: number): Promise<void> {
  if (model.providerId) {
    const provider = await store.db
      .selectFrom('model_providers')
      .select(['kind'])
      .where('id', '=', model.providerId)
      .executeTakeFirst();
    if (!provider) throw badRequest('model.providerId: no such model provider.');
    if (provider.kind !== model.provider) {
      throw badRequest(`model.providerId: that provider is ${provider.kind}, not ${model.provider}.`);
    }
  }
  const values = {
    key: SUMMARY_MODEL_SETTING,
    value: JSON.stringify(model),
    updated_at: new Date(now).toISOString(),
  };
  await store.db
    .insertInto('workspace_settings')
    .values(values)
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({ value: values.value, updated_at: values.updated_at }),
    )
    .execute();
}
