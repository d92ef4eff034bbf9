import { generateText } from 'ai';
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { AuditSurface } from '../../store/schema.ts';
import { describeModelError, type ModelErrorCode } from './describe-model-error.ts';
import {
  buildLanguageModel,
  MODEL_PROVIDER_KINDS,
  type ModelCredentials,
  storedProviderCredentials,
} from './language-model.ts';

/**
 * Settings → Models → **Test**: one tiny call to the provider (a few output tokens), answered with
 * the real cause when it fails — a refused key, an unknown model, a host that does not answer, a
 * port fetch refuses — in the same words the chat uses. The key never comes back.
 */

type TestServices = Pick<ServiceContext, 'store' | 'vault' | 'audit' | 'now'>;
type ProviderActor = { userId: string; surface: AuditSurface };

/** How long the test waits for the provider before it says so. */
export const MODEL_TEST_TIMEOUT_MS = 20_000;

export const modelTestSchema = z.strictObject({ modelId: z.string().trim().min(1).max(200) });

/** Testing settings before saving them: the same fields as adding a provider, plus the model. */
export const unsavedModelTestSchema = z.strictObject({
  kind: z.enum(MODEL_PROVIDER_KINDS),
  apiKey: z.string().trim().min(1).max(4000).optional(),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  modelId: z.string().trim().min(1).max(200),
});

export type ModelTestResult =
  | { ok: true; modelId: string; durationMs: number }
  | {
      ok: false;
      modelId: string;
      durationMs: number;
      code: ModelErrorCode;
      message: string;
      statusCode?: number;
    };

/** Tests a provider an admin added (its stored key and base URL) with `modelId`. */
export async function testStoredModelProvider(
  service: TestServices,
  actor: ProviderActor,
  providerId: string,
  modelId: string,
): Promise<ModelTestResult> {
  const row = await service.store.db
    .selectFrom('model_providers')
    .selectAll()
    .where('id', '=', providerId)
    .executeTakeFirst();
  if (!row) throw notFound('Model provider');
  return testModel(service, actor, providerId, storedProviderCredentials(service, row, modelId));
}

/**
 * Tests settings not saved yet, with the key given (never the environment's: a test must not send
 * the server's own key to a base URL typed into a form).
 */
export function testUnsavedModelProvider(
  service: TestServices,
  actor: ProviderActor,
  input: z.infer<typeof unsavedModelTestSchema>,
): Promise<ModelTestResult> {
  return testModel(service, actor, undefined, {
    provider: input.kind,
    modelId: input.modelId,
    apiKey: input.apiKey,
    baseUrl: input.baseUrl,
  });
}

async function testModel(
  service: TestServices,
  actor: ProviderActor,
  providerId: string | undefined,
  credentials: ModelCredentials,
): Promise<ModelTestResult> {
  const result = await callModel(service, credentials);
  await service.audit.record({
    actorUserId: actor.userId,
    surface: actor.surface,
    action: 'model_provider.tested',
    outcome: result.ok ? 'success' : 'failure',
    detail: {
      ...(providerId ? { providerId } : {}),
      kind: credentials.provider,
      ...(result.ok ? {} : { cause: result.code }),
    },
  });
  return result;
}

async function callModel(service: TestServices, credentials: ModelCredentials): Promise<ModelTestResult> {
  const started = service.now();
  const modelId = credentials.modelId;
  try {
    await generateText({
      model: buildLanguageModel(credentials),
      prompt: 'Reply with the word OK.',
      maxOutputTokens: 16,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(MODEL_TEST_TIMEOUT_MS),
    });
    return { ok: true, modelId, durationMs: service.now() - started };
  } catch (error) {
    return { ok: false, modelId, durationMs: service.now() - started, ...describeModelError(error, modelId) };
  }
}
