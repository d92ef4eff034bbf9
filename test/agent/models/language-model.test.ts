import type { LanguageModelV4 } from '@ai-sdk/provider';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildLanguageModel,
  type ModelCredentials,
  resolveLanguageModel,
} from '../../../src/agent/models/language-model.ts';
import { createModelProvider } from '../../../src/agent/store/model-provider-store.ts';
import { AuditLog } from '../../../src/audit/audit-log.ts';
import { parseConfig } from '../../../src/core/config.ts';
import type { ServiceContext } from '../../../src/platform/service-context.ts';
import { generateKeyEntry, Keyring } from '../../../src/vault/keyring.ts';
import { TokenVault } from '../../../src/vault/token-vault.ts';
import { openTestStore, STORE_DIALECTS } from '../../support/store.ts';

/**
 * The model-provider factory: the right AI SDK provider for each kind, with the configured key and
 * base URL. No network: `fetch` is replaced, and the one request a model would send is captured
 * (its URL and headers) and answered with an error.
 */

interface CapturedRequest {
  url: string;
  headers: Record<string, string>;
}

/** The request the model would send for one prompt, captured by a stubbed fetch. */
async function firstRequest(model: LanguageModelV4): Promise<CapturedRequest> {
  const captured: CapturedRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      captured.push({ url: request.url, headers: Object.fromEntries(request.headers) });
      return new Response(JSON.stringify({ error: { message: 'stubbed' } }), {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  );
  await expect(
    model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }),
  ).rejects.toThrow();
  expect(captured).toHaveLength(1);
  return captured[0];
}

function build(credentials: Omit<ModelCredentials, 'modelId'>): LanguageModelV4 {
  const model = buildLanguageModel({ ...credentials, modelId: 'model-x' });
  if (typeof model === 'string' || model.specificationVersion !== 'v4')
    throw new Error('expected a v4 model object');
  return model as LanguageModelV4;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('buildLanguageModel', () => {
  it('openai: the OpenAI provider with the key, on api.openai.com or the given base URL', async () => {
    const model = build({ provider: 'openai', apiKey: 'sk-openai', baseUrl: undefined });
    expect(model.provider).toMatch(/^openai\./);
    expect(model.modelId).toBe('model-x');
    const request = await firstRequest(model);
    expect(request.url).toMatch(/^https:\/\/api\.openai\.com\/v1\//);
    expect(request.headers.authorization).toBe('Bearer sk-openai');

    const proxied = await firstRequest(
      build({ provider: 'openai', apiKey: 'sk-openai', baseUrl: 'http://127.0.0.1:9/openai/v1' }),
    );
    expect(proxied.url).toMatch(/^http:\/\/127\.0\.0\.1:9\/openai\/v1\//);
  });

  it('anthropic: the Anthropic provider with the key in x-api-key', async () => {
    const model = build({ provider: 'anthropic', apiKey: 'sk-ant', baseUrl: undefined });
    expect(model.provider).toBe('anthropic.messages');
    const request = await firstRequest(model);
    expect(request.url).toBe('https://api.anthropic.com/v1/messages');
    expect(request.headers['x-api-key']).toBe('sk-ant');
    expect(request.headers.authorization).toBeUndefined();

    const proxied = await firstRequest(
      build({ provider: 'anthropic', apiKey: 'sk-ant', baseUrl: 'http://127.0.0.1:9/anthropic/v1' }),
    );
    expect(proxied.url).toBe('http://127.0.0.1:9/anthropic/v1/messages');
  });

  it('google: the Google Generative AI provider with the key in x-goog-api-key', async () => {
    const model = build({ provider: 'google', apiKey: 'g-key', baseUrl: undefined });
    expect(model.provider).toBe('google.generative-ai');
    const request = await firstRequest(model);
    expect(request.url).toMatch(
      /^https:\/\/generativelanguage\.googleapis\.com\/v1beta\/models\/model-x:generateContent/,
    );
    expect(request.headers['x-goog-api-key']).toBe('g-key');

    const proxied = await firstRequest(
      build({ provider: 'google', apiKey: 'g-key', baseUrl: 'http://127.0.0.1:9/google/v1beta' }),
    );
    expect(proxied.url).toMatch(/^http:\/\/127\.0\.0\.1:9\/google\/v1beta\/models\/model-x:generateContent/);
  });

  it('openai_compatible: chat completions at the base URL, with the key when there is one', async () => {
    const model = build({
      provider: 'openai_compatible',
      apiKey: 'local-key',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(model.provider).toBe('openai-compatible.chat');
    const request = await firstRequest(model);
    expect(request.url).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer local-key');

    const keyless = await firstRequest(
      build({ provider: 'openai_compatible', apiKey: undefined, baseUrl: 'http://127.0.0.1:11434/v1' }),
    );
    expect(keyless.url).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(keyless.headers.authorization).toBeUndefined();
  });
});

describe('resolveLanguageModel from the environment', () => {
  function serviceWith(environment: Record<string, string>): ServiceContext {
    return { config: parseConfig(environment) } as unknown as ServiceContext;
  }

  it('uses each provider’s environment key and base URL', async () => {
    const service = serviceWith({
      OPENAI_API_KEY: 'env-openai',
      ANTHROPIC_API_KEY: 'env-anthropic',
      GOOGLE_GENERATIVE_AI_API_KEY: 'env-google',
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_COMPATIBLE_API_KEY: 'env-compatible',
    });
    const expected = {
      openai: { provider: /^openai\./, header: ['authorization', 'Bearer env-openai'] },
      anthropic: { provider: /^anthropic\./, header: ['x-api-key', 'env-anthropic'] },
      google: { provider: /^google\./, header: ['x-goog-api-key', 'env-google'] },
      openai_compatible: {
        provider: /^openai-compatible\./,
        header: ['authorization', 'Bearer env-compatible'],
      },
    } as const;
    for (const [provider, { provider: id, header }] of Object.entries(expected)) {
      const resolved = await resolveLanguageModel(
        service,
        { provider: provider as keyof typeof expected, modelId: 'm' },
        undefined,
      );
      if (!resolved.ok) throw new Error(`${provider}: ${resolved.message}`);
      const model = resolved.model as LanguageModelV4;
      expect(model.provider).toMatch(id);
      const request = await firstRequest(model);
      expect(request.headers[header[0]], provider).toBe(header[1]);
      if (provider === 'openai_compatible')
        expect(request.url).toBe('http://127.0.0.1:11434/v1/chat/completions');
    }
  });

  it.each([
    ['openai', 'OPENAI_API_KEY'],
    ['anthropic', 'ANTHROPIC_API_KEY'],
    ['google', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    ['openai_compatible', 'OPENAI_COMPATIBLE_BASE_URL'],
  ] as const)('without a key, %s is not configured and the message names %s', async (provider, setting) => {
    const resolved = await resolveLanguageModel(serviceWith({}), { provider, modelId: 'm' }, undefined);
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.message).toContain('No AI model is configured for this agent');
    expect(resolved.message).toContain(setting);
    expect(resolved.message).toContain('add a model provider');
  });

  it('a key for another provider does not count', async () => {
    const resolved = await resolveLanguageModel(
      serviceWith({ OPENAI_API_KEY: 'env-openai' }),
      { provider: 'anthropic', modelId: 'claude' },
      undefined,
    );
    expect(resolved).toMatchObject({ ok: false, message: expect.stringContaining('ANTHROPIC_API_KEY') });
  });
});

describe.each(STORE_DIALECTS)(
  'resolveLanguageModel from a provider added through the API (%s)',
  (dialect) => {
    it('decrypts the stored key and uses the stored base URL; a removed provider is named', async () => {
      const testStore = await openTestStore(dialect);
      try {
        const service = {
          config: parseConfig({}),
          store: testStore.store,
          audit: new AuditLog(testStore.store),
          vault: new TokenVault(new Keyring([generateKeyEntry()], { kind: 'environment' })),
          now: Date.now,
        } as unknown as ServiceContext;
        await testStore.store.db
          .insertInto('users')
          .values({
            id: 'admin',
            email: 'admin@example.test',
            name: 'Admin',
            password_hash: 'x',
            role: 'admin',
            created_at: new Date().toISOString(),
            disabled_at: null,
          })
          .execute();
        const actor = { userId: 'admin', surface: 'api' as const };
        const compatible = await createModelProvider(service, actor, {
          kind: 'openai_compatible',
          name: 'Local',
          apiKey: 'stored-key',
          baseUrl: 'http://127.0.0.1:8088/v1',
        });
        const resolved = await resolveLanguageModel(
          service,
          { provider: 'openai_compatible', modelId: 'llama', providerId: compatible.id },
          undefined,
        );
        if (!resolved.ok) throw new Error(resolved.message);
        const request = await firstRequest(resolved.model as LanguageModelV4);
        expect(request.url).toBe('http://127.0.0.1:8088/v1/chat/completions');
        expect(request.headers.authorization).toBe('Bearer stored-key');

        const anthropic = await createModelProvider(service, actor, {
          kind: 'anthropic',
          name: 'Team Anthropic',
          apiKey: 'stored-anthropic',
        });
        const viaRow = await resolveLanguageModel(
          service,
          { provider: 'anthropic', modelId: 'claude', providerId: anthropic.id },
          undefined,
        );
        if (!viaRow.ok) throw new Error(viaRow.message);
        expect((viaRow.model as LanguageModelV4).provider).toBe('anthropic.messages');
        expect((await firstRequest(viaRow.model as LanguageModelV4)).headers['x-api-key']).toBe(
          'stored-anthropic',
        );

        const missing = await resolveLanguageModel(
          service,
          { provider: 'openai', modelId: 'gpt', providerId: 'no-such-provider' },
          undefined,
        );
        expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('was removed') });
      } finally {
        await testStore.dispose();
      }
    });
  },
);
