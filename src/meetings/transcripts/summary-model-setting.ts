import { type AgentModelSettings, agentModelSchema } from '../../agent/models/language-model.ts';
import { auditSuccess } from '../../audit/audit-success.ts';
import { type Actor, auditActorOf } from '../../core/actor.ts';
import { badRequest } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { Store } from '../../store/database.ts';
import {
  readWorkspaceSetting,
  WORKSPACE_SETTINGS,
  writeWorkspaceSetting,
} from '../../store/workspace-settings.ts';

/** The model the workspace summarises meetings with (an admin chooses it), or null when none is chosen. */
export async function summaryModelOf(store: Store): Promise<AgentModelSettings | null> {
  const stored = await readWorkspaceSetting(store, WORKSPACE_SETTINGS.summaryModel);
  if (stored === undefined) return null;
  const parsed = agentModelSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * Stores the summary model an admin chose (the route checks the admin), audited. A provider added through
 * the API must exist and be of the kind named: a wrong choice is refused now, not at the first
 * summary.
 */
export async function setSummaryModel(
  service: Pick<ServiceContext, 'store' | 'audit' | 'now'>,
  actor: Actor,
  model: AgentModelSettings,
): Promise<void> {
  const { store } = service;
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
  await writeWorkspaceSetting(store, WORKSPACE_SETTINGS.summaryModel, model, service.now());
  await auditSuccess(service.audit, auditActorOf(actor), 'meetings.summary_model_changed', {
    provider: model.provider,
    modelId: model.modelId,
  });
}
