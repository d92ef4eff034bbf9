import { createHash } from 'node:crypto';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogle } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import type { Config } from '../../core/config.ts';
import type { ModelProviderKind, ModelProvidersTable } from '../../store/agent-tables.ts';
import type { Store } from '../../store/database.ts';
import type { TokenVault } from '../../vault/token-vault.ts';

/**
 * Which language model an agent talks to, through the AI SDK's provider packages: OpenAI,
 * Anthropic, Google, or any server speaking OpenAI's chat-completions protocol. A provider's key
 * comes from the environment (OPENAI_API_KEY, …) or from a provider an admin added through the
 * API (store/model-provider-store.ts), whose key is encrypted with the vault and never shown again
 * or logged.
 */

export const MODEL_PROVIDER_KINDS = ['openai', 'anthropic', 'google', 'openai_compatible'] as const;

export const agentModelSchema = z.strictObject({
  provider: z.enum(MODEL_PROVIDER_KINDS),
  modelId: z.string().trim().min(1).max(200),
  /** A provider added through the API; without it, the provider's environment settings. */
  providerId: z.string().trim().min(1).max(64).optional(),
});
export type AgentModelSettings = z.infer<typeof agentModelSchema>;

/** What a provider package needs to build a model. */
export interface ModelCredentials {
  provider: ModelProviderKind;
  modelId: string;
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

/**
 * Lets the host supply a model itself (tests script one with the AI SDK's mock model); returning
 * undefined falls through to the configured providers.
 */
export type ModelOverride = (settings: AgentModelSettings) => LanguageModel | undefined;

export type ModelResolution = { ok: true; model: LanguageModel } | { ok: false; message: string };

export function modelProviderKeyContext(providerId: string): string {
  return `model_provider:${providerId}:api_key`;
}

/** Builds the AI SDK model; never reads the process environment itself (config.ts does). */
export function buildLanguageModel(credentials: ModelCredentials): LanguageModel {
  const { apiKey, baseUrl, modelId } = credentials;
  switch (credentials.provider) {
    case 'openai':
      return createOpenAI({ apiKey, ...(baseUrl ? { baseURL: baseUrl } : {}) })(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey, ...(baseUrl ? { baseURL: baseUrl } : {}) })(modelId);
    case 'google':
      return createGoogle({ apiKey, ...(baseUrl ? { baseURL: baseUrl } : {}) })(modelId);
    case 'openai_compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseUrl ?? '',
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
        // Structured output (meeting summaries) sends the JSON schema as `response_format:
        // { type: 'json_schema' }`, which vLLM, llama.cpp, Ollama and LM Studio accept. Without it
        // the SDK sends a bare `json_object` (the schema never reaches the server) and warns
        // "JSON response format schema is only supported with structuredOutputs".
        supportsStructuredOutputs: true,
      }).chatModel(modelId);
  }
}

const ENVIRONMENT_NAMES: Record<ModelProviderKind, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
  openai_compatible: 'OPENAI_COMPATIBLE_BASE_URL (and OPENAI_COMPATIBLE_API_KEY)',
};

function environmentCredentials(config: Config, settings: AgentModelSettings): ModelCredentials | undefined {
  const base = { provider: settings.provider, modelId: settings.modelId };
  switch (settings.provider) {
    case 'openai':
      return config.OPENAI_API_KEY
        ? { ...base, apiKey: config.OPENAI_API_KEY, baseUrl: undefined }
        : undefined;
    case 'anthropic':
      return config.ANTHROPIC_API_KEY
        ? { ...base, apiKey: config.ANTHROPIC_API_KEY, baseUrl: undefined }
        : undefined;
    case 'google':
      return config.GOOGLE_GENERATIVE_AI_API_KEY
        ? { ...base, apiKey: config.GOOGLE_GENERATIVE_AI_API_KEY, baseUrl: undefined }
        : undefined;
    case 'openai_compatible':
      return config.OPENAI_COMPATIBLE_BASE_URL
        ? { ...base, apiKey: config.OPENAI_COMPATIBLE_API_KEY, baseUrl: config.OPENAI_COMPATIBLE_BASE_URL }
        : undefined;
  }
}

/** What a provider an admin added needs to build a model: its kind, base URL and decrypted key. */
export function storedProviderCredentials(
  service: { vault: TokenVault },
  row: ModelProvidersTable,
  modelId: string,
): ModelCredentials {
  return {
    provider: row.kind,
    modelId,
    apiKey:
      row.has_api_key === 1 ? service.vault.decrypt(row.api_key, modelProviderKeyContext(row.id)) : undefined,
    baseUrl: row.base_url ?? undefined,
  };
}

/** The agent's model, or a sentence saying what an admin must configure. */
export async function resolveLanguageModel(
  service: { config: Config; store: Store; vault: TokenVault },
  settings: AgentModelSettings,
  override: ModelOverride | undefined,
): Promise<ModelResolution> {
  const supplied = override?.(settings);
  if (supplied) return { ok: true, model: supplied };
  if (settings.providerId) {
    const row = await service.store.db
      .selectFrom('model_providers')
      .selectAll()
      .where('id', '=', settings.providerId)
      .executeTakeFirst();
    if (!row) {
      return {
        ok: false,
        message: 'The model provider this agent uses was removed. An admin must choose another.',
      };
    }
    return {
      ok: true,
      model: reusedLanguageModel(storedProviderCredentials(service, row, settings.modelId)),
    };
  }
  const credentials = environmentCredentials(service.config, settings);
  if (!credentials) {
    return {
      ok: false,
      message:
        `No AI model is configured for this agent: the ${settings.provider} provider has no key. ` +
        `An admin can set ${ENVIRONMENT_NAMES[settings.provider]} or add a model provider in the agent settings.`,
    };
  }
  return { ok: true, model: reusedLanguageModel(credentials) };
}

/** Models kept for reuse: a few providers and models per service. */
const MAX_REUSED_MODELS = 32;
const reusedModels = new Map<string, LanguageModel>();

/**
 * The model for these exact credentials, built once and reused by later turns: building one
 * (the provider's response schemas) was ≈ 0.5 ms of CPU before every answer's first token. The
 * key is a hash of everything the model is built from, so a changed API key, base URL or model id
 * builds a new one at once; a model holds no state of a call. Kept in memory only, a few at most
 * (the oldest goes first).
 */
function reusedLanguageModel(credentials: ModelCredentials): LanguageModel {
  const key = createHash('sha256')
    .update(
      JSON.stringify([credentials.provider, credentials.modelId, credentials.baseUrl, credentials.apiKey]),
    )
    .digest('hex');
  let model = reusedModels.get(key);
  if (model) {
    reusedModels.delete(key);
  } else {
    model = buildLanguageModel(credentials);
  }
  reusedModels.set(key, model);
  while (reusedModels.size > MAX_REUSED_MODELS) {
    reusedModels.delete(reusedModels.keys().next().value as string);
  }
  return model;
}
/** The environment's providers, for the agent editor: which kinds work without an API-added provider. */
export function environmentProviders(config: Config): ModelProviderKind[] {
  return MODEL_PROVIDER_KINDS.filter(
    (kind) => environmentCredentials(config, { provider: kind, modelId: 'any' }) !== undefined,
  );
}
