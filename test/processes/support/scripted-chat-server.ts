import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small server speaking OpenAI's chat-completions protocol (streaming, as @ai-sdk/openai-compatible
 * calls it), for service instances running as child processes: they reach it through
 * OPENAI_COMPATIBLE_BASE_URL. Stateless, so any instance can continue any conversation:
 * - the last message is a tool result → it answers "Done.";
 * - the last user message says `create contact <LastName>` → it calls `create_record` for a
 *   Contact with that last name;
 * - anything else → it answers "Hello.".
 */
export interface ScriptedChatServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  stop(): Promise<void>;
}

interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
}

function textOf(message: ChatMessage | undefined): string {
  if (!message?.content) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => part.text ?? '').join('');
}

function sse(chunks: unknown[]): string {
  return `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
}

function chunk(delta: unknown, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-scripted',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'scripted',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function text(words: string): string {
  return sse([chunk({ role: 'assistant', content: words }), chunk({}, 'stop')]);
}

let callCounter = 0;

function answer(messages: ChatMessage[]): string {
  if (messages.at(-1)?.role === 'tool') return text('Done.');
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const wanted = /create contact (\S+)/.exec(textOf(lastUser));
  if (!wanted) return text('Hello.');
  callCounter++;
  const input = JSON.stringify({ objectType: 'Contact', fields: { LastName: wanted[1] } });
  return sse([
    chunk({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          index: 0,
          id: `call_scripted_${callCounter}`,
          type: 'function',
          function: { name: 'create_record', arguments: input },
        },
      ],
    }),
    chunk({}, 'tool_calls'),
  ]);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const part of request) body += part;
  return body;
}

export async function startScriptedChatServer(): Promise<ScriptedChatServer> {
  const server: Server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || '{}') as { messages?: ChatMessage[] };
    if (request.url !== '/v1/chat/completions' || !Array.isArray(body.messages)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.end(answer(body.messages));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
