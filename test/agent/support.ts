import type { RunningEmulator } from '../../emulator/index.ts';
import type { ExecutionProbe } from '../../src/agent/dispatch/run-approved-call.ts';
import type { Store } from '../../src/store/database.ts';
import type { ModelBoard } from '../support/models.ts';
import { type ListeningTestService, listenTestService } from '../support/test-service.ts';

// The agent tests' helpers live in the one harness (test/support): scripted models in models.ts,
// agents and conversations over the API in agents.ts. This file only re-exports them for the files
// that import them from here, and keeps `startAgentService`, the harness's listening form with a
// clock the test moves.
export {
  approvalOf,
  createAgent,
  decide,
  logInAliceAndBob,
  say,
  startConversation,
} from '../support/agents.ts';
export {
  callThenAnswer,
  lastToolResults,
  ModelBoard,
  type Script,
  type ScriptedStep,
  scriptedModel,
} from '../support/models.ts';

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
