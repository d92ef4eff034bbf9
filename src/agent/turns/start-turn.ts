import type { Actor } from '../../core/actor.ts';
import type { ConversationsTable } from '../../store/agent-tables.ts';
import { resolveLanguageModel } from '../models/language-model.ts';
import type { Agent } from '../store/agent-store.ts';
import { connectionFor } from './agent-connection.ts';
import type { Emit, TurnResult } from './chat-events.ts';
import { connectPrompt } from './connect-prompt.ts';
import { runModel } from './run-model.ts';
import { finishTurn } from './turn.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import type { TurnLease } from './turn-lock.ts';

/** A turn that answers a person's message: asks to connect, says no model is set, or runs the model. */
export async function startTurn(
  dependencies: TurnDependencies,
  options: {
    user: Actor;
    conversation: ConversationsTable;
    agent: Agent;
    userMessageId: string;
    text: string;
    emit: Emit;
    lease: TurnLease;
  },
): Promise<TurnResult> {
  const { service, conversations, memory } = dependencies;
  const { user, conversation, agent, emit, lease } = options;
  const connection = await connectionFor(service, user, agent);
  if (connection.kind === 'connect') {
    const prompt = connectPrompt(service, conversation.id, connection.reason);
    const row = await conversations.insertMessage(
      conversation.id,
      'assistant',
      'connect_prompt',
      prompt.message,
    );
    emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
    emit({ type: 'connect', connect: prompt });
    return finishTurn('connect_required', row, undefined, emit);
  }
  const resolved = await resolveLanguageModel(service, agent.model, dependencies.modelOverride);
  if (!resolved.ok) {
    const row = await conversations.insertMessage(conversation.id, 'assistant', 'notice', resolved.message);
    emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
    emit({ type: 'notice', code: 'model_not_configured', message: resolved.message });
    return finishTurn('model_not_configured', row, undefined, emit);
  }
  const state = memory.touch(conversation.id);
  state.turnSequence = lease.sequence;
  if (state.messages === null) {
    state.messages = await conversations.storedContext(conversation.id, options.userMessageId);
  }
  state.messages.push({ role: 'user', content: options.text });
  const row = await conversations.insertMessage(conversation.id, 'assistant', 'message', '');
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
