import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { MockLanguageModelV4, simulateReadableStream } from 'ai/test';
import type { RunningEmulator } from '../../emulator/index.ts';
import type { ExecutionProbe } from '../../src/agent/dispatch/run-approved-call.ts';
import type { ModelOverride } from '../../src/agent/models/language-model.ts';
import { parseConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/logger.ts';
import { type RunningService, startService } from '../../src/main.ts';
import type { Store } from '../../src/store/database.ts';
import { connect, logIn, type ServiceSession } from '../support/connections.ts';
import { emulatorSalesforce } from '../support/service.ts';
import { TEST_PASSWORD_HASH_COST } from '../support/test-service.ts';

/** What a scripted model does on one call: write text, call tools, or both. */
export interface ScriptedStep {
  text?: string;
  toolCalls?: Array<{ toolName: string; input: unknown; toolCallId?: string }>;
}

export type Script = (prompt: LanguageModelV4Prompt, call: LanguageModelV4CallOptions) => ScriptedStep;

let toolCallCounter = 0;

/** A mock language model (the AI SDK's) that answers every call with what `script` decides. */
export function scriptedModel(script: Script): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doStream: async (options) => {
      const step = script(options.prompt, options);
      const chunks: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      if (step.text) {
        chunks.push({ type: 'text-start', id: 't' });
        for (const word of step.text.split(/(?<= )/))
          chunks.push({ type: 'text-delta', id: 't', delta: word });
        chunks.push({ type: 'text-end', id: 't' });
      }
      for (const call of step.toolCalls ?? []) {
        toolCallCounter++;
        chunks.push({
          type: 'tool-call',
          toolCallId: call.toolCallId ?? `call_${toolCallCounter}`,
          toolName: call.toolName,
          input: JSON.stringify(call.input),
        });
      }
      chunks.push({
        type: 'finish',
        finishReason: { unified: step.toolCalls?.length ? 'tool-calls' : 'stop', raw: undefined },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 5, text: 5, reasoning: 0 },
        },
      });
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: 0 }) };
    },
  });
}

/** The last message of the prompt, when it carries tool results: what the model was told. */
export function lastToolResults(prompt: LanguageModelV4Prompt): Array<{ toolName: string; value: unknown }> {
  const last = prompt.at(-1);
  if (last?.role !== 'tool') return [];
  return last.content.flatMap((part) =>
    part.type === 'tool-result'
      ? [{ toolName: part.toolName, value: (part.output as { value?: unknown }).value }]
      : [],
  );
}

/** The usual script: call the tools once, then answer with a fixed sentence (never Salesforce values). */
export function callThenAnswer(
  toolCalls: ScriptedStep['toolCalls'] | ((prompt: LanguageModelV4Prompt) => ScriptedStep['toolCalls']),
  answer = 'Done.',
): Script {
  return (prompt) => {
    if (prompt.at(-1)?.role === 'tool') return { text: answer };
    return { toolCalls: typeof toolCalls === 'function' ? toolCalls(prompt) : toolCalls };
  };
}

/** Lets each test choose the model its agents talk to (by agent model id). */
export class ModelBoard {
  readonly #models = new Map<string, MockLanguageModelV4>();

  set(modelId: string, script: Script): MockLanguageModelV4 {
    const model = scriptedModel(script);
    this.#models.set(modelId, model);
    return model;
  }

  /** A model the test builds itself (e.g. one that waits for the test before it goes on). */
  use(modelId: string, model: MockLanguageModelV4): MockLanguageModelV4 {
    this.#models.set(modelId, model);
    return model;
  }

  readonly override: ModelOverride = (settings) =>
    settings.provider === 'openai' && settings.modelId.startsWith('mock-')
      ? this.#models.get(settings.modelId)
      : undefined;
}

export interface AgentTestService {
  service: RunningService;
  logs: string[];
  dataDir: string;
  clock: { now: number; advance(ms: number): void };
  stop(): Promise<void>;
}

/** The service with a scripted-model board and a clock the test moves. */
export async function startAgentService(
  emulator: RunningEmulator,
  options: {
    board?: ModelBoard;
    store?: Store;
    environment?: Record<string, string>;
    executionProbe?: ExecutionProbe;
  } = {},
): Promise<AgentTestService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-agent-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    PASSWORD_HASH_COST: TEST_PASSWORD_HASH_COST,
    ...options.environment,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const service = await startService({
    config,
    salesforce: emulatorSalesforce(emulator.url),
    logger: createLogger('debug', sink),
    now: () => clock.now,
    ...(options.store ? { store: options.store } : {}),
    ...(options.board ? { agentModelOverride: options.board.override } : {}),
    ...(options.executionProbe ? { agentExecutionProbe: options.executionProbe } : {}),
  });
  return {
    service,
    logs,
    dataDir,
    clock,
    async stop() {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
