import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { MockLanguageModelV4, simulateReadableStream } from 'ai/test';
import type { ModelOverride } from '../../src/agent/models/language-model.ts';

/**
 * Scripted language models for the test harness: `createTestService({ models: board })` (or the
 * listening `startTestService`) gives agents whose model ids start with `mock-` the model the test
 * put on the board.
 */

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
