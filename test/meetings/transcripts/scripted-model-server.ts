import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted OpenAI-compatible chat-completions server: each request is answered by `respond`
 * (JSON content, or an HTTP error), so the summariser runs over the real provider path.
 */
export interface ScriptedModelServer {
  baseUrl: string;
  // biome-ignore lint/suspicious/noExplicitAny: the recorded JSON bodies
  requests: any[];
  respond: (prompt: string) => { status: number; content: unknown };
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const part of request) text += part;
  return text;
}

export async function startScriptedModelServer(): Promise<ScriptedModelServer> {
  const scripted: ScriptedModelServer = {
    baseUrl: '',
    requests: [],
    respond: () => ({ status: 500, content: { error: { message: 'no script' } } }),
    close: async () => {},
  };
  const server: Server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request));
    scripted.requests.push(body);
    const prompt = body.messages.map((message: { content: string }) => message.content).join('\n');
    const answer = scripted.respond(prompt);
    if (answer.status !== 200) {
      response
        .writeHead(answer.status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(answer.content));
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: JSON.stringify(answer.content) },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scripted.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  scripted.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return scripted;
}
