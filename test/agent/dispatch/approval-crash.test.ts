import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../emulator/index.ts';
import { EXECUTION_LEASE_MS } from '../../../src/agent/dispatch/approval-execution.ts';
import type { ExecutionPoint, ExecutionProbe } from '../../../src/agent/dispatch/run-approved-call.ts';
import { findApproval } from '../../../src/agent/store/approval-store.ts';
import { injectFault } from '../../meetings/support.ts';
import {
  type AgentTestService,
  approvalOf,
  createAgent,
  startConversation,
  useTwoAgentInstances,
} from '../../support/agents.ts';
import type { ServiceSession } from '../../support/connections.ts';
import { callThenAnswer, ModelBoard } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { emulatorCounters, orgCreate, orgQuery } from '../org-calls.ts';

/**
 * The crash windows of an approved call, on two instances sharing one database: the first stops
 * at an explicit point of the execution (an injected probe — its process "dies" there, or stalls
 * and comes back), the second's clock passes the first's lease and its resolver finishes the call.
 * Every approved call ends as exactly one of executed (record id + one agent.tool_call audit) or
 * not executed; it is never both sent by its holder and expired by a resolver.
 */

const SECRET_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

/** Stops the instance at one point of its next approved call, until the test says what happens. */
class CrashPoint {
  #armed: ExecutionPoint | undefined;
  #reached: (approvalId: string) => void = () => {};
  #settle: { resume(): void; die(): void } = { resume() {}, die() {} };
  reached: Promise<string> = Promise.resolve('');

  arm(point: ExecutionPoint): void {
    this.#armed = point;
    this.reached = new Promise((resolve) => {
      this.#reached = resolve;
    });
  }

  readonly probe: ExecutionProbe = (point, approvalId) => {
    if (point !== this.#armed) return Promise.resolve();
    this.#armed = undefined;
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resume: resolve, die: () => reject(new Error('the instance stopped here')) };
      this.#reached(approvalId);
    });
  };

  /** The process dies: nothing more of this call runs on it. */
  die(): void {
    this.#settle.die();
  }

  /** The process was only stalled: it goes on from where it stopped. */
  resume(): void {
    this.#settle.resume();
  }
}

async function writeCount(emulator: RunningEmulator): Promise<number> {
  const counters = await emulatorCounters(emulator);
  return Object.entries(counters.routes)
    .filter(([route]) => /^(PATCH|DELETE|POST \S*\/sobjects\/)/.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

describe.each(STORE_DIALECTS)('an approved call when its instance dies (%s)', (dialect) => {
  const board = new ModelBoard();
  const crash = new CrashPoint();
  // The resolvers run when the test says (and once at start), never on a timer of their own.
  const instances = useTwoAgentInstances(dialect, {
    board,
    environment: { FORCEFIELD_SECRET_KEY: SECRET_KEY, AGENT_RESOLVER_PERIOD_SECONDS: '0' },
    executionProbe: crash.probe,
  });
  let emulator: RunningEmulator;
  let first: AgentTestService;
  let second: AgentTestService;
  let alice: ServiceSession;
  let bob: ServiceSession;
  beforeAll(() => {
    ({ emulator, first, second, alice, bob } = instances);
  });

  /** A conversation paused on `tool`'s approval, then approved on the first instance up to the crash point. */
  async function approveUntil(point: ExecutionPoint, modelId: string, toolName: string, input: unknown) {
    board.set(modelId, callThenAnswer([{ toolName, input }], 'Done.'));
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId },
      connector: { permissions: { delete_record: 'needs_approval' } },
    });
    const conversation = await startConversation(bob, agentId);
    const paused = await bob.call('POST', `${first.service.url}/api/conversations/${conversation}/messages`, {
      text: 'Please do it',
    });
    const approval = approvalOf(paused);
    crash.arm(point);
    const decision = bob.call(
      'POST',
      `${first.service.url}/api/conversations/${conversation}/approvals/${approval.approvalId}`,
      { decision: 'approve', inputHash: approval.inputHash },
    );
    expect(await crash.reached).toBe(approval.approvalId);
    return { conversation, approval, decision };
  }

  /** The lease of the dead instance runs out (on the second instance's clock); its resolver runs. */
  async function resolveOnSecond(): Promise<number> {
    second.clock.advance(EXECUTION_LEASE_MS + 1000);
    return second.service.services.agent.resolveInterruptedCalls();
  }

  async function toolCallAudits(approvalId: string) {
    const { events } = await second.service.context.audit.query({ action: 'agent.tool_call', limit: 500 });
    return events.filter((event) => event.detail.approvalId === approvalId);
  }

  async function storedStep(conversation: string, toolCallId?: string) {
    const view = await bob.call('GET', `${second.service.url}/api/conversations/${conversation}`);
    // biome-ignore lint/suspicious/noExplicitAny: JSON answer
    const steps = view.body.messages.flatMap((message: any) => message.steps ?? []);
    // biome-ignore lint/suspicious/noExplicitAny: JSON answer
    return toolCallId ? steps.find((step: any) => step.id === toolCallId) : steps.at(-1);
  }

  it.each([
    ['drop-after', 'executed'],
    ['drop-before', 'not_executed'],
  ] as const)(
    'a create whose answer is lost (%s): handed to a lookup at once, ends %s',
    async (fault, final) => {
      const subject = `Lost answer ${fault} ${dialect}`;
      board.set(
        `mock-lost-${fault}`,
        callThenAnswer([
          { toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: subject } } },
        ]),
      );
      const agentId = await createAgent(alice, {
        model: { provider: 'openai', modelId: `mock-lost-${fault}` },
      });
      const conversation = await startConversation(bob, agentId);
      const approval = approvalOf(
        await bob.call('POST', `${second.service.url}/api/conversations/${conversation}/messages`, {
          text: 'Create',
        }),
      );
      // The holder's clock near Salesforce's (the other tests step it minutes ahead): run first.
      second.clock.now = Math.max(second.clock.now, Date.now());
      await injectFault(emulator, fault);
      const answer = await bob.call(
        'POST',
        `${second.service.url}/api/conversations/${conversation}/approvals/${approval.approvalId}`,
        { decision: 'approve', inputHash: approval.inputHash },
      );
      expect(answer.status).toBe(200);
      // The instance did not guess: the record waits for a lookup, its lease already handed over.
      const waiting = await findApproval(second.service.store, approval.approvalId);
      expect(waiting?.execution).toBe('sending');
      expect(await toolCallAudits(approval.approvalId)).toHaveLength(0);
      // No clock step needed: the resolver looks it up now (on the same clock as the hand-over).
      expect(await second.service.services.agent.resolveInterruptedCalls()).toBeGreaterThanOrEqual(1);
      const created = await orgQuery(emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`);
      expect(created.records).toHaveLength(final === 'executed' ? 1 : 0);
      const recordIds = created.records.map((record) => record.Id as string);
      expect(await findApproval(second.service.store, approval.approvalId)).toMatchObject({
        execution: final,
        execution_record_ids: JSON.stringify(recordIds),
      });
      const audits = await toolCallAudits(approval.approvalId);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ outcome: final === 'executed' ? 'success' : 'failure', recordIds });
    },
  );

  it('dies after the decision, before the request: a resolver expires it, and it is never sent', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Crash: decided', Priority: 'Normal' });
    const writes = await writeCount(emulator);
    const { conversation, approval, decision } = await approveUntil(
      'decided',
      'mock-crash-decided',
      'update_record',
      {
        objectType: 'Task',
        id: taskId,
        fields: { Priority: 'High' },
      },
    );
    // The decision is durable already: approved, and the step no longer awaits approval.
    const row = await findApproval(second.service.store, approval.approvalId);
    expect(row).toMatchObject({ status: 'approved', execution: 'claimed' });
    expect((await storedStep(conversation)).status).toBe('running');
    crash.die();
    await decision;

    expect(await resolveOnSecond()).toBeGreaterThanOrEqual(1);
    const after = await findApproval(second.service.store, approval.approvalId);
    expect(after).toMatchObject({
      execution: 'not_executed',
      execution_error_code: 'not_executed',
      sealed_call: null,
    });
    expect(await writeCount(emulator)).toBe(writes);
    expect(
      (await orgQuery(emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`)).records[0].Priority,
    ).toBe('Normal');
    const audits = await toolCallAudits(approval.approvalId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: 'failure', errorCode: 'not_executed' });
    expect((await storedStep(conversation)).status).toBe('expired');
    // A second pass finds nothing left to do.
    expect(await second.service.services.agent.resolveInterruptedCalls()).toBe(0);
  });

  it('stalls after the decision and comes back after a resolver expired it: it does not send', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Crash: stalled', Priority: 'Normal' });
    const writes = await writeCount(emulator);
    const { approval, decision } = await approveUntil('decided', 'mock-crash-stalled', 'update_record', {
      objectType: 'Task',
      id: taskId,
      fields: { Priority: 'High' },
    });
    await resolveOnSecond();
    crash.resume();
    const answer = await decision;
    expect(answer.status).toBe(200);
    expect(answer.body.message.steps.at(-1)).toMatchObject({ status: 'expired', code: 'not_executed' });
    expect(await writeCount(emulator)).toBe(writes);
    expect(await toolCallAudits(approval.approvalId)).toHaveLength(1);
    expect((await findApproval(second.service.store, approval.approvalId))?.execution).toBe('not_executed');
  });

  it('dies once the request is about to leave, before it does: the lookup finds nothing, not executed', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Crash: sending', Priority: 'Normal' });
    const writes = await writeCount(emulator);
    const { conversation, approval, decision } = await approveUntil(
      'sending',
      'mock-crash-sending',
      'update_record',
      {
        objectType: 'Task',
        id: taskId,
        fields: { Priority: 'High', Description: 'Escalated' },
      },
    );
    expect((await findApproval(second.service.store, approval.approvalId))?.execution).toBe('sending');
    crash.die();
    await decision;
    await resolveOnSecond();
    expect(await writeCount(emulator)).toBe(writes);
    expect(await findApproval(second.service.store, approval.approvalId)).toMatchObject({
      execution: 'not_executed',
    });
    const audits = await toolCallAudits(approval.approvalId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: 'failure', errorCode: 'not_executed' });
    expect(await storedStep(conversation)).toMatchObject({ status: 'error', code: 'not_executed' });
  });

  it('dies after Salesforce created the record, before recording it: the lookup finds it, executed with its id', async () => {
    const subject = `Crash: created ${dialect}`;
    const { conversation, approval, decision } = await approveUntil(
      'sent',
      'mock-crash-sent',
      'create_record',
      {
        objectType: 'Task',
        fields: { Subject: subject, Priority: 'High', Description: 'Written by the agent' },
      },
    );
    crash.die();
    await decision;
    const created = await orgQuery(emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`);
    expect(created.records).toHaveLength(1);
    const recordId = created.records[0].Id as string;
    expect((await findApproval(second.service.store, approval.approvalId))?.execution).toBe('sending');

    await resolveOnSecond();
    expect(await findApproval(second.service.store, approval.approvalId)).toMatchObject({
      execution: 'executed',
      execution_record_ids: JSON.stringify([recordId]),
      sealed_call: null,
    });
    const audits = await toolCallAudits(approval.approvalId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: 'success', recordIds: [recordId] });
    expect(await storedStep(conversation)).toMatchObject({ status: 'ok', recordIds: [recordId] });
    // Nothing was sent twice.
    expect(
      (await orgQuery(emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records,
    ).toHaveLength(1);
  });

  it('stalls after the delete, two resolvers race, then it comes back: one final state, one audit', async () => {
    const taskId = await orgCreate(emulator, 'Task', { Subject: 'Crash: delete race', Priority: 'Low' });
    const { approval, decision } = await approveUntil('sent', 'mock-crash-race', 'delete_record', {
      objectType: 'Task',
      id: taskId,
    });
    second.clock.advance(EXECUTION_LEASE_MS + 1000);
    first.clock.advance(EXECUTION_LEASE_MS + 1000);
    const finished = await Promise.all([
      second.service.services.agent.resolveInterruptedCalls(),
      first.service.services.agent.resolveInterruptedCalls(),
      second.service.services.agent.resolveInterruptedCalls(),
    ]);
    expect(finished.reduce((sum, count) => sum + count, 0)).toBe(1);
    crash.resume();
    expect((await decision).status).toBe(200);
    expect(await findApproval(second.service.store, approval.approvalId)).toMatchObject({
      execution: 'executed',
      execution_record_ids: JSON.stringify([taskId]),
    });
    const audits = await toolCallAudits(approval.approvalId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: 'success', recordIds: [taskId] });
    expect((await orgQuery(emulator, `SELECT Id FROM Task WHERE Id = '${taskId}'`)).records).toHaveLength(0);
  });

  it('a call that finishes normally leaves a final record and nothing for the resolver', async () => {
    const subject = `Normal create ${dialect}`;
    board.set(
      'mock-crash-none',
      callThenAnswer([
        { toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: subject } } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-crash-none' } });
    const conversation = await startConversation(bob, agentId);
    const approval = approvalOf(
      await bob.call('POST', `${first.service.url}/api/conversations/${conversation}/messages`, {
        text: 'Create it',
      }),
    );
    const approved = await bob.call(
      'POST',
      `${first.service.url}/api/conversations/${conversation}/approvals/${approval.approvalId}`,
      { decision: 'approve', inputHash: approval.inputHash },
    );
    expect(approved.status).toBe(200);
    const recordId = (await orgQuery(emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records[0]
      .Id;
    expect(await findApproval(second.service.store, approval.approvalId)).toMatchObject({
      execution: 'executed',
      execution_record_ids: JSON.stringify([recordId]),
      execution_lease_until: null,
      sealed_call: null,
    });
    await resolveOnSecond();
    expect(await toolCallAudits(approval.approvalId)).toHaveLength(1);
  });
});
