import type { RunningEmulator } from '../../emulator/index.ts';
import type { ExecutionProbe } from '../../src/agent/dispatch/run-approved-call.ts';
import type { Store } from '../../src/store/database.ts';
import { connect, logIn, type ServiceSession } from './connections.ts';
import type { ModelBoard } from './models.ts';
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
