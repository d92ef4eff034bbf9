/**
 * The production promise, tested from outside: two `forcefield start` instances, each its own
 * process, on one database (PostgreSQL: a database created for this test and dropped after; SQLite
 * file shared by both when DATABASE_URL is unset), against one emulator process, with 20% of the
 * Salesforce data calls failing (emulator fault rules: dropped before or after processing, 500,
 * 503, UNABLE_TO_LOCK_ROW). Meeting sends and approved agent calls go through both instances; then
 * one instance is killed with SIGKILL while two sends and two approved calls of its are at
 * Salesforce (parked by `hold` rules), and it is never restarted. Salesforce then commits one of
 * each and drops the other.
 *
 * Every send and every approved call must end in its true final state, found by the surviving
 * instance's periodic resolvers (leases and resolver periods made short by configuration), with
 * 0 duplicates and 0 lost records (counted in the emulator's org) and a complete audit. Nothing
 * races a timer: the kill waits for the emulator's signal that the requests are parked, and the
 * final states are awaited by polling the API under one generous deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, type ServiceSession } from '../support/connections.ts';
import { DEMO_PASSWORD } from '../support/oauth-browser.ts';
import { emulatorReady } from '../support/process-output.ts';
import { type ScriptedChatServer, startScriptedChatServer } from './support/scripted-chat-server.ts';
import {
  connectPersonal,
  neutralEnvironment,
  type ServiceProcess,
  startServiceProcess,
  stopChildren,
} from './support/service-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const ADMIN_SECRET = `admin-${randomBytes(12).toString('hex')}`;
const ADMIN = { email: 'ops@example.com', password: 'two instances under faults' };
const DATA = '/services/data/v66.0';
/** Sends fired at the two instances under faults, and approved agent calls. */
const SENDS = 16;
const AGENT_CALLS = 4;
/** How long everything may take to reach its final state after the kill (leases are seconds). */
const FINAL_STATE_DEADLINE_MS = 40_000;

/**
 * 20% of the data calls fail, 4% for each kind. Rules are tried in order and the first that fires
 * is the fault, so each rule's probability is its share of what the rules before it let through.
 */
const FAULT_KINDS = ['drop-after', 'drop-before', 'http-500', 'http-503', 'unable-to-lock-row'];
const RANDOM_FAULTS = FAULT_KINDS.map((kind, index) => ({
  id: `random-${kind}`,
  path: '/services/data/**',
  kind,
  probability: 0.04 / (1 - 0.04 * index),
}));

// biome-ignore lint/suspicious/noExplicitAny: JSON answers
type Json = any;

describe(`two instances, 20% faults, one killed with SIGKILL (${dialect})`, () => {
  const workDir = mkdtempSync(path.join(tmpdir(), 'forcefield-two-instances-'));
  const children: ChildProcess[] = [];
  const output: string[] = [];
  let model: ScriptedChatServer;
  let emulatorUrl: string;
  let databaseName: string | undefined;
  let environment: Record<string, string>;
  let first: ServiceProcess;
  let second: ServiceProcess;

  async function emulatorAdmin(method: string, adminPath: string, body?: unknown): Promise<Json> {
    const response = await fetch(`${emulatorUrl}/__emulator${adminPath}`, {
      method,
      headers: {
        Authorization: `Bearer ${ADMIN_SECRET}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`emulator admin ${method} ${adminPath}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Reads the org as its admin, straight from the emulator (call with the fault rules cleared). */
  async function orgQuery(soql: string): Promise<Json[]> {
    const login = await fetch(`${emulatorUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'forcefield-demo',
        client_secret: 'forcefield-demo-secret',
        username: 'alice@acme.demo',
        password: DEMO_PASSWORD,
      }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const response = await fetch(`${emulatorUrl}${DATA}/queryAll?q=${encodeURIComponent(soql)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as Json;
    if (response.status !== 200) throw new Error(`query failed: ${JSON.stringify(body)}`);
    return body.records;
  }

  const startInstance = (name: string) =>
    startServiceProcess({ name, cwd: workDir, environment, output, children });

  beforeAll(async () => {
    model = await startScriptedChatServer();
    const emulator = spawn(
      process.execPath,
      [path.join(root, 'bin/forcefield.ts'), 'emulator', '--port', '0', '--seed', 'demo'],
      { cwd: workDir, env: { PATH: process.env.PATH ?? '', FORCEFIELD_EMULATOR_ADMIN_SECRET: ADMIN_SECRET } },
    );
    children.push(emulator);
    emulatorUrl = (await emulatorReady(emulator)).url;

    environment = {
      ...neutralEnvironment(),
      PORT: '0',
      HOST: '127.0.0.1',
      // One data directory: with SQLite, both instances open the same database file.
      DATA_DIR: path.join(workDir, 'data'),
      LOG_LEVEL: 'warn',
      FORCEFIELD_SECRET_KEY: randomBytes(32).toString('base64'),
      FORCEFIELD_ADMIN_EMAIL: ADMIN.email,
      FORCEFIELD_ADMIN_PASSWORD: ADMIN.password,
      // A connected app is configured: the instances talk to the emulator process, not their own.
      SALESFORCE_CLIENT_ID: 'forcefield-demo',
      SALESFORCE_CLIENT_SECRET: 'forcefield-demo-secret',
      SALESFORCE_LOGIN_URL: emulatorUrl,
      OPENAI_COMPATIBLE_BASE_URL: model.baseUrl,
      // Short leases and resolver periods, so the dead instance's work is taken over in seconds.
      MEETING_SEND_SETTLE_MS: '1500',
      MEETING_SEND_WRITE_TIMEOUT_MS: '5000',
      MEETING_SEND_RESOLVER_INTERVAL_MS: '250',
      AGENT_EXECUTION_LEASE_SECONDS: '10',
      AGENT_RESOLVER_PERIOD_SECONDS: '1',
      AGENT_TURN_LEASE_SECONDS: '2',
    };
    if (dialect === 'postgres') {
      const server = new URL(process.env.DATABASE_URL!);
      databaseName = `forcefield_mp_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${databaseName}`);
      await admin.end();
      server.pathname = `/${databaseName}`;
      environment.DATABASE_URL = server.toString();
    }
    // One after the other: the first creates the schema and the admin, the second finds them.
    first = await startInstance('first');
    second = await startInstance('second');
  }, 60_000);

  afterAll(async () => {
    await stopChildren(children);
    await model?.stop();
    if (databaseName) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Waits for a condition (an explicit signal), polling; fails after `ms`. */
  async function until(
    condition: () => Promise<boolean>,
    what: string,
    ms = 20_000,
    seen: () => string = () => '',
  ): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what} ${seen()}\n${output.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Runs `tasks` with at most `width` under way at once. */
  async function inParallel<T>(width: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
    const results: T[] = [];
    let next = 0;
    const lanes = Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    });
    await Promise.all(lanes);
    return results;
  }

  /** Whether the emulator holds a request parked by rule `ruleId`. */
  async function parked(ruleId: string): Promise<boolean> {
    const faults = await emulatorAdmin('GET', '/faults');
    return (faults.held as Array<{ ruleId: string }>).some((held) => held.ruleId === ruleId);
  }

  it('ends every send and every approved call in its true final state: no duplicate, nothing lost, audit complete', {
    timeout: 120_000,
  }, async () => {
    const sessions = {
      first: await logIn(first.url, ADMIN.email, ADMIN.password),
      second: await logIn(second.url, ADMIN.email, ADMIN.password),
    };
    const connectionId = await connectPersonal(sessions.first, emulatorUrl);
    const [account] = await orgQuery("SELECT Id FROM Account WHERE Name = 'Pinecrest Software'");
    const run = randomUUID().slice(0, 8);
    // One send per item: the item's sends list is that send's journal row.
    const itemIds = [
      ...Array.from({ length: SENDS }, (_, index) => `load-${index}`),
      'kill-committed',
      'kill-dropped',
    ];
    const meeting = await sessions.first.call('POST', '/api/meetings', {
      title: `Two instances ${run}`,
      startTime: '2027-03-01T15:00:00Z',
      endTime: '2027-03-01T15:30:00Z',
      participants: [],
      items: itemIds.map((id) => ({ id, kind: 'task', text: `Follow up ${id}` })),
    });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(201);
    const meetingId: string = meeting.body.meeting.id;
    const agent = await sessions.first.call('POST', '/api/agents', {
      name: 'Contact maker',
      instructions: 'Create the contacts asked for.',
      model: { provider: 'openai_compatible', modelId: 'scripted' },
    });
    expect(agent.status, JSON.stringify(agent.body)).toBe(201);
    const agentId: string = agent.body.agent.id;

    const sends = new Map(
      itemIds.map((itemId) => [
        itemId,
        { subject: `MP ${run} ${itemId}`, key: `mp-${run}-${itemId}`, answer: undefined as Json },
      ]),
    );
    const sendBody = (itemId: string) => ({
      connectionId,
      kind: 'task',
      values: { subject: sends.get(itemId)!.subject },
      records: [{ type: 'Account', id: account.Id }],
      idempotencyKey: sends.get(itemId)!.key,
    });
    const send = (session: ServiceSession, itemId: string) =>
      session.call('POST', `/api/meetings/${meetingId}/items/${itemId}/sends`, sendBody(itemId));

    interface AgentCall {
      lastName: string;
      conversationId: string;
      approvalId: string;
      toolCallId: string;
      decision?: Json;
    }
    const agentCalls: AgentCall[] = [];
    /** A conversation asks for a contact on `asked`; the approval is given on `approver`. */
    async function askAndApprove(
      asked: ServiceSession,
      approver: ServiceSession,
      lastName: string,
    ): Promise<{ call: AgentCall; decision: Promise<Json> } | undefined> {
      const conversation = await asked.call('POST', '/api/conversations', { agentId });
      if (conversation.status !== 201) throw new Error(JSON.stringify(conversation.body));
      const conversationId: string = conversation.body.conversation.id;
      const turn = await asked.call('POST', `/api/conversations/${conversationId}/messages`, {
        text: `create contact ${lastName}`,
      });
      const approval = turn.body?.events?.find((event: Json) => event.type === 'approval')?.approval;
      // A fault before the pause (the tool's own reads) ends the turn without an approval.
      if (!approval) return undefined;
      const call: AgentCall = {
        lastName,
        conversationId,
        approvalId: approval.approvalId,
        toolCallId: approval.toolCallId,
      };
      agentCalls.push(call);
      const decision = approver.call(
        'POST',
        `/api/conversations/${conversationId}/approvals/${approval.approvalId}`,
        { decision: 'approve', inputHash: approval.inputHash },
      );
      return { call, decision };
    }

    // ---- 1. Load under 20% faults, through both instances (approvals on the other instance).
    await emulatorAdmin('PUT', '/faults', { seed: 20_261_206, rules: RANDOM_FAULTS });
    const both = [sessions.first, sessions.second];
    await Promise.all([
      inParallel(
        4,
        itemIds.slice(0, SENDS).map((itemId, index) => async () => {
          const answer = await send(both[index % 2], itemId).catch((error: Error) => ({
            error: error.message,
          }));
          sends.get(itemId)!.answer = answer;
        }),
      ),
      inParallel(
        2,
        Array.from({ length: AGENT_CALLS }, (_, index) => async () => {
          // A turn that a fault ended before its approval is asked again (a new conversation).
          for (let attempt = 0; attempt < 5; attempt++) {
            const started = await askAndApprove(
              both[index % 2],
              both[(index + 1) % 2],
              `MP${run}load${index}try${attempt}`,
            );
            if (started) {
              const decided = await started.decision;
              started.call.decision = { status: decided.status, body: decided.body };
              return;
            }
          }
        }),
      ),
    ]);

    // ---- 2. The first instance's work parked at Salesforce, then the instance killed.
    // Only the hold rules while the requests are parked: nothing else can fail them on their way.
    await emulatorAdmin('PUT', '/faults', {
      rules: [
        {
          id: 'send-committed',
          method: 'POST',
          path: `${DATA}/sobjects/Task`,
          kind: 'drop-after',
          hold: true,
          times: 1,
        },
        {
          id: 'send-dropped',
          method: 'POST',
          path: `${DATA}/sobjects/Task`,
          kind: 'drop-before',
          hold: true,
          times: 1,
        },
        {
          id: 'call-committed',
          method: 'POST',
          path: `${DATA}/sobjects/Contact`,
          kind: 'drop-after',
          hold: true,
          times: 1,
        },
        {
          id: 'call-dropped',
          method: 'POST',
          path: `${DATA}/sobjects/Contact`,
          kind: 'drop-before',
          hold: true,
          times: 1,
        },
      ],
    });
    const interrupted: Array<Promise<unknown>> = [];
    for (const [itemId, rule] of [
      ['kill-committed', 'send-committed'],
      ['kill-dropped', 'send-dropped'],
    ] as const) {
      interrupted.push(send(sessions.first, itemId).catch((error: Error) => error));
      await until(() => parked(rule), `the send ${itemId} to be parked`);
    }
    const killedCalls: Record<string, AgentCall> = {};
    for (const rule of ['call-committed', 'call-dropped']) {
      const started = await askAndApprove(sessions.first, sessions.first, `MP${run}${rule.replace('-', '')}`);
      if (!started) throw new Error(`no approval for ${rule}\n${output.join('')}`);
      killedCalls[rule] = started.call;
      interrupted.push(started.decision.catch((error: Error) => error));
      await until(() => parked(rule), `the approved call ${rule} to be parked`);
    }
    // The random faults again, for everything the survivor does from now on.
    await emulatorAdmin('PUT', '/faults', { seed: 12_06, rules: RANDOM_FAULTS });
    first.child.kill('SIGKILL');
    await first.exited;
    for (const answer of await Promise.all(interrupted)) expect(answer).toBeInstanceOf(Error);
    // Salesforce finishes what it was doing for a client that is gone: commits one, drops one.
    for (const rule of ['send-committed', 'send-dropped', 'call-committed', 'call-dropped']) {
      expect((await emulatorAdmin('POST', `/faults/${rule}/release`)).released).toBe(1);
    }

    // ---- 3. Final states, found by the survivor alone (the killed instance is never restarted).
    const admin = sessions.second;
    const meetingSends = async (): Promise<Map<string, Json[]>> => {
      const view = await admin.call('GET', `/api/meetings/${meetingId}`);
      return new Map(view.body.meeting.items.map((item: Json) => [item.id, item.sends]));
    };
    const stepOf = async (call: AgentCall): Promise<Json> => {
      const view = await admin.call('GET', `/api/conversations/${call.conversationId}`);
      return view.body.messages
        .flatMap((message: Json) => message.steps ?? [])
        .find((step: Json) => step.id === call.toolCallId);
    };
    const FINAL_SEND = ['succeeded', 'failed'];
    const UNFINISHED_STEP = ['running', 'awaiting_approval'];
    let unfinished: unknown[] = [];
    await until(
      async () => {
        const byItem = await meetingSends();
        const steps = await Promise.all(agentCalls.map(stepOf));
        unfinished = [
          ...[...byItem].flatMap(([itemId, list]) =>
            list
              .filter((row: Json) => !FINAL_SEND.includes(row.status))
              .map((row: Json) => ({ itemId, ...row })),
          ),
          ...agentCalls
            .map((call, index) => ({ call, step: steps[index] }))
            .filter(({ step }) => !step || UNFINISHED_STEP.includes(step.status)),
        ];
        return unfinished.length === 0;
      },
      'every send and approved call to reach a final state',
      FINAL_STATE_DEADLINE_MS,
      () => JSON.stringify(unfinished),
    );

    // ---- 4. The truth, from the org (faults off): each final state is what Salesforce holds.
    await emulatorAdmin('DELETE', '/faults');
    const tasks = await orgQuery(`SELECT Id, Subject FROM Task WHERE Subject LIKE 'MP ${run} %'`);
    const contacts = await orgQuery(`SELECT Id, LastName FROM Contact WHERE LastName LIKE 'MP${run}%'`);
    const tasksBySubject = (subject: string) => tasks.filter((task) => task.Subject === subject);
    const audits = async (action: string) =>
      (await admin.call('GET', `/api/audit?action=${action}&limit=500`)).body.events as Json[];
    const sendAudits = [
      ...(await audits('meeting.send')),
      ...(await audits('meeting.send.resolved')),
      ...(await audits('meeting.send.replayed')),
    ];
    const byItem = await meetingSends();
    const finalStates: Record<string, number> = {};
    for (const [itemId, { subject, answer }] of sends) {
      const rows = byItem.get(itemId) ?? [];
      expect(rows.length, itemId).toBeLessThanOrEqual(1);
      const created = tasksBySubject(subject);
      const row = rows[0];
      const state = row
        ? `${row.status}${row.errorCode ? `:${row.errorCode}` : ''}`
        : 'refused-before-journal';
      finalStates[state] = (finalStates[state] ?? 0) + 1;
      if (!row) {
        // Refused before anything was written (e.g. a fault on the way): an error answer, no record.
        expect(answer?.status ?? 500, itemId).toBeGreaterThanOrEqual(400);
        expect(created, itemId).toEqual([]);
        continue;
      }
      const ownAudits = sendAudits.filter((event) => event.detail.sendId === row.id);
      if (row.status === 'succeeded') {
        expect(
          created.map((task) => task.Id),
          itemId,
        ).toEqual([row.salesforceId]);
        expect(
          ownAudits.some(
            (event) => event.outcome === 'success' && event.recordIds.includes(row.salesforceId),
          ),
          `${itemId}: a success audit with the record`,
        ).toBe(true);
      } else {
        expect(created, itemId).toEqual([]);
        expect(
          ownAudits.some((event) => event.outcome === 'failure'),
          `${itemId}: a failure audit`,
        ).toBe(true);
      }
    }
    // The killed instance's two sends: the committed one found, the dropped one not sent.
    expect(byItem.get('kill-committed')?.[0]).toMatchObject({ status: 'succeeded' });
    expect(byItem.get('kill-dropped')?.[0]).toMatchObject({ status: 'failed', errorCode: 'not_sent' });

    const toolAudits = await audits('agent.tool_call');
    for (const call of agentCalls) {
      const step = await stepOf(call);
      const created = contacts.filter((contact) => contact.LastName === call.lastName);
      const ownAudits = toolAudits.filter((event) => event.detail.approvalId === call.approvalId);
      expect(
        ownAudits,
        `${call.lastName}: one tool-call audit ${JSON.stringify(toolAudits.filter((event) => event.detail.conversationId === call.conversationId))} ${JSON.stringify(step)}`,
      ).toHaveLength(1);
      if (step.status === 'ok') {
        expect(
          created.map((contact) => contact.Id),
          call.lastName,
        ).toEqual(step.recordIds);
        expect(ownAudits[0]).toMatchObject({ outcome: 'success', recordIds: step.recordIds });
      } else {
        expect(created, `${call.lastName} (${step.status} ${step.code})`).toEqual([]);
        expect(ownAudits[0].outcome).toBe('failure');
      }
    }
    expect(await stepOf(killedCalls['call-committed'])).toMatchObject({ status: 'ok' });
    expect((await stepOf(killedCalls['call-dropped'])).status).not.toBe('ok');
    // No duplicates anywhere: one record per subject and per last name.
    expect(new Set(tasks.map((task) => task.Subject)).size).toBe(tasks.length);
    expect(new Set(contacts.map((contact) => contact.LastName)).size).toBe(contacts.length);

    // The killed instance's conversation is not stuck with its dead turn: the survivor takes a message.
    const after = await admin.call(
      'POST',
      `/api/conversations/${killedCalls['call-committed'].conversationId}/messages`,
      { text: 'thanks' },
    );
    expect(after.status, JSON.stringify(after.body)).toBe(200);

    // ---- 5. Nothing lost: retried with its own key, every send not yet in Salesforce is sent once,
    // and every send already there answers its record without another.
    for (const itemId of itemIds) {
      const retried = await send(admin, itemId);
      expect(retried.status, `${itemId}: ${JSON.stringify(retried.body)}`).toBeLessThan(300);
    }
    const everyTask = await orgQuery(`SELECT Id, Subject FROM Task WHERE Subject LIKE 'MP ${run} %'`);
    expect(everyTask.map((task) => task.Subject).sort()).toEqual(
      [...sends.values()].map((entry) => entry.subject).sort(),
    );
    const finalView = await meetingSends();
    for (const [itemId, { subject }] of sends) {
      const [row] = finalView.get(itemId) ?? [];
      expect(row?.status, itemId).toBe('succeeded');
      expect(everyTask.find((task) => task.Subject === subject)?.Id).toBe(row.salesforceId);
    }
    // The mix of outcomes the faults produced, for the reader of a failure.
    console.info(
      `final states under faults: ${JSON.stringify(finalStates)}; agent calls: ${agentCalls.length}`,
    );
  });
});
