import type { ConversationMessagesTable, ConversationsTable } from '../../store/agent-tables.ts';
import type { ConversationState } from '../store/conversation-memory.ts';
import type { MessageView } from './chat-events.ts';
import { outlineOf, type StepOutline, viewOfStep } from './steps.ts';

/** Conversations and messages as the API shows them. */

export function conversationView(row: ConversationsTable) {
  return {
    id: row.id,
    agentId: row.agent_id,
    userId: row.user_id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A stored message with its steps: live details while the conversation is in memory, outlines after. */
export function messageView(
  row: ConversationMessagesTable,
  state: ConversationState | undefined,
): MessageView {
  const outlines = JSON.parse(row.steps) as StepOutline[];
  const live = [...(state?.steps.values() ?? [])].filter((step) => step.messageId === row.id);
  const ids = new Set(outlines.map((outline) => outline.id));
  const steps = [
    ...outlines.map((outline) => viewOfStep(outline, state?.steps.get(outline.id))),
    ...live.filter((step) => !ids.has(step.id)).map((step) => viewOfStep(outlineOf(step), step)),
  ];
  return { id: row.id, role: row.role, kind: row.kind, text: row.text, steps, createdAt: row.created_at };
}
