import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { useChatHarness } from '../agent/chat-harness.ts';
import { orgQuery } from '../agent/org-calls.ts';
import { createAgent } from '../support/agents.ts';
import { connect, type ServiceSession } from '../support/connections.ts';
import { apiKeyOf, PROTOCOL_GENERATIONS, type ProtocolGeneration } from './mcp-harness.ts';

/**
 * URL-mode elicitation: a client that declares only URL mode is sent to the approval page (or to
 * connect Salesforce) and its call proceeds once the person is done there.
 */

describe.each(PROTOCOL_GENERATIONS)('MCP URL-mode elicitation, protocol $name', (generation) => {
  const chat = useChatHarness('sqlite');
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  /** The SDK client declaring only URL mode; `visit` plays the person at the URL it was sent to. */
  async function urlModeClient(
    person: ServiceSession,
    agentId: string,
    visit: (url: URL) => Promise<'accept' | 'decline' | 'cancel'>,
    who: ProtocolGeneration = generation,
  ) {
    const visited: string[] = [];
    const client = new Client(
      { name: 'url-mode-client', version: '1.0.0' },
      { capabilities: { elicitation: { url: {} } }, versionNegotiation: who.versionNegotiation },
    );
    client.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as { mode?: string; url?: string };
      expect(params.mode).toBe('url');
      visited.push(String(params.url));
      return { action: await visit(new URL(String(params.url))) };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${chat.test.service.url}/mcp/agents/${agentId}`), {
        requestInit: { headers: { Authorization: `Bearer ${await apiKeyOf(person)}` } },
      }),
    );
    clients.push(client);
    return { client, visited };
  }

  const tasks = async (subject: string) =>
    (await orgQuery(chat.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records;

  it('a Needs-approval create: the person approves on the page, the call returns the created record', async () => {
    const agentId = await createAgent(chat.alice, {});
    const subject = `URL approved ${generation.name}`;
    const { client, visited } = await urlModeClient(chat.bob, agentId, async (url) => {
      const decided = await chat.bob.call('POST', `${url.pathname}/decision`, { decision: 'approve' });
      expect(decided.body.status).toBe('approved');
      return 'accept';
    });
    const result = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: subject } },
    });
    expect(visited).toHaveLength(1);
    expect(visited[0]).toMatch(new RegExp(`^${chat.test.service.url}/mcp/approvals/[^/]+$`));
    expect(result.isError).toBeFalsy();
    const rows = await tasks(subject);
    expect(rows).toHaveLength(1);
    expect(result.structuredContent).toMatchObject({ ok: true, id: rows[0].Id });
  });

  it('rejected on the page, or declined in the client: nothing is created', async () => {
    const agentId = await createAgent(chat.alice, {});
    const rejectedSubject = `URL rejected ${generation.name}`;
    const rejecting = await urlModeClient(chat.bob, agentId, async (url) => {
      await chat.bob.call('POST', `${url.pathname}/decision`, { decision: 'reject' });
      return 'accept';
    });
    const rejected = await rejecting.client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: rejectedSubject } },
    });
    expect(rejected.isError).toBe(true);
    expect(rejected.structuredContent).toMatchObject({ ok: false, errorCode: 'REJECTED_BY_USER' });

    const declinedSubject = `URL declined ${generation.name}`;
    const declining = await urlModeClient(chat.bob, agentId, async () => 'decline');
    const declined = await declining.client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: declinedSubject } },
    });
    expect(declined.isError).toBe(true);
    expect(JSON.stringify(declined.structuredContent)).toContain('REJECTED_BY_USER');
    expect(await tasks(rejectedSubject)).toHaveLength(0);
    expect(await tasks(declinedSubject)).toHaveLength(0);
  });

  it('back before deciding: the call says pending, with the page', async () => {
    const agentId = await createAgent(chat.alice, {});
    const { client } = await urlModeClient(chat.bob, agentId, async () => 'accept');
    const result = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: `URL undecided ${generation.name}` } },
    });
    expect(result.structuredContent).toMatchObject({ ok: false, status: 'pending_approval' });
    const { approvalId } = result.structuredContent as { approvalId: string };
    expect((result.structuredContent as { approvalUrl: string }).approvalUrl).toBe(
      `${chat.test.service.url}/mcp/approvals/${approvalId}`,
    );
  });

  it('a person without a Salesforce connection is sent to connect, then the call proceeds', async () => {
    const agentId = await createAgent(chat.alice, {});
    const carol = chat.carol;
    let connected = false;
    const { client, visited } = await urlModeClient(carol, agentId, async (url) => {
      expect(url.searchParams.get('connect')).toBe('personal');
      if (!connected) {
        await connect(carol, chat.emulator, { kind: 'personal', username: 'carol@acme.demo' });
        connected = true;
      }
      return 'accept';
    });
    const result = await client.callTool({
      name: 'describe_object',
      arguments: { objectType: 'Account' },
    });
    expect(visited).toHaveLength(1);
    expect(visited[0].startsWith(`${chat.test.service.url}/settings/integrations?`)).toBe(true);
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('Account');
  });
});
