import type { JSONValue, ModelMessage } from 'ai';
import { type ConversationState, noPausedStep } from '../store/conversation-memory.ts';

/**
 * The model step a "Needs approval" call paused: its calls wait in memory until each has a result
 * (run once approved, a rejection, or an expiry); then the results go to the model in one tool
 * message, in the order the model made the calls, and the turn can go on.
 */

export function pauseStep(
  state: ConversationState,
  messageId: string,
  calls: ReadonlyArray<{ toolCallId: string; toolName: string }>,
  results: Map<string, unknown>,
): void {
  state.paused = {
    messageId,
    calls: calls.map((call) => ({ toolCallId: call.toolCallId, toolName: call.toolName })),
    results,
  };
}

/** Hands the paused step's results to the model's context and clears it. */
export function closePausedStep(state: ConversationState): void {
  state.messages?.push(toolMessage(state.paused.calls, state.paused.results));
  state.paused = noPausedStep();
}

/** The results of a model step's tool calls, as the tool message the model reads next. */
export function toolMessage(
  calls: ReadonlyArray<{ toolCallId: string; toolName: string }>,
  results: ReadonlyMap<string, unknown>,
): ModelMessage {
  return {
    role: 'tool',
    content: calls.map((call) => ({
      type: 'tool-result' as const,
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      output: toolOutput(results.get(call.toolCallId)),
    })),
  };
}

/** A text result (the record form) goes to the model as text, not as a JSON string to unescape. */
function toolOutput(result: unknown) {
  return typeof result === 'string'
    ? { type: 'text' as const, value: result }
    : { type: 'json' as const, value: (result ?? null) as JSONValue };
}
