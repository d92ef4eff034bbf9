import { randomUUID } from 'node:crypto';
import { type AuthInfo, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { type AgentMcpCaller, createAgentMcpServer } from './agent-mcp-server.ts';

/** Open 2025-era sessions kept per instance; the oldest is closed beyond this. */
export const MAX_LEGACY_SESSIONS = 1000;

interface LegacySession {
  transport: WebStandardStreamableHTTPServerTransport;
  userId: string;
  agentId: string;
}

/**
 * 2025-era clients served with sessions (Streamable HTTP with `Mcp-Session-Id`), so a tool call
 * can ask the person through elicitation: the server's request and the client's answer travel on
 * the session. A session belongs to the person and agent that opened it: another key or another
 * agent with its id is answered 404, as an unknown session. Sessions live in this instance's
 * memory (a load balancer must keep a session on one instance, or clients start a new one).
 */
export class LegacySessions {
  readonly #sessions = new Map<string, LegacySession>();

  async handle(
    request: Request,
    caller: AgentMcpCaller,
    authInfo: AuthInfo,
    maxBodyBytes: number,
    parsed: { parsedBody?: unknown } = {},
  ): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) {
      const session = this.#sessions.get(sessionId);
      if (!session || session.userId !== caller.user.id || session.agentId !== caller.agent.row.id) {
        return jsonRpcError(404, 'Session not found: start a new one.');
      }
      return session.transport.handleRequest(request, { authInfo, ...parsed });
    }
    const userId = caller.user.id;
    const agentId = caller.agent.row.id;
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: maxBodyBytes,
      onsessioninitialized: (id) => {
        this.#sessions.set(id, { transport, userId, agentId });
        this.#evictOldest();
      },
      onsessionclosed: (id) => {
        this.#sessions.delete(id);
      },
    });
    await createAgentMcpServer(caller).connect(transport);
    return transport.handleRequest(request, { authInfo, ...parsed });
  }

  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.transport.close()));
  }

  #evictOldest(): void {
    while (this.#sessions.size > MAX_LEGACY_SESSIONS) {
      const [oldestId, oldest] = this.#sessions.entries().next().value as [string, LegacySession];
      this.#sessions.delete(oldestId);
      void oldest.transport.close();
    }
  }
}

function jsonRpcError(status: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }, { status });
}
