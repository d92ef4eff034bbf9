import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import { createAgent, say, startConversation } from '../../support/agents.ts';
import { connect, type ServiceSession } from '../../support/connections.ts';
import { createTestService, type TestService } from '../../support/test-service.ts';

/**
 * Settings → Models → Test, and the model errors a person reads in the chat: a small
 * OpenAI-compatible server that knows one key and one model, a port nothing listens on, and a port
 * fetch refuses. Every cause is the real one.
 */

const GOOD_KEY = 'sk-local-good-key-0123456789';
const BAD_KEY = 'sk-local-wrong-key-9876543210';
const MODEL = 'scripted-1';
let server: Server;
let baseUrl: string;
let closedPortUrl: string;
let emulator: RunningEmulator;
let service: TestService;
let alice: ServiceSession;
let bob: ServiceSession;

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const part of request) text += part;
  return text;
}

function completion() {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  };
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request));
    const json = (status: number, value: unknown) =>
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    if (request.headers.authorization !== `Bearer ${GOOD_KEY}`) {
      json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    } else if (body.model !== MODEL) {
      json(404, {
        error: { message: `The model ${body.model} does not exist`, type: 'invalid_request_error' },
      });
    } else {
      json(200, completion());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  // A port that was free a moment ago and has nothing listening now.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPortUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  service = await createTestService({ emulator });
  alice = await service.logIn('alice@forcefield.demo');
  bob = await service.logIn('bob@forcefield.demo');
  await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
});

afterAll(async () => {
  await service?.stop();
  await emulator?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function addProvider(name: string, apiKey: string | undefined): Promise<string> {
  const created = await alice.call('POST', '/api/model-providers', {
    kind: 'openai_compatible',
    name,
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
  });
  expect(created.status).toBe(201);
  return created.body.provider.id;
}

describe('testing a model provider', () => {
  it('a saved provider: OK with the right model, unknown model 404, refused key 401; keys never shown', async () => {
    const good = await addProvider('Local good', GOOD_KEY);
    const wrong = await addProvider('Local wrong key', BAD_KEY);
    const keyless = await addProvider('Local without key', undefined);

    const ok = await alice.call('POST', `/api/model-providers/${good}/test`, { modelId: MODEL });
    expect(ok.status).toBe(200);
    expect(ok.body.test).toMatchObject({ ok: true, modelId: MODEL });

    const unknown = await alice.call('POST', `/api/model-providers/${good}/test`, {
      modelId: 'no-such-model',
    });
    expect(unknown.body.test).toMatchObject({ ok: false, code: 'unknown_model', statusCode: 404 });
    expect(unknown.body.test.message).toContain('"no-such-model"');

    for (const id of [wrong, keyless]) {
      const refused = await alice.call('POST', `/api/model-providers/${id}/test`, { modelId: MODEL });
      expect(refused.body.test).toMatchObject({ ok: false, code: 'bad_key', statusCode: 401 });
      expect(refused.body.test.message).toMatch(/refused the API key/);
    }

    const listed = await alice.call('GET', '/api/model-providers');
    const byId = new Map(listed.body.providers.map((provider: { id: string }) => [provider.id, provider]));
    expect(byId.get(good)).toMatchObject({ hasApiKey: true, baseUrl });
    expect(byId.get(keyless)).toMatchObject({ hasApiKey: false });
    const everything = JSON.stringify([listed.body, ok.body, unknown.body]) + service.logs.join('');
    expect(everything).not.toContain(GOOD_KEY);
    expect(everything).not.toContain(BAD_KEY);

    const audit = (await service.context.audit.query({ action: 'model_provider.tested', limit: 50 })).events;
    expect(audit.map((event) => [event.outcome, event.detail.cause ?? null])).toEqual(
      expect.arrayContaining([
        ['success', null],
        ['failure', 'unknown_model'],
        ['failure', 'bad_key'],
      ]),
    );
  });

  it('unsaved settings: an unreachable host and a port fetch refuses are named as such', async () => {
    const unreachable = await alice.call('POST', '/api/model-providers/test', {
      kind: 'openai_compatible',
      baseUrl: closedPortUrl,
      modelId: MODEL,
    });
    expect(unreachable.body.test).toMatchObject({ ok: false, code: 'unreachable' });
    expect(unreachable.body.test.message).toContain('ECONNREFUSED');

    const blocked = await alice.call('POST', '/api/model-providers/test', {
      kind: 'openai_compatible',
      baseUrl: 'http://127.0.0.1:10080/v1',
      modelId: MODEL,
    });
    expect(blocked.body.test).toMatchObject({ ok: false, code: 'blocked_port' });

    const fine = await alice.call('POST', '/api/model-providers/test', {
      kind: 'openai_compatible',
      baseUrl,
      apiKey: GOOD_KEY,
      modelId: MODEL,
    });
    expect(fine.body.test).toMatchObject({ ok: true });
    // Not a URL a provider can have; and members may not test at all.
    const bad = await alice.call('POST', '/api/model-providers/test', {
      kind: 'openai_compatible',
      baseUrl: 'file:///etc/passwd',
      modelId: MODEL,
    });
    expect(bad.status).toBe(400);
    expect(
      (await bob.call('POST', '/api/model-providers/test', { kind: 'openai', modelId: MODEL })).status,
    ).toBe(403);
  });

  it('a chat whose model refuses the key tells the person what happened and what to do', async () => {
    const wrong = await addProvider('Chat wrong key', BAD_KEY);
    const agentId = await createAgent(alice, {
      model: { provider: 'openai_compatible', modelId: MODEL, providerId: wrong },
    });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Hello');
    expect(turn.body.status).toBe('error');
    const error = turn.body.events.find((event: { type: string }) => event.type === 'error');
    expect(error.code).toBe('bad_key');
    expect(turn.body.message.text).toMatch(/refused the API key \(HTTP 401\).*Settings → Models/);
    expect(JSON.stringify(turn.body) + service.logs.join('')).not.toContain(BAD_KEY);
  });
});
