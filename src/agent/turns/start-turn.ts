import type { Actor } from '../../core/actor.ts';
import type { ConversationMessagesTable, ConversationsTable, MessageKind } from '../../store/agent-tables.ts';
import { resolveLanguageModel } from '../models/language-model.ts';
import type { Agent } from '../store/agent-store.ts';
import { connectionFor } from './agent-connection.ts';
import type { Emit, TurnResult } from './chat-events.ts';
import { connectPrompt } from './connect-prompt.ts';
import { runModel } from './run-model.ts';
import { finishTurn } from './turn.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import type { TurnHold } from './turn-gate.ts';
import type { TurnLease } from './turn-lock.ts';

/** A turn that answers a person's message: asks to connect, says no model is set, or runs the model. */
export async function startTurn(
  dependencies: TurnDependencies,
  options: {
    user: Actor;
    conversation: ConversationsTable;
    agent: Agent;
    /**
     * The person's message: `stored` (its id) when it is already in the database (a resume), else
     * `new`: stored with the answer's first row, in one commit.
     */
    userMessage: { stored: string } | { new: true };
    /** Counts the turn (advanceHeldTurn) in the same commit as the new message, when not done yet. */
    advance?: TurnHold;
    text: string;
    emit: Emit;
    lease: TurnLease;
  },
): Promise<TurnResult> {
  const { service, conversations, memory } = dependencies;
  const { user, conversation, agent, emit, lease } = options;
  // The answer's row, after the person's message when that is new (one transaction, in order).
  const insertAnswer = async (kind: MessageKind, text: string) => {
    const answer = { role: 'assistant' as const, kind, text };
    const rows = await conversations.insertMessages(
      conversation.id,
      'new' in options.userMessage
        ? [{ role: 'user', kind: 'message', text: options.text }, answer]
        : [answer],
      options.advance ? { advance: options.advance.lease } : {},
    );
    if (options.advance?.state) options.advance.state.turnSequence = options.advance.lease.sequence;
    return rows.at(-1) as ConversationMessagesTable;
  };
  const connection = await connectionFor(service, user, agent);
  if (connection.kind === 'connect') {
    const prompt = connectPrompt(service, conversation.id, connection.reason);
    const row = await insertAnswer('connect_prompt', prompt.message);
    emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
    emit({ type: 'connect', connect: prompt });
    return finishTurn('connect_required', row, undefined, emit);
  }
  const resolved = await resolveLanguageModel(service, agent.model, dependencies.modelOverride);
  if (!resolved.ok) {
    const row = await insertAnswer('notice', resolved.message);
    emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
    emit({ type: 'notice', code: 'model_not_configured', message: resolved.message });
    return finishTurn('model_not_configured', row, undefined, emit);
  }
  const state = memory.touch(conversation.id);
  if (state.messages === null) {
    // Before a new message is stored, the stored context cannot hold it; a resumed one is left out.
    const stored = 'stored' in options.userMessage ? options.userMessage.stored : '';
    state.messages = await conversations.storedContext(conversation.id, stored);
  }
  state.messages.push({ role: 'user', content: options.text });
  const row = await insertAnswer('message', '');
  // After the insert: the turn may have been counted with it.
  state.turnSequence = lease.sequence;
  emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
  return runModel(dependencies, {
    user,
    conversation,
    agent,
    connectionId: connection.connectionId,
    model: resolved.model,
    messageId: row.id,
    state,
    text: '',
    emit,
    lease,
    leaseRenewedAt: service.now(),
  });
}
