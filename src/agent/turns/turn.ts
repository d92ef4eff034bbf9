import type { LanguageModel } from 'ai';
import { salesforceClientFor } from '../../connections/connection-client.ts';
import type { Actor } from '../../core/actor.ts';
import type { ConversationMessagesTable, ConversationsTable } from '../../store/agent-tables.ts';
import type { DispatchContext } from '../dispatch/dispatch-context.ts';
import { describeModelError } from '../models/describe-model-error.ts';
import type { Agent } from '../store/agent-store.ts';
import type { ConversationState } from '../store/conversation-memory.ts';
import type { AgentSalesforceClient } from '../tools/tool-catalog.ts';
import { ToolFailure } from '../tools/tool-errors.ts';
import type { Emit, TurnResult, TurnStatus } from './chat-events.ts';
import { connectPrompt } from './connect-prompt.ts';
import { messageView } from './message-views.ts';
import { outlineOf } from './steps.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import type { TurnLease } from './turn-lock.ts';

/** A running turn: one assistant message being written, and how a turn ends. */
export interface Turn {
  user: Actor;
  conversation: ConversationsTable;
  agent: Agent;
  connectionId: string;
  model: LanguageModel;
  messageId: string;
  state: ConversationState;
  text: string;
  emit: Emit;
  lease: TurnLease;
  /** When the lease was last renewed (service clock). */
  leaseRenewedAt: number;
}

/** What the dispatcher needs for this turn's tool calls. */
export function dispatchContextFor(dependencies: TurnDependencies, turn: Turn): DispatchContext {
  const { service } = dependencies;
  let client: Promise<AgentSalesforceClient> | undefined;
  return {
    store: service.store,
    audit: service.audit,
    now: service.now,
    memory: dependencies.memory,
    state: turn.state,
    agent: turn.agent,
    userId: turn.user.id,
    connectionId: turn.connectionId,
    conversationId: turn.conversation.id,
    messageId: turn.messageId,
    approvalTtlMs: dependencies.approvalTtlMs,
    vault: service.vault,
    // Access to the connection is checked again here, on every turn (sharing may have changed).
    client: () => {
      client ??= salesforceClientFor(service, turn.user, turn.connectionId, 'agent');
      return client;
    },
    emit: turn.emit,
  };
}

/** Stores the turn's text and its steps' outlines — never their inputs or results. */
export async function saveTurn(dependencies: TurnDependencies, turn: Turn): Promise<void> {
  const outlines = [...turn.state.steps.values()]
    .filter((step) => step.messageId === turn.messageId)
    .map((step) => outlineOf(step));
  await dependencies.conversations.saveMessage(turn.messageId, turn.text, outlines);
}

/** The turn's answer: the `done` event and the result, with the message as the API shows it. */
export function finishTurn(
  status: TurnStatus,
  row: ConversationMessagesTable,
  state: ConversationState | undefined,
  emit: Emit,
): TurnResult {
  const message = messageView(row, state);
  emit({ type: 'done', message: { status, ...message } });
  return { status, message };
}

/** Saves the turn's message and finishes with `status`. */
export async function endTurn(
  dependencies: TurnDependencies,
  turn: Turn,
  status: TurnStatus,
): Promise<TurnResult> {
  await saveTurn(dependencies, turn);
  const row = await dependencies.conversations.messageOrThrow(turn.messageId);
  return finishTurn(status, row, turn.state, turn.emit);
}

/** Adds a sentence for the person to the turn's text. */
export function appendText(turn: Turn, sentence: string): void {
  turn.text += turn.text ? `\n\n${sentence}` : sentence;
}

/** A Salesforce failure during a tool call ends the turn with a message (and a connect prompt when needed). */
export async function failTurn(
  dependencies: TurnDependencies,
  turn: Turn,
  error: unknown,
): Promise<TurnResult> {
  if (!(error instanceof ToolFailure)) throw error;
  if (error.needsReconnect) {
    const prompt = connectPrompt(dependencies.service, turn.conversation.id, 'needs_reconnect');
    turn.emit({ type: 'connect', connect: prompt });
  }
  turn.emit({ type: 'error', code: error.code, message: error.message });
  appendText(turn, error.message);
  return endTurn(dependencies, turn, error.needsReconnect ? 'connect_required' : 'error');
}

/** The model could not answer: the turn ends with what went wrong and what to do; only the error's kind is logged. */
export async function modelFailed(
  dependencies: TurnDependencies,
  turn: Turn,
  error: unknown,
): Promise<TurnResult> {
  const described = describeModelError(error, turn.agent.model.modelId);
  // Only the error's kind and status: provider errors carry the request body, i.e. tool results.
  dependencies.service.logger.warn(
    {
      errorName: error instanceof Error ? error.name : typeof error,
      statusCode: described.statusCode,
      cause: described.code,
      agentId: turn.agent.row.id,
    },
    'agent model call failed',
  );
  turn.emit({ type: 'error', code: described.code, message: described.message });
  appendText(turn, described.message);
  return endTurn(dependencies, turn, 'error');
}
