import { afterAll, beforeAll } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import type { ExecutionProbe } from '../../src/agent/dispatch/run-approved-call.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { connect, logIn, type ServiceSession } from './connections.ts';
import type { ModelBoard } from './models.ts';
import { openTestStore, type TestStore } from './store.ts';
import { type ListeningTestService, listenTestService } from './test-service.ts';

/** Agents and conversations through the JSON API, as a person (a `ServiceSession`) does it. */

export async function createAgent(
  admin: ServiceSession,
  body: { name?: string; instructions?: string; model?: unknown; connector?: unknown },
): Promise<string> {
  const created = await admin.call('POST', '/api/agents', {
    name: body.name ?? 'Sales helper',
    instructions: body.instructions ?? 'Help with Salesforce.',
    model: body.model ?? { provider: 'openai', modelId: 'mock-default' },
    ...(body.connector === undefined ? {} : { connector: body.connector }),
  });
  if (created.status !== 201) throw new Error(`agent: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.agent.id;
}

export async function startConversation(session: ServiceSession, agentId: string): Promise<string> {
  const created = await session.call('POST', '/api/conversations', { agentId });
  if (created.status !== 201)
    throw new Error(`conversation: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.conversation.id;
}

export async function say(session: ServiceSession, conversationId: string, text: string) {
  return session.call('POST', `/api/conversations/${conversationId}/messages`, { text });
}

export async function decide(
  session: ServiceSession,
  conversationId: string,
  approval: { approvalId: string; inputHash: string },
  decision: 'approve' | 'reject',
  reason?: string,
) {
  return session.call('POST', `/api/conversations/${conversationId}/approvals/${approval.approvalId}`, {
    decision,
    inputHash: approval.inputHash,
    ...(reason === undefined ? {} : { reason }),
  });
}

/** The approval event of a turn answer. */
// biome-ignore lint/suspicious/noExplicitAny: test helper over JSON answers
export function approvalOf(turn: { body: any }): {
  approvalId: string;
  inputHash: string;
  [key: string]: unknown;
} {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const event = turn.body.events.find((candidate: any) => candidate.type === 'approval');
  if (!event) throw new Error(`no approval in ${JSON.stringify(turn.body)}`);
  return event.approval;
}

/** Alice (admin) and Bob logged in at `url`, Bob connected to the emulator as bob@acme.demo. */
export async function logInAliceAndBob(
  url: string,
  emulator: RunningEmulator,
): Promise<{ alice: ServiceSession; bob: ServiceSession }> {
  const alice = await logIn(url, 'alice@forcefield.demo');
  const bob = await logIn(url, 'bob@forcefield.demo');
  await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
  return { alice, bob };
}

export interface AgentTestService extends ListeningTestService {
  clock: { now: number; advance(ms: number): void };
}

/** `listenTestService` with a scripted-model board and a clock the test moves (from now). */
export async function startAgentService(
  emulator: RunningEmulator,
  options: {
    board?: ModelBoard;
    store?: Store;
    environment?: Record<string, string>;
    executionProbe?: ExecutionProbe;
  } = {},
): Promise<AgentTestService> {
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const test = await listenTestService({
    emulator,
    clock: { now: () => clock.now },
    ...(options.board ? { models: options.board } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.executionProbe ? { executionProbe: options.executionProbe } : {}),
  });
  return { ...test, clock };
}

export interface TwoAgentInstances {
  emulator: RunningEmulator;
  /** The first instance's store (the database both use). */
  store: Store;
  first: AgentTestService;
  second: AgentTestService;
  alice: ServiceSession;
  bob: ServiceSession;
}

/**
 * Two agent services on one database, as two instances of a deployment (the demo org's emulator,
 * Alice the admin and Bob the member logged in, Bob connected), started before the file's tests and
 * stopped after them. PostgreSQL: each instance has its own pool, as separate processes would.
 * SQLite in memory is one database per handle, so both instances share the handle. The fields are
 * set once the file's `beforeAll` hooks run.
 */
export function useTwoAgentInstances(
  dialect: 'sqlite' | 'postgres',
  options: { board: ModelBoard; environment: Record<string, string>; executionProbe?: ExecutionProbe },
): TwoAgentInstances {
  const world = {} as TwoAgentInstances;
  let testStore: TestStore | undefined;
  let secondStore: Store | undefined;
  beforeAll(async () => {
    world.emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    world.store = testStore.store;
    secondStore = dialect === 'postgres' ? openStore(testStore.options) : testStore.store;
    const { board, environment, executionProbe } = options;
    world.first = await startAgentService(world.emulator, {
      board,
      store: testStore.store,
      environment,
      ...(executionProbe ? { executionProbe } : {}),
    });
    world.second = await startAgentService(world.emulator, { board, store: secondStore, environment });
    Object.assign(world, await logInAliceAndBob(world.first.service.url, world.emulator));
  });
  afterAll(async () => {
    await world.first?.stop();
    await world.second?.stop();
    if (dialect === 'postgres') await secondStore?.close();
    await testStore?.dispose();
    await world.emulator?.stop();
  });
  return world;
}
