import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.ts';
import type { Store } from '../../src/store/database.ts';
import { orgQuery } from '../agent/org-calls.ts';
import { type AgentTestService, createAgent, useTwoAgentInstances } from '../support/agents.ts';
import type { ServiceSession } from '../support/connections.ts';
import { ModelBoard } from '../support/models.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { apiKeyOf, connectMcpClient, PROTOCOL_GENERATIONS } from './mcp-harness.ts';

/**
 * MCP approvals on two instances of the service on one database, as behind a load balancer: the
 * client calls one instance, the person decides on the approval page served by the other (which
 * runs the action and keeps its result in its memory), and the client's follow-up — the URL-mode
 * retry or approval_status — reaches the first. It gets the outcome from the approval's execution
 * record (ids and state only; no Salesforce field value is stored to make this work).
 */

const SECRET_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

describe.each(STORE_DIALECTS)('MCP approvals across two instances (%s)', (dialect) => {
  const instances = useTwoAgentInstances(dialect, {
    board: new ModelBoard(),
    environment: { FORCEFIELD_SECRET_KEY: SECRET_KEY },
  });
  let emulator: RunningEmulator;
  let first: AgentTestService;
  let second: AgentTestService;
  let alice: ServiceSession;
  let bob: ServiceSession;
  let store: Store;
  beforeAll(() => {
    ({ emulator, first, second, alice, bob, store } = instances);
  });
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  /** Bob decides on the approval page of the second instance (sessions live in the database). */
  const decideOnSecond = async (approvalUrl: URL | string, decision: 'approve' | 'reject') => {
    const decided = await bob.call('POST', `${second.service.url}${new URL(approvalUrl).pathname}/decision`, {
      decision,
    });
    expect(decided.status).toBe(200);
    return decided;
  };

  /** Everything the database holds about one approval, for "no field value stored" checks. */
  const storedApproval = async (approvalId: string) =>
    JSON.stringify(
      await store.db
        .selectFrom('agent_approvals')
        .selectAll()
        .where('id', '=', approvalId)
        .executeTakeFirstOrThrow(),
    );

  it.each(PROTOCOL_GENERATIONS)(
    'URL mode ($name): approved on the other instance, the retry returns the created record',
    async (generation) => {
      const agentId = await createAgent(alice, {});
      const subject = `Across instances ${generation.name} ${dialect}`;
      let approvalId = '';
      const client = new Client(
        { name: 'url-mode-client', version: '1.0.0' },
        { capabilities: { elicitation: { url: {} } }, versionNegotiation: generation.versionNegotiation },
      );
      client.setRequestHandler('elicitation/create', async (request) => {
        const url = new URL(String((request.params as { url?: string }).url));
        approvalId = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
        const decided = await decideOnSecond(url, 'approve');
        expect(decided.body.status).toBe('approved');
        return { action: 'accept' };
      });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${first.service.url}/mcp/agents/${agentId}`), {
          requestInit: { headers: { Authorization: `Bearer ${await apiKeyOf(bob)}` } },
        }),
      );
      clients.push(client);

      const result = await client.callTool({
        name: 'create_record',
        arguments: { objectType: 'Task', fields: { Subject: subject } },
      });
      const created = (await orgQuery(emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records;
      expect(created).toHaveLength(1);
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        ok: true,
        id: created[0].Id,
        status: 'approved',
        execution: 'executed',
        approvalId,
      });
      expect(await storedApproval(approvalId)).not.toContain(subject);
    },
  );

  it('approval_status on the other instance: the written record; a read says where its rows are', async () => {
    const agentId = await createAgent(alice, {
      connector: { permissions: { query_records: 'needs_approval' } },
    });
    const { client } = await connectMcpClient({
      url: first.service.url,
      agentId,
      apiKey: await apiKeyOf(bob),
      generation: PROTOCOL_GENERATIONS[0],
    });
    clients.push(client);

    const subject = `Status across instances ${dialect}`;
    const pending = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: subject } },
    });
    const { approvalId, approvalUrl } = pending.structuredContent as {
      approvalId: string;
      approvalUrl: string;
    };
    await decideOnSecond(approvalUrl, 'approve');
    const status = await client.callTool({ name: 'approval_status', arguments: { approvalId } });
    const created = (await orgQuery(emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records;
    expect(created).toHaveLength(1);
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent).toMatchObject({ ok: true, id: created[0].Id, status: 'approved' });

    const read = await client.callTool({
      name: 'query_records',
      arguments: { soql: `SELECT Id, Subject FROM Task WHERE Subject = '${subject}'` },
    });
    const readApproval = read.structuredContent as { approvalId: string; approvalUrl: string };
    await decideOnSecond(readApproval.approvalUrl, 'approve');
    const readStatus = await client.callTool({
      name: 'approval_status',
      arguments: { approvalId: readApproval.approvalId },
    });
    expect(readStatus.structuredContent).toMatchObject({
      ok: true,
      status: 'approved',
      execution: 'executed',
    });
    expect(String((readStatus.structuredContent as { message: string }).message)).toMatch(
      /another instance.*run the read again/,
    );
    // The rows were read on the second instance and stay there: neither the answer nor the database has them.
    expect(JSON.stringify(readStatus)).not.toContain(subject);
    expect(await storedApproval(readApproval.approvalId)).not.toContain(subject);
  });
});
