import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.ts';
import {
  type AgentTestService,
  approvalOf,
  createAgent,
  decide,
  say,
  startAgentService,
  startConversation,
} from '../../support/agents.ts';
import { connect, logIn } from '../../support/connections.ts';
import { callThenAnswer, ModelBoard } from '../../support/models.ts';

/**
 * Whole conversations — search, queries, record reads, describe, an approval showing live current
 * values, a create — then a scan of every database row, the database files and every log line for
 * the Salesforce values the tools returned. Tool results live in memory only: none may be found.
 */
let emulator: RunningEmulator;
let test: AgentTestService;
const board = new ModelBoard();
let baseline = '';
const returned = new Set<string>();

function databaseFiles(): string {
  return readdirSync(test.dataDir)
    .filter((name) => name.startsWith('forcefield.db'))
    .map((name) => readFileSync(path.join(test.dataDir, name)).toString('utf8'))
    .join('\n');
}

async function orgRecords(soql: string) {
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { records: Array<Record<string, unknown>> }).records;
}

/** Every string and number (≥ 4 characters) anywhere in a tool result. */
function collect(value: unknown): void {
  // The record form (text): its header's name, and each `Field=value` line's value.
  if (typeof value === 'string' && value.includes('\n')) {
    const [header, ...lines] = value.split('\n');
    collect(header.split(' ').slice(2).join(' '));
    for (const line of lines) collect(line.slice(line.indexOf('=') + 1));
  } else if (typeof value === 'string' && value.length >= 4) returned.add(value);
  else if (typeof value === 'number' && String(value).length >= 4) returned.add(String(value));
  else if (Array.isArray(value)) value.forEach(collect);
  else if (value && typeof value === 'object') Object.values(value).forEach(collect);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  test = await startAgentService(emulator, { board });
  const bob = await logIn(test.service.url, 'bob@forcefield.demo');
  const alice = await logIn(test.service.url, 'alice@forcefield.demo');
  await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
  baseline = databaseFiles() + test.logs.join('');

  const [account] = await orgRecords('SELECT Id, Name FROM Account ORDER BY Name LIMIT 1');
  const contacts = await orgRecords('SELECT Id, Email FROM Contact LIMIT 3');
  board.set(
    'mock-reads',
    callThenAnswer([
      { toolName: 'search_records', input: { term: String(account.Name) } },
      {
        toolName: 'query_records',
        input: { soql: 'SELECT Id, Name, Email, Phone, Title, Account.Name FROM Contact' },
      },
      {
        toolName: 'query_records',
        input: { soql: 'SELECT Id, Name, Amount, StageName, CloseDate FROM Opportunity' },
      },
      { toolName: 'get_record', input: { objectType: 'Contact', id: contacts[0].Id } },
      { toolName: 'describe_object', input: { objectType: 'Opportunity' } },
    ]),
  );
  board.set(
    'mock-writes',
    callThenAnswer([
      {
        toolName: 'update_record',
        input: {
          objectType: 'Contact',
          id: contacts[1].Id,
          fields: { Title: 'Chief Listener', Email: 'new.address@example.org' },
        },
      },
    ]),
  );
  const reader = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-reads' } });
  const writer = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-writes' } });

  const readConversation = await startConversation(bob, reader);
  const read = await say(bob, readConversation, 'Tell me about our customers');
  expect(read.body.status).toBe('complete');
  for (const step of read.body.message.steps) {
    expect(step.status).toBe('ok');
    collect(step.result);
  }
  const writeConversation = await startConversation(bob, writer);
  const paused = await say(bob, writeConversation, 'Update the contact');
  const approval = approvalOf(paused);
  collect(approval.currentValues);
  expect((await decide(bob, writeConversation, approval, 'approve')).body.status).toBe('complete');
  // A later look at the conversations, as a person would.
  await bob.call('GET', `/api/conversations/${readConversation}`);
  await bob.call('GET', `/api/conversations/${writeConversation}`);
});

afterAll(async () => {
  await test?.stop();
  await emulator?.stop();
});

it('finds none of the Salesforce values the tools returned in the database or the logs', async () => {
  const seeded = new Set<string>();
  for (const record of [
    ...(await orgRecords('SELECT Name, Phone, Website FROM Account')),
    ...(await orgRecords('SELECT Name, Email, Phone, Title FROM Contact')),
    ...(await orgRecords('SELECT Name, Amount FROM Opportunity')),
  ]) {
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'attributes' && value !== null && String(value).length >= 4) seeded.add(String(value));
    }
  }
  // The values the tools handed to the model that are the emulator's seeded data (names, emails,
  // phones, amounts), leaving out the few the workspace had before (demo data of other features).
  const needles = [...returned].filter((value) => seeded.has(value) && !baseline.includes(value));
  expect(needles.length).toBeGreaterThan(40);
  expect(needles.some((value) => value.includes('@'))).toBe(true);
  expect(needles.some((value) => /^\d+(\.\d+)?$/.test(value))).toBe(true);

  const { db } = test.service.store;
  const rows: string[] = [];
  for (const table of [
    'agents',
    'conversations',
    'conversation_messages',
    'agent_approvals',
    'audit_events',
    'connections',
  ] as const) {
    rows.push(JSON.stringify(await db.selectFrom(table).selectAll().execute()));
  }
  const places = { rows: rows.join('\n'), files: databaseFiles(), logs: test.logs.join('') };
  expect(places.rows).toContain('query_records');
  for (const needle of needles) {
    // Numbers only as whole tokens (an amount must not match inside an id or a ciphertext).
    const pattern = /^\d+(\.\d+)?$/.test(needle)
      ? new RegExp(`(?<![0-9A-Za-z_.-])${needle.replace('.', '\\.')}(?![0-9A-Za-z_])`)
      : undefined;
    for (const [place, text] of Object.entries(places)) {
      const found = pattern ? pattern.test(text) : text.includes(needle);
      expect(found, `${needle} found in ${place}`).toBe(false);
    }
  }
  // The new values the model wrote are not kept either (they were tool inputs).
  expect(places.files.includes('new.address@example.org')).toBe(false);
});
