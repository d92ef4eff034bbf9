/**
 * The agent benchmark. Two figures:
 *
 * 1. Tool dispatch overhead: what the server adds around a tool call — the permission check, the
 *    audit event (a real insert into SQLite), the step log in memory — with Salesforce's time taken
 *    out: the client answers instantly from a response recorded from the emulator. Reported as the
 *    whole dispatch, the tool's own work (SOQL guard + compaction), and their difference.
 * 2. Context bytes: what the model reads against Salesforce's raw JSON for the same result, per
 *    tool, on the demo org (target ≤ 40%).
 * 3. Time to first token: our chat stream against the model's own (agent-first-token.ts; target
 *    ≤ 5 ms p50), over `--answers=N` answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.ts';
import type { DispatchContext } from '../src/agent/dispatch/dispatch-context.ts';
import { dispatchToolCall } from '../src/agent/dispatch/dispatch-tool-call.ts';
import { type Agent, parseAgentRow } from '../src/agent/store/agent-store.ts';
import { ConversationMemory } from '../src/agent/store/conversation-memory.ts';
import { executeTool } from '../src/agent/tools/execute-tool.ts';
import type { AgentSalesforceClient } from '../src/agent/tools/tool-catalog.ts';
import { defaultConnectorSettings, type ToolName } from '../src/agent/tools/tool-permissions.ts';
import { AuditLog } from '../src/audit/audit-log.ts';
import { migrate, openStore } from '../src/store/database.ts';
import { generateKeyEntry, Keyring } from '../src/vault/keyring.ts';
import { TokenVault } from '../src/vault/token-vault.ts';
import { runFirstTokenBenchmark } from './agent-first-token.ts';

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

async function salesforce(url: string, token: string, resource: string): Promise<unknown> {
  const response = await fetch(`${url}/services/data/v66.0${resource}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`${resource}: ${response.status}`);
  return response.json();
}

export async function runAgentBenchmark(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      iterations: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      answers: { type: 'string', default: '200' },
    },
  });
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);

  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const contactSoql =
    'SELECT Id, Name, Title, Email, Phone, Account.Name FROM Contact ORDER BY Name LIMIT 50';
  const recorded = {
    query: await salesforce(emulator.url, token, `/query?q=${encodeURIComponent(contactSoql)}`),
    opportunities: await salesforce(
      emulator.url,
      token,
      `/query?q=${encodeURIComponent('SELECT FIELDS(ALL) FROM Opportunity LIMIT 50')}`,
    ),
    search: null as unknown,
    describe: await salesforce(emulator.url, token, '/sobjects/Opportunity/describe'),
    record: null as unknown,
  };
  const someContact = (recorded.query as { records: Array<{ Id: string }> }).records[0].Id;
  recorded.record = await salesforce(emulator.url, token, `/sobjects/Contact/${someContact}`);
  // A word of a real account name, so the search finds the account and its contacts.
  const searchTerm = String(
    (recorded.query as { records: Array<{ Account: { Name: string } }> }).records[0].Account.Name,
  ).split(' ')[0];
  recorded.search = await salesforce(
    emulator.url,
    token,
    `/search?q=${encodeURIComponent(`FIND {${searchTerm}} IN ALL FIELDS RETURNING Account(Id, Name, Industry, BillingCity LIMIT 10), Contact(Id, Name, Title, Email, AccountId LIMIT 10) LIMIT 20`)}`,
  );
  await emulator.stop();

  // A client that answers from the recordings at once: Salesforce's time is out of the figures.
  let nextQuery: unknown = recorded.query;
  const client = {
    query: async () => nextQuery,
    queryMore: async () => nextQuery,
    search: async () => recorded.search,
    retrieve: async () => recorded.record,
    describe: async () => recorded.describe,
    create: async () => ({ id: '00T000000000001AAA', success: true }),
    update: async () => undefined,
    delete: async () => undefined,
  } as unknown as AgentSalesforceClient;

  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-agent-bench-'));
  const store = openStore({ sqlitePath: path.join(dataDir, 'bench.db') });
  await migrate(store);
  const audit = new AuditLog(store);
  const memory = new ConversationMemory({ retentionMs: 30 * 60 * 1000, now: Date.now });
  const state = memory.touch('conversation');
  const agent: Agent = parseAgentRow({
    id: 'agent',
    name: 'Bench',
    instructions: '',
    model_provider: 'openai',
    model_id: 'none',
    model_provider_id: null,
    connector: JSON.stringify(defaultConnectorSettings()),
    created_by: 'user',
    created_at: '',
    updated_at: '',
  });
  const context: DispatchContext = {
    store,
    audit,
    now: Date.now,
    memory,
    state,
    agent,
    userId: 'user',
    connectionId: 'connection',
    conversationId: 'conversation',
    messageId: 'message',
    approvalTtlMs: 15 * 60 * 1000,
    vault: new TokenVault(new Keyring([generateKeyEntry()], { kind: 'environment' })),
    client: async () => client,
    emit: () => {},
  };
  const environment = {
    client,
    keepRemainder: () => 'cursor',
    takeRemainder: () => undefined,
  };

  const cases: Array<{ label: string; tool: ToolName; input: unknown }> = [
    { label: 'query_records (50 contacts)', tool: 'query_records', input: { soql: contactSoql } },
    { label: 'get_record', tool: 'get_record', input: { objectType: 'Contact', id: someContact } },
    {
      label: 'refused (delete_record disabled)',
      tool: 'delete_record',
      input: { objectType: 'Task', id: someContact },
    },
  ];
  console.log(
    `Tool dispatch, ${iterations} calls each after ${warmup} warm-up (SQLite audit; Salesforce time excluded)\n`,
  );
  console.log(
    '| call | dispatch p50 ms | dispatch p99 ms | tool work p50 ms | overhead p50 ms | overhead p99 ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  let counter = 0;
  for (const entry of cases) {
    const dispatch: number[] = [];
    const work: number[] = [];
    for (let index = 0; index < warmup + iterations; index++) {
      let started = performance.now();
      await dispatchToolCall(context, {
        toolCallId: `call_${counter++}`,
        toolName: entry.tool,
        input: entry.input,
      });
      const dispatched = performance.now() - started;
      started = performance.now();
      if (entry.tool !== 'delete_record') await executeTool(entry.tool, entry.input, environment);
      const worked = performance.now() - started;
      if (index >= warmup) {
        dispatch.push(dispatched);
        work.push(worked);
      }
    }
    const overhead = dispatch.map((value, index) => Math.max(0, value - work[index])).sort((a, b) => a - b);
    dispatch.sort((a, b) => a - b);
    work.sort((a, b) => a - b);
    console.log(
      `| ${entry.label} | ${percentile(dispatch, 0.5).toFixed(3)} | ${percentile(dispatch, 0.99).toFixed(3)} | ${percentile(work, 0.5).toFixed(3)} | ${percentile(overhead, 0.5).toFixed(3)} | ${percentile(overhead, 0.99).toFixed(3)} |`,
    );
  }

  console.log('\nContext bytes: what the model reads against Salesforce raw JSON (demo org)\n');
  console.log('| tool result | raw bytes | context bytes | ratio |');
  console.log('| --- | --- | --- | --- |');
  const sizeCases: Array<{ label: string; tool: ToolName; input: unknown; raw?: unknown }> = [
    {
      label: 'query_records: 50 contacts, 6 fields + parent',
      tool: 'query_records',
      input: { soql: contactSoql },
      raw: recorded.query,
    },
    {
      label: 'query_records: FIELDS(ALL) of opportunities',
      tool: 'query_records',
      input: { soql: 'SELECT FIELDS(ALL) FROM Opportunity LIMIT 50' },
      raw: recorded.opportunities,
    },
    {
      label: 'search_records: Account + Contact',
      tool: 'search_records',
      input: { term: searchTerm, objects: ['Account', 'Contact'] },
    },
    {
      label: 'get_record: one contact, all fields',
      tool: 'get_record',
      input: { objectType: 'Contact', id: someContact },
    },
    { label: 'describe_object: Opportunity', tool: 'describe_object', input: { objectType: 'Opportunity' } },
  ];
  let rawTotal = 0;
  let contextTotal = 0;
  for (const entry of sizeCases) {
    if (entry.raw) nextQuery = entry.raw;
    const execution = await executeTool(entry.tool, entry.input, environment);
    if (execution.kind !== 'ok' || execution.rawBytes === undefined)
      throw new Error(`${entry.label}: ${execution.kind}`);
    rawTotal += execution.rawBytes;
    contextTotal += execution.contextBytes ?? 0;
    console.log(
      `| ${entry.label} | ${execution.rawBytes} | ${execution.contextBytes} | ${(((execution.contextBytes ?? 0) / execution.rawBytes) * 100).toFixed(1)}% |`,
    );
  }
  console.log(`| all | ${rawTotal} | ${contextTotal} | ${((contextTotal / rawTotal) * 100).toFixed(1)}% |`);
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  await runFirstTokenBenchmark(Number(values.answers), 20);
}
