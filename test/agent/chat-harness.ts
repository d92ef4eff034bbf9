import { afterAll, beforeAll } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { type AgentTestService, startAgentService } from '../support/agents.ts';
import { connect, logIn, type ServiceSession } from '../support/connections.ts';
import { ModelBoard } from '../support/models.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

/**
 * The chat tests' setup, shared by the files that split the chat over HTTP by behaviour: an
 * emulated org, the service with scripted models on the given store, and three people — Alice
 * (admin), Bob (connected to Salesforce as bob@acme.demo) and Carol (not connected yet).
 * Call inside a describe block; the returned object is filled in before the first test.
 */
export interface ChatHarness {
  emulator: RunningEmulator;
  test: AgentTestService;
  board: ModelBoard;
  alice: ServiceSession;
  bob: ServiceSession;
  carol: ServiceSession;
  bobConnection: string;
  auditEvents(action: string): ReturnType<typeof auditQuery>;
}

async function auditQuery(test: AgentTestService, action: string) {
  return (await test.service.context.audit.query({ action, limit: 500 })).events;
}

export function useChatHarness(dialect: TestStore['name']): ChatHarness {
  let testStore: TestStore | undefined;
  const harness = {
    board: new ModelBoard(),
    auditEvents: (action: string) => auditQuery(harness.test, action),
  } as ChatHarness;

  beforeAll(async () => {
    harness.emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    harness.test = await startAgentService(harness.emulator, {
      board: harness.board,
      store: testStore.store,
    });
    harness.alice = await logIn(harness.test.service.url, 'alice@forcefield.demo');
    harness.bob = await logIn(harness.test.service.url, 'bob@forcefield.demo');
    harness.carol = await logIn(harness.test.service.url, 'carol@forcefield.demo');
    harness.bobConnection = await connect(harness.bob, harness.emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
  });

  afterAll(async () => {
    await harness.test?.stop();
    await testStore?.dispose();
    await harness.emulator?.stop();
  });

  return harness;
}
