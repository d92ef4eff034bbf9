import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import {
  type AgentTestService,
  createAgent,
  logInAliceAndBob,
  say,
  startAgentService,
  startConversation,
} from '../../support/agents.ts';
import { connect, logIn, type ServiceSession } from '../../support/connections.ts';

/**
 * The real provider path: @ai-sdk/openai-compatible over HTTP against a small scripted server that
 * speaks the chat-completions protocol, streaming included (SSE chunks with tool_calls deltas).
 */
interface RecordedRequest {
  authorization: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the recorded JSON body
  body: any;
}

const API_KEY = 'sk-scripted-test-key-0123456789';
let server: Server;
let baseUrl: string;
const requests: RecordedRequest[] = [];

function sse(chunks: unknown[]): string {
  return `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
}

function chunk(delta: unknown, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'scripted-1',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const part of request) text += part;
  return text;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request));
    requests.push({ authorization: request.headers.authorization, body });
    if (request.url !== '/v1/chat/completions' || body.stream !== true) {
      response.writeHead(404).end();
      return;
    }
    const last = body.messages.at(-1);
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    if (last.role === 'tool') {
      // The tool result came back: answer in two text chunks.
      response.end(
        sse([
          chunk({ role: 'assistant', content: 'There are ' }),
          chunk({ content: 'three.' }),
          chunk({}, 'stop'),
        ]),
      );
      return;
    }
    // First call: a tool call whose arguments arrive in pieces, as real servers send them.
    const soql = JSON.stringify({ soql: 'SELECT Id, Name FROM Account LIMIT 3' });
    response.end(
      sse([
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: 'call_abc',
              type: 'function',
              function: { name: 'query_records', arguments: '' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: soql.slice(0, 10) } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: soql.slice(10) } }] }),
        chunk({}, 'tool_calls'),
      ]),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let emulator: RunningEmulator;
let test: AgentTestService;
let alice: ServiceSession;
let bob: ServiceSession;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  test = await startAgentService(emulator);
  ({ alice, bob } = await logInAliceAndBob(test.service.url, emulator));
});

afterAll(async () => {
  await test?.stop();
  await emulator?.stop();
});

it('runs a tool-calling conversation through an OpenAI-compatible server added through the API', async () => {
  expect(
    (
      await bob.call('POST', '/api/model-providers', {
        kind: 'openai_compatible',
        name: 'x',
        apiKey: 'k',
        baseUrl,
      })
    ).status,
  ).toBe(403);
  const added = await alice.call('POST', '/api/model-providers', {
    kind: 'openai_compatible',
    name: 'Local',
    apiKey: API_KEY,
    baseUrl,
  });
  expect(added.status).toBe(201);
  expect(JSON.stringify(added.body)).not.toContain(API_KEY);
  const listed = await alice.call('GET', '/api/model-providers');
  expect(listed.body.providers[0]).toMatchObject({
    kind: 'openai_compatible',
    name: 'Local',
    hasApiKey: true,
    baseUrl,
  });

  const agentId = await createAgent(alice, {
    model: { provider: 'openai_compatible', modelId: 'scripted-1', providerId: added.body.provider.id },
  });
  const conversation = await startConversation(bob, agentId);
  const turn = await say(bob, conversation, 'How many accounts?');
  expect(turn.status).toBe(200);
  expect(turn.body.status).toBe('complete');
  expect(turn.body.message.text).toBe('There are three.');
  expect(turn.body.message.steps[0]).toMatchObject({
    tool: 'query_records',
    status: 'ok',
    objectType: 'Account',
  });

  expect(requests).toHaveLength(2);
  expect(requests[0].authorization).toBe(`Bearer ${API_KEY}`);
  expect(requests[0].body.model).toBe('scripted-1');
  const offered = requests[0].body.tools.map((entry: { function: { name: string } }) => entry.function.name);
  expect(offered).toContain('query_records');
  expect(offered).not.toContain('delete_record');
  // The second request carries the tool result: the compact table, not Salesforce's raw JSON.
  const toolMessage = requests[1].body.messages.find((message: { role: string }) => message.role === 'tool');
  expect(toolMessage.tool_call_id).toBe('call_abc');
  const result = JSON.parse(toolMessage.content);
  expect(result).toMatchObject({ ok: true, returned: 3, fields: ['Id', 'Name'] });
  expect(toolMessage.content).not.toContain('attributes');

  // The key is encrypted at rest and never logged.
  const row = await test.service.store.db.selectFrom('model_providers').selectAll().executeTakeFirstOrThrow();
  expect(row.api_key).toMatch(/^v1:/);
  const files = readdirSync(test.dataDir)
    .filter((name) => name.startsWith('forcefield.db'))
    .map((name) => readFileSync(path.join(test.dataDir, name)).toString('latin1'))
    .join('');
  expect(files.length).toBeGreaterThan(0);
  expect(files).not.toContain(API_KEY);
  expect(test.logs.join('')).not.toContain(API_KEY);
});

it('reads the provider from the environment too', async () => {
  const environmental = await startAgentService(emulator, {
    environment: { OPENAI_COMPATIBLE_BASE_URL: baseUrl, OPENAI_COMPATIBLE_API_KEY: API_KEY },
  });
  try {
    const admin = await logIn(environmental.service.url, 'alice@forcefield.demo');
    const listed = await admin.call('GET', '/api/model-providers');
    expect(listed.body.environment).toEqual(['openai_compatible']);
    const agentId = await createAgent(admin, {
      model: { provider: 'openai_compatible', modelId: 'scripted-1' },
    });
    await connect(admin, emulator, { kind: 'personal', username: 'alice@acme.demo' });
    const conversation = await startConversation(admin, agentId);
    const turn = await say(admin, conversation, 'How many accounts?');
    expect(turn.body.message.text).toBe('There are three.');
    expect(environmental.logs.join('')).not.toContain(API_KEY);
  } finally {
    await environmental.stop();
  }
});
