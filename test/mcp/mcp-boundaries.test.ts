import type { Client } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { useChatHarness } from '../agent/chat-harness.ts';
import { createAgent } from '../support/agents.ts';
import { apiKeyOf, connectMcpClient, PROTOCOL_GENERATIONS, type ProtocolGeneration } from './mcp-harness.ts';

/** Whose is what over MCP: approvals, sessions, levels changed mid-session, and the person's trail. */

describe('MCP boundaries', () => {
  const chat = useChatHarness('sqlite');
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  async function open(
    who: 'bob' | 'carol' | 'alice',
    agentId: string,
    generation: ProtocolGeneration = PROTOCOL_GENERATIONS[0],
  ) {
    const apiKey = await apiKeyOf(chat[who]);
    const { client } = await connectMcpClient({ url: chat.test.service.url, agentId, apiKey, generation });
    clients.push(client);
    return client;
  }

  it("another person's approval reads as unknown through approval_status", async () => {
    const agentId = await createAgent(chat.alice, {});
    const bob = await open('bob', agentId);
    const pending = await bob.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: 'Boundary approval' } },
    });
    const { approvalId } = pending.structuredContent as { approvalId: string };
    const alice = await open('alice', agentId);
    const foreign = await alice.callTool({ name: 'approval_status', arguments: { approvalId } });
    expect(foreign.isError).toBe(true);
    expect(foreign.structuredContent).toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it("a 2025 session belongs to the person who opened it: another person's key with its id gets 404", async () => {
    const agentId = await createAgent(chat.alice, {});
    const url = `${chat.test.service.url}/mcp/agents/${agentId}`;
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    };
    const opened = await fetch(url, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${await apiKeyOf(chat.bob)}` },
      body: JSON.stringify(initialize),
    });
    const sessionId = opened.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    await opened.body?.cancel();
    const hijack = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        authorization: `Bearer ${await apiKeyOf(chat.carol)}`,
        'mcp-session-id': sessionId as string,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(hijack.status).toBe(404);
  });

  it('input that does not match the tool schema is refused before anything runs', async () => {
    const agentId = await createAgent(chat.alice, {});
    for (const generation of PROTOCOL_GENERATIONS) {
      const bob = await open('bob', agentId, generation);
      const outcome = await bob
        .callTool({ name: 'create_record', arguments: { objectType: 'Task', fields: 'not an object' } })
        .then(
          (result) => ({ isError: result.isError, text: JSON.stringify(result.content) }),
          (error: Error) => ({ isError: true, text: error.message }),
        );
      expect(outcome.isError).toBe(true);
      expect(outcome.text).toMatch(/fields/);
    }
    const approvals = await chat.test.service.store.db
      .selectFrom('agent_approvals')
      .select('id')
      .where('agent_id', '=', agentId)
      .execute();
    expect(approvals).toHaveLength(0);
  });

  it('a tool an admin disables during a session is refused at once', async () => {
    const agentId = await createAgent(chat.alice, {});
    const bob = await open('bob', agentId, PROTOCOL_GENERATIONS[1]);
    const before = await bob.callTool({ name: 'describe_object', arguments: { objectType: 'Lead' } });
    expect(before.isError).toBeFalsy();
    const changed = await chat.alice.call('PUT', `/api/agents/${agentId}`, {
      name: 'Sales helper',
      model: { provider: 'openai', modelId: 'mock-default' },
      connector: { permissions: { describe_object: 'disabled' } },
    });
    expect(changed.status).toBe(200);
    const after = await bob.callTool({ name: 'describe_object', arguments: { objectType: 'Lead' } });
    expect(after.isError).toBe(true);
    expect(JSON.stringify(after.structuredContent)).toContain('TOOL_DISABLED');
    const refused = await chat.auditEvents('agent.tool_call.refused');
    expect(refused.some((event) => event.surface === 'mcp' && event.detail?.agentId === agentId)).toBe(true);
  });

  it("the calls show in the person's conversations as step outlines, without Salesforce values", async () => {
    const agentId = await createAgent(chat.alice, {});
    const bob = await open('bob', agentId);
    const result = await bob.callTool({ name: 'describe_object', arguments: { objectType: 'Account' } });
    expect(result.isError).toBeFalsy();
    const list = await chat.bob.call('GET', '/api/conversations');
    const conversation = list.body.conversations.find(
      (candidate: { agentId: string; title: string }) =>
        candidate.agentId === agentId && candidate.title === 'MCP · forcefield-test-client',
    );
    expect(conversation).toBeTruthy();
    const detail = await chat.bob.call('GET', `/api/conversations/${conversation.id}`);
    const steps = detail.body.messages.flatMap((message: { steps: unknown[] }) => message.steps);
    expect(steps).toEqual([
      expect.objectContaining({ tool: 'describe_object', objectType: 'Account', status: 'ok' }),
    ]);
    const rows = await chat.test.service.store.db
      .selectFrom('conversation_messages')
      .select(['text', 'steps'])
      .execute();
    expect(JSON.stringify(rows)).not.toContain('BillingCity');
  });
});
