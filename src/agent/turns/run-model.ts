import { type JSONSchema7, jsonSchema, type ModelMessage, streamText, tool } from 'ai';
import { z } from 'zod';
import type { DispatchContext, ModelToolCall } from '../dispatch/dispatch-context.ts';
import { dispatchToolCall } from '../dispatch/dispatch-tool-call.ts';
import type { Agent } from '../store/agent-store.ts';
import { toolDescriptions, toolInputSchemas } from '../tools/tool-catalog.ts';
import { type ToolName, toolsOfferedToModel } from '../tools/tool-permissions.ts';
import type { TurnResult } from './chat-events.ts';
import { pauseStep, toolMessage } from './paused-step.ts';
import { appendText, dispatchContextFor, endTurn, failTurn, modelFailed, type Turn } from './turn.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import { keepTurn } from './turn-gate.ts';

/** Model calls per turn: a model that keeps calling tools is stopped here. */
export const MAX_MODEL_CALLS_PER_TURN = 8;

const SYSTEM_GUIDANCE = [
  'You work with Salesforce through tools. Salesforce data is read live; never invent record ids — search or query first.',
  'Query and search results come as tables: `fields` names the columns once and each row holds the values in that order.',
  'A single record comes as text: `Object Id Name` on the first line, then one `Field=value` per line (empty fields left out).',
  'When a result has `more`, call next_page with its cursor only if you need more rows.',
  'If a tool answers NO_ACCESS, the connected Salesforce user may not see or change that data: tell the person, do not probe.',
  'If a tool answers REJECTED_BY_USER, the person declined: do not retry unless they ask.',
].join('\n');

/** The model loop: stream a step, dispatch its tool calls, repeat until it answers or pauses. */
export async function runModel(dependencies: TurnDependencies, turn: Turn): Promise<TurnResult> {
  const { state } = turn;
  const messages = state.messages ?? [];
  const tools = toolsFor(turn.agent);
  const context = dispatchContextFor(dependencies, turn);
  for (let modelCall = 0; modelCall < MAX_MODEL_CALLS_PER_TURN; modelCall++) {
    let step: { text: string; calls: ModelToolCall[] };
    const streamed = { text: '' };
    try {
      step = await streamModelStep(dependencies, turn, messages, tools, streamed);
    } catch (error) {
      turn.text += streamed.text;
      return modelFailed(dependencies, turn, error);
    }
    turn.text += step.text;
    if (step.calls.length === 0) return endTurn(dependencies, turn, 'complete');
    const dispatched = await dispatchCalls(dependencies, turn, context, step.calls);
    if (dispatched.kind === 'failed') return failTurn(dependencies, turn, dispatched.error);
    if (dispatched.paused) {
      pauseStep(state, turn.messageId, step.calls, dispatched.results);
      return endTurn(dependencies, turn, 'awaiting_approval');
    }
    messages.push(toolMessage(step.calls, dispatched.results));
  }
  const notice = `The agent stopped after ${MAX_MODEL_CALLS_PER_TURN} steps without a final answer.`;
  turn.emit({ type: 'notice', code: 'step_limit', message: notice });
  appendText(turn, notice);
  return endTurn(dependencies, turn, 'complete');
}

/** The tools the agent's settings offer, described to the model. */
function toolsFor(agent: Agent) {
  return Object.fromEntries(toolsOfferedToModel(agent.connector).map((name) => [name, describedTool(name)]));
}

/**
 * One tool as the model sees it, built once per process: converting its zod schema to JSON Schema
 * on every turn was ≈ 1 ms of CPU before the first token. The description holds nothing of a turn
 * (no execute function: the dispatcher runs every call), so every turn can share it.
 */
const describedTools = new Map<ToolName, ReturnType<typeof describeTool>>();
function describedTool(name: ToolName) {
  let described = describedTools.get(name);
  if (!described) {
    described = describeTool(name);
    describedTools.set(name, described);
  }
  return described;
}

function describeTool(name: ToolName) {
  // The schema is only described to the model here: the dispatcher validates every input itself.
  return tool({
    description: toolDescriptions[name],
    inputSchema: jsonSchema(z.toJSONSchema(toolInputSchemas[name]) as JSONSchema7),
  });
}

/**
 * One model call, streamed: its text goes out as it comes (and into `streamed`, kept if the call
 * fails midway), its tool calls are collected, its assistant messages join the context.
 */
async function streamModelStep(
  dependencies: TurnDependencies,
  turn: Turn,
  messages: ModelMessage[],
  tools: ReturnType<typeof toolsFor>,
  streamed: { text: string },
): Promise<{ text: string; calls: ModelToolCall[] }> {
  const calls: ModelToolCall[] = [];
  await keepTurn(dependencies, turn);
  const result = streamText({
    model: turn.model,
    instructions: [turn.agent.row.instructions, SYSTEM_GUIDANCE].filter(Boolean).join('\n\n'),
    messages,
    tools,
    maxRetries: 1,
    // The SDK's default prints errors to the console, request bodies (Salesforce results) included.
    onError: () => {},
  });
  for await (const part of result.stream) {
    if (part.type === 'text-delta') {
      await keepTurn(dependencies, turn);
      streamed.text += part.text;
      turn.emit({ type: 'text', delta: part.text });
    } else if (part.type === 'tool-call') {
      calls.push({
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: part.input,
        ...('invalid' in part && part.invalid ? { invalid: true } : {}),
      });
    } else if (part.type === 'error') {
      throw part.error;
    }
  }
  const response = await result.response;
  // Our own results replace whatever the SDK made up for calls it could not parse.
  messages.push(...response.messages.filter((message) => message.role === 'assistant'));
  return { text: streamed.text, calls };
}

/** Each call through the dispatcher, in order; a pending approval pauses the step. */
async function dispatchCalls(
  dependencies: TurnDependencies,
  turn: Turn,
  context: DispatchContext,
  calls: ModelToolCall[],
): Promise<
  { kind: 'done'; results: Map<string, unknown>; paused: boolean } | { kind: 'failed'; error: unknown }
> {
  const results = new Map<string, unknown>();
  let paused = false;
  for (const call of calls) {
    try {
      await keepTurn(dependencies, turn);
      const outcome = await dispatchToolCall(context, call);
      if (outcome.kind === 'result') results.set(call.toolCallId, outcome.output);
      else paused = true;
    } catch (error) {
      return { kind: 'failed', error };
    }
  }
  return { kind: 'done', results, paused };
}
