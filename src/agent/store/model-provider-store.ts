import { z } from 'zod';
import { notFound, ServiceError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { ModelProviderKind, ModelProvidersTable } from '../../store/agent-tables.ts';
import type { Store } from '../../store/database.ts';
import type { AuditSurface } from '../../store/schema.ts';
import { WORKSPACE_SETTINGS } from '../../store/workspace-settings.ts';
import { MODEL_PROVIDER_KINDS, modelProviderKeyContext } from '../models/language-model.ts';

/**
 * Model providers an admin adds through the API: a kind, a name, an optional base URL and an API
 * key, encrypted with the vault, write-only (never shown again, never logged).
 */

export const createModelProviderSchema = z
  .strictObject({
    kind: z.enum(MODEL_PROVIDER_KINDS),
    name: z.string().trim().min(1).max(100),
    /** Optional only for an OpenAI-compatible server (local servers often need none). */
    apiKey: z.string().trim().min(1).max(4000).optional(),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional(),
  })
  .refine((input) => input.kind !== 'openai_compatible' || input.baseUrl !== undefined, {
    path: ['baseUrl'],
    message: 'An OpenAI-compatible provider needs the base URL of its API (e.g. http://127.0.0.1:11434/v1).',
  })
  .refine((input) => input.kind === 'openai_compatible' || input.apiKey !== undefined, {
    path: ['apiKey'],
    message: 'This provider needs an API key.',
  });
export type CreateModelProviderInput = z.infer<typeof createModelProviderSchema>;
export interface ModelProviderView {
  id: string;
  kind: ModelProviderKind;
  name: string;
  baseUrl: string | null;
  /** Keys are write-only: the API says whether a key is stored, never which. */
  hasApiKey: boolean;
  createdAt: string;
}

function viewOf(row: ModelProvidersTable): ModelProviderView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.base_url,
    hasApiKey: row.has_api_key === 1,
    createdAt: row.created_at,
  };
}

export async function createModelProvider(
  service: ServiceContext,
  actor: { userId: string; surface: AuditSurface },
  input: CreateModelProviderInput,
): Promise<ModelProviderView> {
  const now = service.now();
  const id = newId(now);
  const row: ModelProvidersTable = {
    id,
    kind: input.kind,
    name: input.name,
    base_url: input.baseUrl ?? null,
    api_key: service.vault.encrypt(input.apiKey ?? '', modelProviderKeyContext(id)),
    has_api_key: input.apiKey === undefined ? 0 : 1,
    created_by: actor.userId,
    created_at: new Date(now).toISOString(),
  };
  await service.store.db.insertInto('model_providers').values(row).execute();
  await service.audit.record({
    actorUserId: actor.userId,
    surface: actor.surface,
    action: 'model_provider.created',
    outcome: 'success',
    detail: { providerId: id, kind: input.kind },
  });
  return viewOf(row);
}

export async function listModelProviders(service: ServiceContext): Promise<ModelProviderView[]> {
  const rows = await service.store.db.selectFrom('model_providers').selectAll().orderBy('id').execute();
  return rows.map(viewOf);
}
/**
 * A provider that an agent or a workspace setting (the meeting summary model) still names cannot be
 * removed: they would fail at their next call. 409 `provider_in_use`, naming what uses it.
 */
async function assertProviderUnused(store: Store, id: string): Promise<void> {
  const agents = await store.db
    .selectFrom('agents')
    .select(['id', 'name'])
    .where('model_provider_id', '=', id)
    .orderBy('name')
    .execute();
  const settings = await store.db.selectFrom('workspace_settings').select(['key', 'value']).execute();
  const settingKeys = settings
    .filter((row) => (JSON.parse(row.value) as { providerId?: unknown } | null)?.providerId === id)
    .map((row) => row.key);
  if (agents.length === 0 && settingKeys.length === 0) return;
  const users = [
    ...(agents.length > 0
      ? [
          `${agents.length === 1 ? 'the agent' : 'the agents'} ${agents.map((agent) => `“${agent.name}”`).join(', ')}`,
        ]
      : []),
    ...settingKeys.map((key) =>
      key === WORKSPACE_SETTINGS.summaryModel ? 'the meeting summary model' : key,
    ),
  ];
  throw new ServiceError(
    409,
    'provider_in_use',
    `This model provider is still used by ${users.join(' and ')}: choose another model there first.`,
    { agentIds: agents.map((agent) => agent.id), settings: settingKeys },
  );
}

export async function deleteModelProvider(
  service: ServiceContext,
  actor: { userId: string; surface: AuditSurface },
  id: string,
): Promise<void> {
  await assertProviderUnused(service.store, id);
  const deleted = await service.store.db
    .deleteFrom('model_providers')
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw notFound('Model provider');
  await service.audit.record({
    actorUserId: actor.userId,
    surface: actor.surface,
    action: 'model_provider.deleted',
    outcome: 'success',
    detail: { providerId: id },
  });
}
