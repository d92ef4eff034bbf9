import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible chat-completions server over real HTTP, streaming (SSE chunks with
 * text and tool_calls deltas, as real servers send them). Each request takes the next scripted
 * reply; with none left it answers "Done.". Requests are kept so a test can read what the model
 * was told (a rejection reason, a tool result).
 */

/**
 * `hold`: the reply streams its first half, then waits until the test calls `release()`.
 * `refuse`: the provider answers that HTTP status with an OpenAI-style error instead.
 */
export type ScriptedReply =
  | { text: string; hold?: boolean }
  | { toolCall: { name: string; input: unknown } }
  | { refuse: number };

export interface ScriptedModel {
  /** The base URL to give the provider (`…/v1`). */
  baseUrl: string;
  /** Replies for the next requests, in order. */
  enqueue(...replies: ScriptedReply[]): void;
  // biome-ignore lint/suspicious/noExplicitAny: the recorded JSON bodies
  requests: any[];
  /** Lets a held reply finish. */
  release(): void;
  stop(): Promise<void>;
}

function chunk(delta: unknown, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-scripted',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'scripted-1',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

let callNumber = 0;

function chunksOf(reply: Exclude<ScriptedReply, { refuse: number }>): unknown[] {
  if ('text' in reply) {
    const middle = Math.ceil(reply.text.length / 2);
    return [
      chunk({ role: 'assistant', content: reply.text.slice(0, middle) }),
      chunk({ content: reply.text.slice(middle) }),
      chunk({}, 'stop'),
    ];
  }
  callNumber += 1;
  const argumentsText = JSON.stringify(reply.toolCall.input);
  return [
    chunk({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          index: 0,
          id: `call_${callNumber}`,
          type: 'function',
          function: { name: reply.toolCall.name, arguments: '' },
        },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: argumentsText.slice(0, 8) } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: argumentsText.slice(8) } }] }),
    chunk({}, 'tool_calls'),
  ];
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const part of request) text += part;
  return text;
}

export async function startScriptedModel(): Promise<ScriptedModel> {
  const queue: ScriptedReply[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the recorded JSON bodies
  const requests: any[] = [];
  const releases: Array<() => void> = [];
  const server: Server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || '{}');
    requests.push(body);
    if (request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error' } }));
      return;
    }
    if (body.stream !== true) {
      // One tiny non-streaming call (the Models page's Test): a plain completion.
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 1,
          model: 'scripted-1',
          choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    const reply = queue.shift() ?? { text: 'Done.' };
    if ('refuse' in reply) {
      response.writeHead(reply.refuse, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: 'Refused by the script', type: 'invalid_request_error' } }),
      );
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    const lines = chunksOf(reply).map((part) => `data: ${JSON.stringify(part)}\n\n`);
    if ('text' in reply && reply.hold) {
      response.write(lines[0]);
      await new Promise<void>((resolve) => releases.push(resolve));
      response.end(`${lines.slice(1).join('')}data: [DONE]\n\n`);
      return;
    }
    response.end(`${lines.join('')}data: [DONE]\n\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    enqueue: (...replies) => queue.push(...replies),
    requests,
    release: () => {
      for (const resolve of releases.splice(0)) resolve();
    },
    stop: () => {
      for (const resolve of releases.splice(0)) resolve();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
