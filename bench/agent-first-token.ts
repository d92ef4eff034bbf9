/**
 * Time to first token: how much later the first text of an answer reaches a `useChat` client
 * through our chat stream (`POST /api/conversations/:id/chat`, in-process: authentication, the
 * conversation and turn lock in SQLite, the connection check, the model call, the UI message
 * stream) than it reaches an AI SDK client calling the same model directly. The model is a local
 * OpenAI-compatible server that streams its first token at once, over real HTTP. CPU time to the
 * first token is taken beside wall-clock time (this process: client, service and model server
 * all run in it): on a shared, loaded machine wall-clock p50s swing by milliseconds between runs
 * (SQLite's commits wait for the disk), CPU time much less.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText } from 'ai';
import { startEmulator } from '../emulator/index.ts';
import { createAgent, startConversation } from '../test/support/agents.ts';
import { connect, type ServiceSession } from '../test/support/connections.ts';
import { createTestService } from '../test/support/test-service.ts';

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

function chunk(delta: unknown, finishReason: string | null = null): string {
  const body = {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'bench-1',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** Streams "Hello there." with the first token written as soon as the request arrives. */
async function startModelServer(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: 'Hello' }));
      response.end(`${chunk({ content: ' there.' })}${chunk({}, 'stop')}data: [DONE]\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

/** Wall-clock and CPU milliseconds from a start to the first token. */
interface FirstToken {
  wall: number;
  cpu: number;
}

function stopwatch(): () => FirstToken {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return () => {
    const wall = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return { wall, cpu: (cpu.user + cpu.system) / 1000 };
  };
}

/** From the call to the first text delta, calling the model with the AI SDK directly. */
async function directFirstToken(baseUrl: string): Promise<FirstToken> {
  const model = createOpenAICompatible({ name: 'bench', baseURL: baseUrl }).chatModel('bench-1');
  const elapsed = stopwatch();
  const result = streamText({ model, prompt: 'Say hello.', onError: () => {} });
  let first: FirstToken | undefined;
  for await (const part of result.stream) {
    if (part.type === 'text-delta' && !first) first = elapsed();
  }
  if (!first) throw new Error('direct: no text');
  return first;
}

/** From the request to the first `text-delta` chunk of our UI message stream. */
async function oursFirstToken(session: ServiceSession, conversationId: string): Promise<FirstToken> {
  const elapsed = stopwatch();
  const response = await session.browser.fetch(
    `${session.baseUrl}/api/conversations/${conversationId}/chat`,
    {
      method: 'POST',
      headers: { 'X-CSRF-Token': session.csrfToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        messages: [{ id: 'u', role: 'user', parts: [{ type: 'text', text: 'Say hello.' }] }],
      }),
    },
  );
  if (!response.ok || !response.body) throw new Error(`chat: ${response.status}`);
  const decoder = new TextDecoder();
  let text = '';
  let first: FirstToken | undefined;
  for await (const bytes of response.body) {
    text += decoder.decode(bytes, { stream: true });
    if (!first && text.includes('"type":"text-delta"')) first = elapsed();
  }
  if (!text.includes('[DONE]') || !first) throw new Error('chat: the stream did not finish');
  return first;
}

export async function runFirstTokenBenchmark(iterations: number, warmup: number): Promise<void> {
  const { server, baseUrl } = await startModelServer();
  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const service = await createTestService({ emulator, environment: { OPENAI_COMPATIBLE_BASE_URL: baseUrl } });
  try {
    const alice = await service.logIn('alice@forcefield.demo');
    const bob = await service.logIn('bob@forcefield.demo');
    await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const agentId = await createAgent(alice, {
      model: { provider: 'openai_compatible', modelId: 'bench-1' },
    });
    const direct: FirstToken[] = [];
    const ours: FirstToken[] = [];
    for (let index = 0; index < warmup + iterations; index++) {
      const conversation = await startConversation(bob, agentId);
      const directMs = await directFirstToken(baseUrl);
      const oursMs = await oursFirstToken(bob, conversation);
      if (index >= warmup) {
        direct.push(directMs);
        ours.push(oursMs);
      }
    }
    const sorted = (timings: FirstToken[], key: keyof FirstToken) =>
      timings.map((timing) => timing[key]).sort((a, b) => a - b);
    const p = (timings: FirstToken[], key: keyof FirstToken, fraction: number) =>
      percentile(sorted(timings, key), fraction);
    console.log(
      `\nTime to first token, ${iterations} answers after ${warmup} warm-up (local streaming model over HTTP; SQLite); load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}\n`,
    );
    console.log('| client | p50 ms | p99 ms | CPU p50 ms |');
    console.log('| --- | --- | --- | --- |');
    const row = (label: string, timings: FirstToken[]) =>
      console.log(
        `| ${label} | ${p(timings, 'wall', 0.5).toFixed(2)} | ${p(timings, 'wall', 0.99).toFixed(2)} | ${p(timings, 'cpu', 0.5).toFixed(2)} |`,
      );
    row('the model, called directly (AI SDK)', direct);
    row('our chat stream (POST /api/conversations/:id/chat, useChat)', ours);
    console.log(
      `| overhead (target ≤ 5 ms p50) | ${(p(ours, 'wall', 0.5) - p(direct, 'wall', 0.5)).toFixed(2)} | ${(p(ours, 'wall', 0.99) - p(direct, 'wall', 0.99)).toFixed(2)} | ${(p(ours, 'cpu', 0.5) - p(direct, 'cpu', 0.5)).toFixed(2)} |`,
    );
  } finally {
    await service.stop();
    await emulator.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
