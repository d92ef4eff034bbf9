import { generateText, type LanguageModel, Output } from 'ai';
import { type ModelSummary, modelSummarySchema } from './summary-schema.ts';

/**
 * The one place the summariser calls a model (AI SDK structured output against a zod schema), so
 * an AI SDK upgrade touches this file only. Throws what the SDK throws; the caller maps it.
 */
export async function summariseWithModel(options: {
  model: LanguageModel;
  system: string;
  prompt: string;
  abortSignal?: AbortSignal;
}): Promise<ModelSummary> {
  const result = await generateText({
    model: options.model,
    system: options.system,
    prompt: options.prompt,
    output: Output.object({ schema: modelSummarySchema }),
    // Deterministic as the provider allows: re-runs should not wander.
    temperature: 0,
    maxRetries: 1,
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  return result.output;
}
