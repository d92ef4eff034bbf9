import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ServiceSession } from '../support/connections.ts';

/** The two protocol generations the server answers, as the SDK client pins them. */
export const PROTOCOL_GENERATIONS = [
  { name: '2026-07-28', versionNegotiation: { mode: { pin: '2026-07-28' } } },
  { name: '2025 (legacy)', versionNegotiation: { mode: 'legacy' as const } },
] as const;
export type ProtocolGeneration = (typeof PROTOCOL_GENERATIONS)[number];

/** A personal API key for a signed-in person. */
export async function apiKeyOf(session: ServiceSession, name = 'mcp test'): Promise<string> {
  const created = await session.call('POST', '/api/api-keys', { name });
  if (created.status !== 201) throw new Error(`api key: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.key;
}

export interface McpClientOptions {
  url: string;
  agentId: string;
  apiKey: string;
  generation: ProtocolGeneration;
  /** How the person answers an approval form; absent: the client declares no elicitation. */
  elicitation?: 'accept' | 'decline' | 'cancel';
  name?: string;
}

/** The SDK's own client over Streamable HTTP, pinned to one protocol generation. */
export async function connectMcpClient(
  options: McpClientOptions,
): Promise<{ client: Client; asked: string[] }> {
  const asked: string[] = [];
  const client = new Client(
    { name: options.name ?? 'forcefield-test-client', version: '1.0.0' },
    {
      capabilities: options.elicitation ? { elicitation: { form: {} } } : {},
      versionNegotiation: options.generation.versionNegotiation,
    },
  );
  if (options.elicitation) {
    const action = options.elicitation;
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(String((request.params as { message?: unknown }).message));
      return action === 'accept' ? { action, content: {} } : { action };
    });
  }
  const transport = new StreamableHTTPClientTransport(
    new URL(`${options.url}/mcp/agents/${options.agentId}`),
    {
      requestInit: { headers: { Authorization: `Bearer ${options.apiKey}` } },
    },
  );
  await client.connect(transport);
  return { client, asked };
}
