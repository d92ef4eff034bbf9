import type { Client } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { useChatHarness } from '../agent/chat-harness.ts';
import { orgCall, orgCreate, orgQuery } from '../agent/org-calls.ts';
import { createAgent } from '../support/agents.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { apiKeyOf, connectMcpClient, PROTOCOL_GENERATIONS } from './mcp-harness.ts';

/** The MCP server over real HTTP, driven by the SDK's own client, once per protocol generation. */

const CASES = STORE_DIALECTS.flatMap((dialect) =>
  PROTOCOL_GENERATIONS.map((generation) => ({ dialect, generation, name: `${generation.name}, ${dialect}` })),
);

describe.each(CASES)('MCP server, protocol $name', ({ dialect, generation }) => {
  const chat = useChatHarness(dialect);
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  async function agentWith(permissions: Record<string, string>): Promise<string> {
    return createAgent(chat.alice, { connector: { permissions } });
  }

  async function connectAs(
    who: 'bob' | 'carol',
    agentId: string,
    extra: { elicitation?: 'accept' | 'decline' | 'cancel'; name?: string } = {},
  ) {
    const apiKey = await apiKeyOf(chat[who]);
    const connected = await connectMcpClient({
      url: chat.test.service.url,
      agentId,
      apiKey,
      generation,
      ...extra,
    });
    clients.push(connected.client);
    return connected;
  }

  it('lists the agent tools with annotations and schemas; a Disabled tool is absent and refused', async () => {
    const agentId = await agentWith({ delete_record: 'disabled', query_records: 'disabled' });
    const { client } = await connectAs('bob', agentId);
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name).sort();
    expect(names).toEqual(
      [
        'approval_status',
        'create_record',
        'describe_object',
        'get_record',
        'next_page',
        'search_records',
        'update_record',
      ].sort(),
    );
    const search = tools.find((tool) => tool.name === 'search_records');
    expect(search?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      openWorldHint: false,
    });
    expect(search?.title).toBe('Search Salesforce records');
    expect(search?.inputSchema.properties).toHaveProperty('term');
    expect(search?.outputSchema?.properties).toHaveProperty('ok');
    const update = tools.find((tool) => tool.name === 'update_record');
    expect(update?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });

    const refused = await client
      .callTool({ name: 'delete_record', arguments: { objectType: 'Account', id: '001000000000001AAA' } })
      .then(
        (result) => (result.isError ? 'error result' : 'ran'),
        (error: Error) => error.message,
      );
    expect(refused).toMatch(/error result|not found/);
  });

  it('an Always-allow search answers compact text and structured content, audited with surface mcp and the client name', async () => {
    const agentId = await agentWith({});
    const name = `Zephyrine ${generation.name.replace(/\W/g, '')}`;
    await orgCreate(chat.emulator, 'Account', { Name: name });
    const { client } = await connectAs('bob', agentId, { name: 'audit-probe-client' });
    const result = await client.callTool({
      name: 'search_records',
      arguments: { term: name, objects: ['Account'] },
    });
    expect(result.isError).toBeFalsy();
    const text = (result.content as Array<{ type: string; text: string }>)[0].text;
    expect(text).toContain(name);
    expect(result.structuredContent).toMatchObject({ ok: true });
    const events = await chat.auditEvents('agent.tool_call');
    const mine = events.filter((event) => event.surface === 'mcp' && event.detail?.agentId === agentId);
    expect(mine.length).toBe(1);
    expect(mine[0].detail).toMatchObject({ tool: 'search_records', client: 'audit-probe-client' });
  });

  it('a Needs-approval create approved by elicitation creates exactly one record', async () => {
    const agentId = await agentWith({});
    const subject = `MCP approved ${generation.name}`;
    const { client, asked } = await connectAs('bob', agentId, { elicitation: 'accept' });
    const result = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: subject } },
    });
    expect(result.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('create_record');
    expect(asked[0]).toContain(subject);
    const rows = (await orgQuery(chat.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records;
    expect(rows).toHaveLength(1);
    expect(result.structuredContent).toMatchObject({ ok: true, id: rows[0].Id });
  });

  it('a Needs-approval create declined by elicitation creates nothing', async () => {
    const agentId = await agentWith({});
    const subject = `MCP declined ${generation.name}`;
    const { client } = await connectAs('bob', agentId, { elicitation: 'decline' });
    const result = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: subject } },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.structuredContent)).toContain('REJECTED_BY_USER');
    expect(
      (await orgQuery(chat.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records,
    ).toHaveLength(0);
  });

  it('without elicitation: a pending result with the approval page; approval_status gives the outcome; others are refused', async () => {
    const agentId = await agentWith({});
    const subject = `MCP page ${generation.name}`;
    const { client } = await connectAs('bob', agentId);
    const pending = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: subject } },
    });
    const body = pending.structuredContent as { status: string; approvalId: string; approvalUrl: string };
    expect(body.status).toBe('pending_approval');
    expect(body.approvalUrl).toBe(`${chat.test.service.url}/mcp/approvals/${body.approvalId}`);
    const waiting = await client.callTool({
      name: 'approval_status',
      arguments: { approvalId: body.approvalId },
    });
    expect(waiting.structuredContent).toMatchObject({ status: 'pending' });

    // Alice cannot see or decide Bob's approval.
    const page = `/mcp/approvals/${body.approvalId}`;
    expect((await chat.alice.call('GET', page)).status).toBe(404);
    expect((await chat.alice.call('POST', `${page}/decision`, { decision: 'approve' })).status).toBe(403);

    expect((await chat.bob.call('GET', page)).status).toBe(200);
    const decided = await chat.bob.call('POST', `${page}/decision`, { decision: 'approve' });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('approved');
    const again = await chat.bob.call('POST', `${page}/decision`, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(
      (await orgQuery(chat.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records,
    ).toHaveLength(1);

    const done = await client.callTool({
      name: 'approval_status',
      arguments: { approvalId: body.approvalId },
    });
    expect(done.structuredContent).toMatchObject({ ok: true });
  });

  it('an approved update whose record changed meanwhile writes nothing and is asked again with a new approval', async () => {
    const agentId = await agentWith({});
    const taskId = await orgCreate(chat.emulator, 'Task', {
      Subject: `MCP changed ${generation.name}`,
      Priority: 'Normal',
    });
    const { client } = await connectAs('bob', agentId);
    const pending = await client.callTool({
      name: 'update_record',
      arguments: { objectType: 'Task', id: taskId, fields: { Priority: 'High' } },
    });
    const body = pending.structuredContent as { status: string; approvalId: string };
    expect(body.status).toBe('pending_approval');
    expect(
      (await orgCall(chat.emulator, 'PATCH', `/sobjects/Task/${taskId}`, { Priority: 'Low' })).status,
    ).toBe(204);

    const decided = await chat.bob.call('POST', `/mcp/approvals/${body.approvalId}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('record_changed');
    const next = decided.body.nextApprovalId as string;
    expect(next).not.toBe(body.approvalId);
    const priority = async () =>
      (await orgQuery(chat.emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`)).records[0]
        ?.Priority;
    expect(await priority()).toBe('Low');
    // The used approval stays used; the new one is pending for the same call.
    expect(
      (await chat.bob.call('POST', `/mcp/approvals/${body.approvalId}/decision`, { decision: 'approve' }))
        .status,
    ).toBe(409);
    const waiting = await client.callTool({ name: 'approval_status', arguments: { approvalId: next } });
    expect(waiting.structuredContent).toMatchObject({ status: 'pending' });

    const approved = await chat.bob.call('POST', `/mcp/approvals/${next}/decision`, { decision: 'approve' });
    expect(approved.body.status).toBe('approved');
    expect(await priority()).toBe('High');
  });

  it('a person without a Salesforce connection is asked to connect', async () => {
    const agentId = await agentWith({});
    const { client } = await connectAs('carol', agentId);
    const result = await client.callTool({ name: 'search_records', arguments: { term: 'Acme' } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ errorCode: 'CONNECT_SALESFORCE' });
    expect(String((result.structuredContent as { connectUrl: string }).connectUrl)).toContain(
      'connect=personal',
    );
  });
});

describe('MCP endpoint guards', () => {
  const chat = useChatHarness('sqlite');

  it('refuses a missing or revoked key with 401, and a foreign Origin with 403', async () => {
    const agentId = await createAgent(chat.alice, {});
    const url = `${chat.test.service.url}/mcp/agents/${agentId}`;
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await fetch(url, { method: 'POST', headers, body: initialize });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);

    const key = await apiKeyOf(chat.bob);
    const authorized = { ...headers, authorization: `Bearer ${key}` };
    const foreign = await fetch(url, {
      method: 'POST',
      headers: { ...authorized, origin: 'https://evil.example' },
      body: initialize,
    });
    expect(foreign.status).toBe(403);
    const ok = await fetch(url, { method: 'POST', headers: authorized, body: initialize });
    expect(ok.status).toBe(200);

    const keys = await chat.bob.call('GET', '/api/api-keys');
    for (const apiKey of keys.body.apiKeys) await chat.bob.call('DELETE', `/api/api-keys/${apiKey.id}`);
    const revoked = await fetch(url, { method: 'POST', headers: authorized, body: initialize });
    expect(revoked.status).toBe(401);
  });
});
