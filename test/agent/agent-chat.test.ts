import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import {
  CONFIGURABLE_TOOL_NAMES,
  type ConfigurableToolName,
  PERMISSION_LEVELS,
} from '../../src/agent/tools/tool-permissions.ts';
import { connect, logIn, type ServiceSession } from '../support/connections.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import {
  type AgentTestService,
  approvalOf,
  callThenAnswer,
  createAgent,
  decide,
  lastToolResults,
  ModelBoard,
  say,
  startAgentService,
  startConversation,
} from './support.ts';

/** Salesforce as the emulator's admin sees it (to check what the agent really did). */
async function orgQuery(emulator: RunningEmulator, soql: string) {
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await response.json()) as { totalSize: number; records: Array<Record<string, unknown>> };
}

async function orgCreate(
  emulator: RunningEmulator,
  objectType: string,
  fields: Record<string, unknown>,
  username = 'bob@acme.demo',
) {
  const userId = emulator.org.userIdByUsername(username)!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0/sobjects/${objectType}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  });
  return ((await response.json()) as { id: string }).id;
}

/** A REST call as the emulator's admin user. */
async function orgCall(emulator: RunningEmulator, method: string, resource: string, body?: unknown) {
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0${resource}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: test helper over JSON answers
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

type EmulatorCounters = { routes: Record<string, number> };

async function emulatorCounters(emulator: RunningEmulator): Promise<EmulatorCounters> {
  const response = await fetch(`${emulator.url}/__emulator/counters`, {
    headers: { Authorization: `Bearer ${emulator.adminSecret}` },
  });
  return (await response.json()) as EmulatorCounters;
}

function routeDelta(before: EmulatorCounters, after: EmulatorCounters, route: string): number {
  return (after.routes[route] ?? 0) - (before.routes[route] ?? 0);
}

describe.each(STORE_DIALECTS)('agent chat over HTTP (%s)', (dialect) => {
  let emulator: RunningEmulator;
  let testStore: TestStore;
  let test: AgentTestService;
  const board = new ModelBoard();
  let alice: ServiceSession;
  let bob: ServiceSession;
  let carol: ServiceSession;
  let bobConnection: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    test = await startAgentService(emulator, { board, store: testStore.store });
    alice = await logIn(test.service.url, 'alice@forcefield.demo');
    bob = await logIn(test.service.url, 'bob@forcefield.demo');
    carol = await logIn(test.service.url, 'carol@forcefield.demo');
    bobConnection = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
  });

  afterAll(async () => {
    await test?.stop();
    await testStore?.dispose();
    await emulator?.stop();
  });

  async function auditEvents(action: string) {
    return (await test.service.context.audit.query({ action, limit: 500 })).events;
  }

  it('lets admins create and edit agents with validated connector settings; members only read', async () => {
    const refused = await bob.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
    });
    expect(refused.status).toBe(403);
    const invalid = await alice.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
      connector: { connectionMethod: 'shared' },
    });
    expect(invalid.status).toBe(400);
    const badLevel = await alice.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
      connector: { permissions: { next_page: 'always_allow' } },
    });
    expect(badLevel.status).toBe(400);
    const id = await createAgent(alice, { name: 'Defaults' });
    const read = await bob.call('GET', `/api/agents/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.agent.connector).toEqual({
      connectionMethod: 'per_user',
      permissions: {
        search_records: 'always_allow',
        get_record: 'always_allow',
        query_records: 'always_allow',
        describe_object: 'always_allow',
        create_record: 'needs_approval',
        update_record: 'needs_approval',
        delete_record: 'disabled',
      },
    });
    expect(read.body.agent.offeredTools).not.toContain('delete_record');
    const updated = await alice.call('PUT', `/api/agents/${id}`, {
      name: 'Renamed',
      model: { provider: 'anthropic', modelId: 'claude' },
      connector: { permissions: { delete_record: 'needs_approval' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.agent.connector.permissions.delete_record).toBe('needs_approval');
    expect(
      (
        await bob.call('PUT', `/api/agents/${id}`, {
          name: 'no',
          model: { provider: 'openai', modelId: 'm' },
        })
      ).status,
    ).toBe(403);
    const events = await auditEvents('agent.updated');
    expect(events[0].detail).toMatchObject({ agentId: id, delete_record: 'needs_approval' });
  });

  it.each([
    ['google', 'gemini-2.5-pro', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    ['openai', 'gpt-4.1', 'OPENAI_API_KEY'],
    ['anthropic', 'claude-sonnet-4-5', 'ANTHROPIC_API_KEY'],
    ['openai_compatible', 'llama3', 'OPENAI_COMPATIBLE_BASE_URL'],
  ])('says clearly when no model is configured (%s)', async (provider, modelId, setting) => {
    const agentId = await createAgent(alice, { model: { provider, modelId } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Hello');
    expect(turn.status).toBe(200);
    expect(turn.body.status).toBe('model_not_configured');
    expect(turn.body.message.kind).toBe('notice');
    expect(turn.body.message.text).toMatch(/No AI model is configured/);
    expect(turn.body.message.text).toContain(setting);
  });

  describe('each permission level × each tool', () => {
    const inputs = async (tool: ConfigurableToolName): Promise<Record<string, unknown>> => {
      switch (tool) {
        case 'search_records':
          return { term: 'Acme', objects: ['Account'] };
        case 'get_record':
          return { objectType: 'Task', id: await orgCreate(emulator, 'Task', { Subject: 'Matrix read' }) };
        case 'query_records':
          return { soql: 'SELECT Id, Subject FROM Task LIMIT 5' };
        case 'describe_object':
          return { objectType: 'Lead' };
        case 'create_record':
          return { objectType: 'Task', fields: { Subject: 'Matrix create' } };
        case 'update_record':
          return {
            objectType: 'Task',
            id: await orgCreate(emulator, 'Task', { Subject: 'Matrix before' }),
            fields: { Subject: 'Matrix after' },
          };
        case 'delete_record':
          return { objectType: 'Task', id: await orgCreate(emulator, 'Task', { Subject: 'Matrix delete' }) };
      }
    };

    for (const tool of CONFIGURABLE_TOOL_NAMES) {
      for (const level of PERMISSION_LEVELS) {
        it(`${tool} × ${level}`, async () => {
          const modelId = `mock-${tool}-${level}`;
          const input = await inputs(tool);
          const model = board.set(modelId, callThenAnswer([{ toolName: tool, input }]));
          const agentId = await createAgent(alice, {
            model: { provider: 'openai', modelId },
            connector: { permissions: { [tool]: level } },
          });
          const conversation = await startConversation(bob, agentId);
          const turn = await say(bob, conversation, `Use ${tool}`);
          expect(turn.status).toBe(200);
          const offered = (model.doStreamCalls[0].tools ?? []).map((entry) => entry.name);
          const step = turn.body.message.steps[0];
          expect(step.tool).toBe(tool);
          if (level === 'disabled') {
            expect(offered).not.toContain(tool);
            expect(step.status).toBe('refused');
            expect(turn.body.status).toBe('complete');
            expect(lastToolResults(model.doStreamCalls[1].prompt)[0].value).toMatchObject({
              errorCode: 'TOOL_DISABLED',
            });
            const refusals = await auditEvents('agent.tool_call.refused');
            expect(
              refusals.some((event) => event.detail.agentId === agentId && event.detail.tool === tool),
            ).toBe(true);
          } else if (level === 'needs_approval') {
            expect(offered).toContain(tool);
            expect(turn.body.status).toBe('awaiting_approval');
            expect(step.status).toBe('awaiting_approval');
            expect(model.doStreamCalls.length).toBe(1);
            const approval = approvalOf(turn);
            expect(approval).toMatchObject({ tool, input });
            const approved = await decide(bob, conversation, approval, 'approve');
            expect(approved.status).toBe(200);
            expect(approved.body.status).toBe('complete');
            expect(approved.body.message.steps[0].status).toBe('ok');
            expect(approved.body.message.text).toBe('Done.');
          } else {
            expect(offered).toContain(tool);
            expect(step.status).toBe('ok');
            expect(step.durationMs).toBeGreaterThanOrEqual(0);
            expect(step.live).toBe(true);
            if (tool === 'get_record') {
              // The record form: text, `Type Id Name` first.
              expect(step.result).toMatch(new RegExp(`^Task ${input.id}\n`));
              expect(lastToolResults(model.doStreamCalls[1].prompt)[0].value).toBe(step.result);
            } else expect(step.result.ok).toBe(true);
            expect(turn.body.message.text).toBe('Done.');
          }
          if (level !== 'disabled') {
            const calls = (await auditEvents('agent.tool_call')).filter(
              (event) => event.detail.agentId === agentId,
            );
            expect(calls).toHaveLength(1);
            expect(calls[0]).toMatchObject({
              actorUserId: expect.any(String),
              connectionId: bobConnection,
              surface: 'agent',
              outcome: 'success',
            });
          }
        });
      }
    }
  });

  it('approve executes exactly once whatever the clicks and replays; the request shows current values', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Call back', Priority: 'Normal' });
    board.set(
      'mock-once',
      callThenAnswer([
        {
          toolName: 'update_record',
          input: { objectType: 'Task', id: taskId, fields: { Priority: 'High', Description: 'Escalated' } },
        },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-once' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Escalate the call-back task');
    const approval = approvalOf(turn);
    expect(approval.currentValues).toEqual({ Priority: 'Normal', Description: null });
    expect(approval.recordId).toBe(taskId);
    // Another message while waiting is refused.
    expect((await say(bob, conversation, 'hurry')).status).toBe(409);
    // A decision for another input does not match.
    const wrongHash = await decide(bob, conversation, { ...approval, inputHash: '0'.repeat(64) }, 'approve');
    expect(wrongHash.status).toBe(409);
    expect(wrongHash.body.error.code).toBe('mismatch');

    const before = (await fetch(`${emulator.url}/__emulator/counters`, {
      headers: { Authorization: `Bearer ${emulator.adminSecret}` },
    }).then((response) => response.json())) as { routes: Record<string, number> };
    const clicks = await Promise.all([1, 2, 3, 4].map(() => decide(bob, conversation, approval, 'approve')));
    const statuses = clicks.map((click) => click.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const replay = await decide(bob, conversation, approval, 'approve');
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('already_decided');
    const after = (await fetch(`${emulator.url}/__emulator/counters`, {
      headers: { Authorization: `Bearer ${emulator.adminSecret}` },
    }).then((response) => response.json())) as { routes: Record<string, number> };
    const patchRoute = Object.keys(after.routes).find((route) => route.startsWith('PATCH'))!;
    expect(after.routes[patchRoute] - (before.routes[patchRoute] ?? 0)).toBe(1);
    const record = await orgQuery(emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`);
    expect(record.records[0].Priority).toBe('High');
    const approvals = await auditEvents('agent.approval.approved');
    expect(approvals.filter((event) => event.detail.approvalId === approval.approvalId)).toHaveLength(1);
  });

  it('a delete approval shows the record as it is now, read live; approving deletes it exactly once', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Old follow-up', Priority: 'Low' });
    // Changed in Salesforce after creation: the request must show today's values, not older ones.
    const patched = await orgCall(emulator, 'PATCH', `/sobjects/Task/${taskId}`, {
      Subject: 'Follow-up renamed',
      Priority: 'High',
    });
    expect(patched.status).toBe(204);
    board.set(
      'mock-delete',
      callThenAnswer([{ toolName: 'delete_record', input: { objectType: 'Task', id: taskId } }]),
    );
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-delete' },
      connector: { permissions: { delete_record: 'needs_approval' } },
    });
    const conversation = await startConversation(bob, agentId);
    const retrieveRoute = 'GET /services/data/vXX.X/sobjects/{type}/{id}';
    const deleteRoute = 'DELETE /services/data/vXX.X/sobjects/{type}/{id}';
    const beforeRequest = await emulatorCounters(emulator);
    const turn = await say(bob, conversation, 'Delete the follow-up task');
    expect(turn.body.status).toBe('awaiting_approval');
    const approval = approvalOf(turn);
    expect(approval).toMatchObject({ tool: 'delete_record', objectType: 'Task', recordId: taskId });
    expect(approval.currentValues).toMatchObject({
      Id: taskId,
      Subject: 'Follow-up renamed',
      Priority: 'High',
    });
    const afterRequest = await emulatorCounters(emulator);
    // One live read for the request, and nothing deleted yet.
    expect(routeDelta(beforeRequest, afterRequest, retrieveRoute)).toBe(1);
    expect(routeDelta(beforeRequest, afterRequest, deleteRoute)).toBe(0);
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(1);
    // The same values are on the pending approval when the conversation is read back.
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    expect(JSON.stringify(view.body)).toContain('Follow-up renamed');

    const clicks = await Promise.all([1, 2, 3].map(() => decide(bob, conversation, approval, 'approve')));
    expect(clicks.filter((click) => click.status === 200)).toHaveLength(1);
    expect(clicks.every((click) => click.status === 200 || click.status === 409)).toBe(true);
    const replay = await decide(bob, conversation, approval, 'approve');
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('already_decided');
    const approved = clicks.find((click) => click.status === 200)!;
    expect(approved.body.message.steps[0]).toMatchObject({ tool: 'delete_record', status: 'ok' });
    const afterApproval = await emulatorCounters(emulator);
    expect(routeDelta(afterRequest, afterApproval, deleteRoute)).toBe(1);
    // Gone from Salesforce: not in query, and in queryAll as deleted.
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(0);
    const all = await orgCall(
      emulator,
      'GET',
      `/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Task WHERE Id = '${taskId}'`)}`,
    );
    expect(all.body.records).toHaveLength(1);
    expect(all.body.records[0].IsDeleted).toBe(true);
  });

  it('reject tells the model the person declined, with the reason', async () => {
    const model = board.set(
      'mock-reject',
      callThenAnswer(
        [{ toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: 'Never created' } } }],
        'Understood.',
      ),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-reject' } });
    const conversation = await startConversation(bob, agentId);
    const approval = approvalOf(await say(bob, conversation, 'Create a task'));
    const rejected = await decide(bob, conversation, approval, 'reject', 'Wrong account');
    expect(rejected.status).toBe(200);
    expect(rejected.body.message.steps[0].status).toBe('rejected');
    expect(lastToolResults(model.doStreamCalls[1].prompt)[0].value).toEqual({
      ok: false,
      errorCode: 'REJECTED_BY_USER',
      message: 'The person declined this action. Their reason: Wrong account',
    });
    expect((await decide(bob, conversation, approval, 'approve')).status).toBe(409);
    expect((await orgQuery(emulator, "SELECT Id FROM Task WHERE Subject = 'Never created'")).totalSize).toBe(
      0,
    );
    expect(
      (await auditEvents('agent.approval.rejected')).some(
        (event) => event.detail.approvalId === approval.approvalId,
      ),
    ).toBe(true);
  });

  it('only the person chatting can decide; expired approvals cannot run and the chat goes on', async () => {
    const model = board.set('mock-expiry', (prompt) => {
      const results = lastToolResults(prompt);
      if (results.length > 0) return { text: 'Noted.' };
      if (prompt.filter((message) => message.role === 'user').length > 1) return { text: 'Hello again.' };
      return {
        toolCalls: [
          { toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: 'Expiring' } } },
        ],
      };
    });
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-expiry' } });
    const conversation = await startConversation(bob, agentId);
    const approval = approvalOf(await say(bob, conversation, 'Create a task'));

    const byCarol = await decide(carol, conversation, approval, 'approve');
    expect(byCarol.status).toBe(403);
    expect(byCarol.body.error.code).toBe('not_your_approval');
    const byAlice = await decide(alice, conversation, approval, 'approve');
    expect(byAlice.status).toBe(403);
    const refusals = (await auditEvents('agent.approval.refused')).filter(
      (event) => event.detail.approvalId === approval.approvalId,
    );
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ outcome: 'denied', errorCode: 'not_your_approval' });

    test.clock.advance(16 * 60 * 1000);
    const late = await decide(bob, conversation, approval, 'approve');
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('approval_expired');
    expect((await orgQuery(emulator, "SELECT Id FROM Task WHERE Subject = 'Expiring'")).totalSize).toBe(0);
    const next = await say(bob, conversation, 'Anything else?');
    expect(next.status).toBe(200);
    expect(next.body.message.text).toBe('Hello again.');
    // The model was told, before the new message, that the action did not happen.
    const prompt = model.doStreamCalls.at(-1)!.prompt;
    const toolMessage = prompt.at(-2)!;
    expect(toolMessage.role).toBe('tool');
    expect(lastToolResults([toolMessage])[0].value).toMatchObject({ errorCode: 'APPROVAL_EXPIRED' });
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    const firstTurn = view.body.messages.find(
      (message: { role: string; steps: unknown[] }) =>
        message.role === 'assistant' && message.steps.length > 0,
    );
    expect(firstTurn.steps[0].status).toBe('expired');
  });

  it('refuses and audits a call to a disabled tool the model was never offered', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Keep me' });
    const model = board.set(
      'mock-rogue',
      callThenAnswer([
        { toolName: 'delete_record', input: { objectType: 'Task', id: taskId } },
        { toolName: 'drop_database', input: {} },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-rogue' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Delete it');
    expect((model.doStreamCalls[0].tools ?? []).map((entry) => entry.name)).not.toContain('delete_record');
    expect(turn.body.message.steps.map((step: { status: string }) => step.status)).toEqual([
      'refused',
      'refused',
    ]);
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).totalSize).toBe(1);
    const refused = (await auditEvents('agent.tool_call.refused')).filter(
      (event) => event.detail.agentId === agentId,
    );
    expect(refused.map((event) => event.detail.tool).sort()).toEqual(['delete_record', 'drop_database']);
    expect(refused[0]).toMatchObject({ outcome: 'denied', surface: 'agent', connectionId: bobConnection });
  });

  it('query_records refuses writes and hostile SOQL end to end, and caps LIMIT', async () => {
    const hostile = [
      'DELETE FROM Account',
      'SELECT Id FROM Account; DELETE FROM Account',
      'SELECT Id FROM Account FOR UPDATE',
      "SELECT Id FROM Account WHERE Name = 'x' -- comment",
      'SELECT Id FROM Account WITH SYSTEM_MODE',
      'SELECT Id FROM AuthSession',
      "SELECT Id FROM Account WHERE Name = '\u200bx'",
    ];
    const model = board.set(
      'mock-soql',
      callThenAnswer([
        ...hostile.map((soql) => ({ toolName: 'query_records', input: { soql } })),
        { toolName: 'query_records', input: { soql: 'SELECT Id FROM Contact LIMIT 100000' } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-soql' } });
    const conversation = await startConversation(bob, agentId);
    const queryCount = async () => {
      const counters = (await fetch(`${emulator.url}/__emulator/counters`, {
        headers: { Authorization: `Bearer ${emulator.adminSecret}` },
      }).then((response) => response.json())) as { routes: Record<string, number> };
      return Object.entries(counters.routes)
        .filter(([route]) => /^GET .*\/query$/.test(route))
        .reduce((sum, [, count]) => sum + count, 0);
    };
    const before = await queryCount();
    const turn = await say(bob, conversation, 'Queries');
    const steps = turn.body.message.steps;
    expect(steps.slice(0, hostile.length).every((step: { status: string }) => step.status === 'error')).toBe(
      true,
    );
    expect(steps[hostile.length].status).toBe('ok');
    expect(steps[hostile.length].result.soql).toMatch(/LIMIT 200$/);
    const results = lastToolResults(model.doStreamCalls[1].prompt);
    expect(results[0].value).toMatchObject({ errorCode: 'SOQL_NOT_SELECT' });
    expect(results[1].value).toMatchObject({ errorCode: 'SOQL_MULTIPLE_STATEMENTS' });
    // Only the one allowed query reached Salesforce.
    expect((await queryCount()) - before).toBe(1);
  });

  it('pages long results with next_page and a cursor held in memory', async () => {
    for (let index = 0; index < 30; index++)
      await orgCreate(emulator, 'Lead', { LastName: `Pager${index}`, Company: 'Paging Co' });
    const model = board.set('mock-pages', (prompt) => {
      const results = lastToolResults(prompt);
      if (results.length === 0)
        return {
          toolCalls: [
            {
              toolName: 'query_records',
              input: { soql: "SELECT Id, LastName FROM Lead WHERE Company = 'Paging Co'" },
            },
          ],
        };
      const value = results[0].value as { more?: { cursor: string } };
      if (value.more) return { toolCalls: [{ toolName: 'next_page', input: { cursor: value.more.cursor } }] };
      return { text: 'All read.' };
    });
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-pages' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'List them');
    expect(turn.body.message.text).toBe('All read.');
    const steps = turn.body.message.steps;
    expect(steps.map((step: { tool: string }) => step.tool)).toEqual(['query_records', 'next_page']);
    expect(steps[0].result.returned).toBe(25);
    expect(steps[0].result.more.remaining).toBe(5);
    expect(steps[1].result.returned).toBe(5);
    expect(steps[0].contextBytes / steps[0].rawBytes).toBeLessThanOrEqual(0.4);
    // A used cursor is gone.
    const replayed = model.doStreamCalls.length;
    expect(replayed).toBe(3);
  });

  it('asks a person without a connection to connect, then answers after connecting', async () => {
    board.set(
      'mock-connect',
      callThenAnswer(
        [{ toolName: 'query_records', input: { soql: 'SELECT Id, Name FROM Account' } }],
        'Here you go.',
      ),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-connect' } });
    const conversation = await startConversation(carol, agentId);
    const first = await say(carol, conversation, 'Show accounts');
    expect(first.body.status).toBe('connect_required');
    expect(first.body.message.kind).toBe('connect_prompt');
    const prompt = first.body.events.find((event: { type: string }) => event.type === 'connect').connect;
    expect(prompt.start).toEqual({
      method: 'POST',
      path: '/api/connections/oauth/start',
      body: { kind: 'personal', loginHost: 'production' },
    });
    expect(prompt.resumePath).toBe(`/api/conversations/${conversation}/resume`);

    // Carol's Salesforce user is the profile-limited contractor (no Case, no Opportunity.Amount).
    await connect(carol, emulator, { kind: 'personal', username: 'dave@acme.demo' });
    const resumed = await carol.call('POST', prompt.resumePath);
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('complete');
    expect(resumed.body.message.text).toBe('Here you go.');
    expect(resumed.body.message.steps[0].status).toBe('ok');
    expect((await carol.call('POST', prompt.resumePath)).status).toBe(409);
  });

  it('shows No output data for what the Salesforce user may not see', async () => {
    const model = board.set(
      'mock-limited',
      callThenAnswer([
        { toolName: 'query_records', input: { soql: 'SELECT Id, Subject FROM Case' } },
        { toolName: 'query_records', input: { soql: 'SELECT Id, Name, Amount FROM Opportunity' } },
        { toolName: 'describe_object', input: { objectType: 'Case' } },
        { toolName: 'query_records', input: { soql: 'SELECT Id, Nmae FROM Account' } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-limited' } });
    const conversation = await startConversation(carol, agentId);
    const turn = await say(carol, conversation, 'Cases and amounts');
    const steps = turn.body.message.steps;
    expect(steps.map((step: { status: string }) => step.status)).toEqual([
      'no_output_data',
      'no_output_data',
      'no_output_data',
      'error',
    ]);
    expect(steps[0].reason).toBe('The connected Salesforce user has no access to this object.');
    expect(steps[1].reason).toBe('The connected Salesforce user has no access to a field this step uses.');
    const results = lastToolResults(model.doStreamCalls[1].prompt);
    expect(results[0].value).toMatchObject({ errorCode: 'NO_ACCESS' });
    expect(results[3].value).toMatchObject({ errorCode: 'INVALID_FIELD' });
    const denied = (await auditEvents('agent.tool_call')).filter(
      (event) => event.detail.agentId === agentId && event.outcome === 'denied',
    );
    expect(denied.map((event) => event.objectType)).toEqual(expect.arrayContaining(['Case', 'Opportunity']));
  });

  it('uses a shared organization connection only for the people it is shared with, auditing the real person', async () => {
    const orgConnection = await connect(alice, emulator, {
      kind: 'organization',
      username: 'alice@acme.demo',
      name: 'Service account',
    });
    const users = await alice.call('GET', '/api/users');
    const bobId = users.body.users.find((user: { email: string }) => user.email === 'bob@forcefield.demo').id;
    expect(
      (await alice.call('PUT', `/api/connections/${orgConnection}/shares`, { users: [bobId] })).status,
    ).toBe(200);
    board.set(
      'mock-shared',
      callThenAnswer([{ toolName: 'describe_object', input: { objectType: 'Account' } }]),
    );
    const memberRefused = await bob.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
    });
    expect(memberRefused.status).toBe(403);
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-shared' },
      connector: { connectionMethod: 'shared', sharedConnectionId: orgConnection },
    });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Describe accounts');
    expect(turn.body.message.steps[0].status).toBe('ok');
    const calls = (await auditEvents('agent.tool_call')).filter((event) => event.detail.agentId === agentId);
    expect(calls[0]).toMatchObject({ actorUserId: bobId, connectionId: orgConnection });

    const carolRefused = await carol.call('POST', '/api/conversations', { agentId });
    expect(carolRefused.status).toBe(403);
    expect(carolRefused.body.error.code).toBe('connection_not_shared');
    // Unsharing takes effect on the next message.
    expect((await alice.call('PUT', `/api/connections/${orgConnection}/shares`, { users: [] })).status).toBe(
      200,
    );
    const afterUnshare = await say(bob, conversation, 'Again');
    expect(afterUnshare.status).toBe(403);
    expect((await auditEvents('agent.connection.refused')).length).toBeGreaterThanOrEqual(2);
  });

  it('streams a turn as Server-Sent Events', async () => {
    board.set(
      'mock-sse',
      callThenAnswer(
        [{ toolName: 'search_records', input: { term: 'Pager1', objects: ['Lead'] } }],
        'Found some leads.',
      ),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-sse' } });
    const conversation = await startConversation(bob, agentId);
    const response = await bob.browser.fetch(
      `${test.service.url}/api/conversations/${conversation}/messages`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          'X-CSRF-Token': bob.csrfToken,
        },
        body: JSON.stringify({ text: 'Search' }),
      },
    );
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const body = await response.text();
    const events = [...body.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('turn');
    expect(events).toContain('step');
    expect(events).toContain('text');
    expect(events.at(-1)).toBe('done');
    const text = [...body.matchAll(/^data: (.*)$/gm)]
      .map((match) => JSON.parse(match[1]))
      .filter((event) => event.type === 'text')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('Found some leads.');
  });

  it('keeps tool results in memory only for the retention time; afterwards the outline remains', async () => {
    board.set(
      'mock-retention',
      callThenAnswer([
        { toolName: 'query_records', input: { soql: 'SELECT Id, Name FROM Account LIMIT 3' } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-retention' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Accounts');
    const stepId = turn.body.message.steps[0].id;
    const live = await bob.call('GET', `/api/conversations/${conversation}/steps/${stepId}`);
    expect(live.status).toBe(200);
    expect(live.body.step.result.rows).toHaveLength(3);
    expect((await carol.call('GET', `/api/conversations/${conversation}/steps/${stepId}`)).status).toBe(404);
    test.clock.advance(31 * 60 * 1000);
    expect((await bob.call('GET', `/api/conversations/${conversation}/steps/${stepId}`)).status).toBe(410);
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    const step = view.body.messages.at(-1).steps[0];
    expect(step).toMatchObject({ tool: 'query_records', objectType: 'Account', status: 'ok', live: false });
    expect(step.result).toBeUndefined();
    expect(step.recordIds).toHaveLength(3);
  });
});
