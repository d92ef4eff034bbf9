import type { ModelMessage } from 'ai';
import { notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { ConversationMessagesTable, ConversationsTable, MessageKind } from '../../store/agent-tables.ts';
import type { Store } from '../../store/database.ts';
import type { StepOutline, StepStatus } from '../turns/steps.ts';
import { advanceTurn, type TurnLease } from '../turns/turn-lock.ts';

/**
 * Conversations and their messages in the database. What is stored: the conversation, the text of
 * each message and each step's outline. What is not: tool inputs and results (conversation-memory.ts).
 * Every read of a conversation is scoped to its owner.
 */
export class ConversationStore {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(options: { store: Store; now: () => number }) {
    this.#store = options.store;
    this.#now = options.now;
  }

  async insertConversation(row: ConversationsTable): Promise<void> {
    await this.#store.db.insertInto('conversations').values(row).execute();
  }

  listConversations(userId: string): Promise<ConversationsTable[]> {
    return this.#store.db
      .selectFrom('conversations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute();
  }

  /** The conversation if it is this person's; 404 otherwise (another's looks like none). */
  async ownConversation(userId: string, conversationId: string): Promise<ConversationsTable> {
    const row = await this.#store.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('Conversation');
    return row;
  }

  /** The conversation, its messages and its approvals. */
  async deleteConversation(conversationId: string): Promise<void> {
    const { db } = this.#store;
    await db.deleteFrom('agent_approvals').where('conversation_id', '=', conversationId).execute();
    await db.deleteFrom('conversation_messages').where('conversation_id', '=', conversationId).execute();
    await db.deleteFrom('conversations').where('id', '=', conversationId).execute();
  }

  messages(conversationId: string): Promise<ConversationMessagesTable[]> {
    return this.#store.db
      .selectFrom('conversation_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('id')
      .execute();
  }

  message(id: string): Promise<ConversationMessagesTable | undefined> {
    return this.#store.db
      .selectFrom('conversation_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async messageOrThrow(id: string): Promise<ConversationMessagesTable> {
    const row = await this.message(id);
    if (!row) throw notFound('Message');
    return row;
  }

  async insertMessage(
    conversationId: string,
    role: 'user' | 'assistant',
    kind: MessageKind,
    text: string,
  ): Promise<ConversationMessagesTable> {
    const [row] = await this.insertMessages(conversationId, [{ role, kind, text }]);
    return row as ConversationMessagesTable;
  }

  /**
   * Stores messages in this order, and the conversation's activity, in one transaction: a turn's
   * start writes the person's message and the answer's row with one commit (one disk sync), which
   * is most of what the first token waits for on the embedded store.
   */
  async insertMessages(
    conversationId: string,
    messages: Array<{ role: 'user' | 'assistant'; kind: MessageKind; text: string }>,
    options: { advance?: TurnLease } = {},
  ): Promise<ConversationMessagesTable[]> {
    const now = this.#now();
    const at = new Date(now).toISOString();
    // newId is monotonic within a process: the ids keep the messages' order.
    const rows: ConversationMessagesTable[] = messages.map((message) => ({
      id: newId(now),
      conversation_id: conversationId,
      role: message.role,
      kind: message.kind,
      text: message.text,
      steps: '[]',
      created_at: at,
      updated_at: at,
    }));
    await this.#store.db.transaction().execute(async (transaction) => {
      await transaction.insertInto('conversation_messages').values(rows).execute();
      await transaction
        .updateTable('conversations')
        .set({ updated_at: at })
        .where('id', '=', conversationId)
        .execute();
      // The turn that writes them is counted in the same commit (turn-gate.ts advanceHeldTurn).
      if (options.advance) await advanceTurn({ db: transaction }, options.advance);
    });
    return rows;
  }

  /**
   * Stores a message's text and its steps' outlines — never their inputs or results. Outlines
   * stored before and not among `outlines` are kept.
   */
  async saveMessage(messageId: string, text: string, outlines: StepOutline[]): Promise<void> {
    const previous = await this.message(messageId);
    const kept = previous ? (JSON.parse(previous.steps) as StepOutline[]) : [];
    const merged = [
      ...kept.filter((outline) => !outlines.some((step) => step.id === outline.id)),
      ...outlines,
    ];
    await this.#store.db
      .updateTable('conversation_messages')
      .set({
        text,
        steps: JSON.stringify(merged),
        updated_at: new Date(this.#now()).toISOString(),
      })
      .where('id', '=', messageId)
      .execute();
  }

  /** Changes the status of one step's stored outline (e.g. to expired). */
  async setStepStatus(messageId: string, stepId: string, status: StepStatus): Promise<void> {
    const row = await this.message(messageId);
    if (!row) return;
    const outlines = (JSON.parse(row.steps) as StepOutline[]).map((outline) =>
      outline.id === stepId ? { ...outline, status } : outline,
    );
    await this.#store.db
      .updateTable('conversation_messages')
      .set({ steps: JSON.stringify(outlines) })
      .where('id', '=', messageId)
      .execute();
  }

  /** Sets how one step ended in its stored outline (a resolver finishing a call its instance left). */
  async setStepOutcome(
    messageId: string,
    stepId: string,
    outcome: { status: StepStatus; recordIds: string[]; code?: string; reason?: string },
  ): Promise<void> {
    const row = await this.message(messageId);
    if (!row) return;
    const outlines = (JSON.parse(row.steps) as StepOutline[]).map((outline) =>
      outline.id === stepId ? { ...outline, ...outcome } : outline,
    );
    await this.#store.db
      .updateTable('conversation_messages')
      .set({ steps: JSON.stringify(outlines) })
      .where('id', '=', messageId)
      .execute();
  }

  /** After the memory expired: the stored text of the conversation, without tool calls or results. */
  async storedContext(conversationId: string, excludeMessageId: string): Promise<ModelMessage[]> {
    const rows = await this.messages(conversationId);
    return rows
      .filter((row) => row.kind === 'message' && row.text !== '' && row.id !== excludeMessageId)
      .map((row) => ({ role: row.role, content: row.text }));
  }
}
