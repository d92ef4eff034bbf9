import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLanguageModel } from '../../../src/agent/models/language-model.ts';
import { parseConfig } from '../../../src/core/config.ts';
import { generateKeyEntry, Keyring } from '../../../src/vault/keyring.ts';
import { TokenVault } from '../../../src/vault/token-vault.ts';
import { openTestStore, type TestStore } from '../../support/store.ts';

/**
 * Models are built once per set of credentials and reused by later turns; a changed key, base URL
 * or model id must build a new one at once (the next request carries the new key).
 */

let server: Server;
let baseUrl: string;
const authorizations: Array<string | undefined> = [];
let testStore: TestStore;

beforeAll(async () => {
  server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  testStore = await openTestStore('sqlite');
});

afterAll(async () => {
  await testStore?.dispose();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('reused language models', () => {
  const resolve = async (apiKey: string, modelId = 'm') => {
    const config = parseConfig({ OPENAI_COMPATIBLE_BASE_URL: baseUrl, OPENAI_COMPATIBLE_API_KEY: apiKey });
    const resolved = await resolveLanguageModel(
      {
        config,
        store: testStore.store,
        vault: new TokenVault(new Keyring([generateKeyEntry()], { kind: 'environment' })),
      },
      { provider: 'openai_compatible', modelId },
      undefined,
    );
    if (!resolved.ok) throw new Error(resolved.message);
    return resolved.model;
  };

  it('the same credentials reuse one model; a new key or model id builds another, used at once', async () => {
    const first = await resolve('key-one');
    expect(await resolve('key-one')).toBe(first);
    const rotated = await resolve('key-two');
    expect(rotated).not.toBe(first);
    expect(await resolve('key-one', 'other-model')).not.toBe(first);

    await generateText({ model: rotated, prompt: 'Hello' });
    await generateText({ model: first, prompt: 'Hello' });
    expect(authorizations).toEqual(['Bearer key-two', 'Bearer key-one']);
  });
});
