import { randomBytes } from 'node:crypto';
import type { ModelMessage } from 'ai';
import type { RecordVersion } from '../../salesforce/salesforce-types.ts';
import type { CompactRemainder } from '../tools/compact/compact-pages.ts';
import type { PaginatedToolName } from '../tools/tool-permissions.ts';
import type { LiveStep } from '../turns/steps.ts';

/**
 * What a conversation holds between requests, in this process's memory only: the model's full
 * context (tool calls and tool results included), the live steps with their inputs and results,
 * the cursors of results too long for one page, and the calls waiting for an approval (with their
 * input — the database holds only its hash).
 *
 * Why memory: tool results are Salesforce data, which Forcefield never stores. Each conversation's
 * entry lives `retentionMs` after its last activity (AGENT_RESULT_RETENTION_SECONDS, default 30
 * minutes) and never less than the approval lifetime, so a pending approval never loses its call.
 * After that a person sees the stored text of the messages and each step's outline (tool, object,
 * status, duration, record ids); the next turn's model context is rebuilt from the stored text.
 * A restarted process starts with an empty memory: the same as an expired one. With several
 * instances, each has its own memory of a conversation; an instance drops its copy when another
 * instance took a turn since (see turnSequence), and a paused call's input is also sealed in the
 * database (approval-store.ts) so that any instance can execute it once approved.
 */

export interface PendingCall {
  approvalId: string;
  messageId: string;
  toolCallId: string;
  toolName: string;
  input: unknown;
  inputHash: string;
  expiresAt: number;
  /** The tool whose cursor a next_page call continues. */
  continuedTool?: PaginatedToolName;
  /** For update and delete: the record's version the person was shown (the write is conditional on it). */
  precondition?: RecordVersion;
}

export interface CursorEntry {
  remainder: CompactRemainder;
  tool: PaginatedToolName;
  connectionId: string;
}

/**
 * A model step some of whose calls wait for an approval: the model is only called again once
 * every call of that step has a result.
 */
export interface PausedStep {
  /** The assistant message of the paused turn. */
  messageId: string | null;
  /** The calls of the paused step, in the model's order (their results go back in that order). */
  calls: Array<{ toolCallId: string; toolName: string }>;
  /** Tool results of the paused step so far. */
  results: Map<string, unknown>;
}

export function noPausedStep(): PausedStep {
  return { messageId: null, calls: [], results: new Map() };
}

export interface ConversationState {
  conversationId: string;
  /** The model's context; null until rebuilt from the stored text after an expiry. */
  messages: ModelMessage[] | null;
  steps: Map<string, LiveStep>;
  cursors: Map<string, CursorEntry>;
  pending: Map<string, PendingCall>;
  /** The model step a pending approval paused (empty when none): turns/paused-step.ts. */
  paused: PausedStep;
  /**
   * The conversation's turn count (turns/turn-lock.ts) when this process last held its turn. Another
   * count at the next turn means another instance answered in between: this memory is stale.
   */
  turnSequence: number;
  lastActivity: number;
}

/** Bounds on what one process keeps, whatever the traffic. */
export const MAX_CONVERSATIONS_IN_MEMORY = 2000;
export const MAX_CURSORS_PER_CONVERSATION = 50;
export const MAX_STEPS_PER_CONVERSATION = 500;

export class ConversationMemory {
  readonly retentionMs: number;
  readonly #now: () => number;
  readonly #states = new Map<string, ConversationState>();

  constructor(options: { retentionMs: number; now: () => number }) {
    this.retentionMs = options.retentionMs;
    this.#now = options.now;
  }

  /** The live state, or undefined when it expired (or never existed in this process). */
  get(conversationId: string): ConversationState | undefined {
    this.#sweep();
    return this.#states.get(conversationId);
  }

  /** The live state, created empty when missing; marks activity. */
  touch(conversationId: string): ConversationState {
    this.#sweep();
    let state = this.#states.get(conversationId);
    if (!state) {
      state = {
        conversationId,
        messages: null,
        steps: new Map(),
        cursors: new Map(),
        pending: new Map(),
        paused: noPausedStep(),
        turnSequence: 0,
        lastActivity: this.#now(),
      };
      this.#states.set(conversationId, state);
      this.#evictOldest();
    }
    state.lastActivity = this.#now();
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.#states.delete(conversationId);
    this.#states.set(conversationId, state);
    return state;
  }

  addCursor(state: ConversationState, entry: CursorEntry): string {
    const cursor = `cur_${randomBytes(9).toString('base64url')}`;
    state.cursors.set(cursor, entry);
    while (state.cursors.size > MAX_CURSORS_PER_CONVERSATION) {
      const oldest = state.cursors.keys().next().value;
      if (oldest === undefined) break;
      state.cursors.delete(oldest);
    }
    return cursor;
  }

  addStep(state: ConversationState, step: LiveStep): void {
    state.steps.set(step.id, step);
    while (state.steps.size > MAX_STEPS_PER_CONVERSATION) {
      const oldest = state.steps.keys().next().value;
      if (oldest === undefined) break;
      state.steps.delete(oldest);
    }
  }

  forget(conversationId: string): void {
    this.#states.delete(conversationId);
  }

  get size(): number {
    return this.#states.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, state] of this.#states) {
      const latestPending = Math.max(0, ...[...state.pending.values()].map((call) => call.expiresAt));
      if (now - state.lastActivity >= this.retentionMs && now >= latestPending) this.#states.delete(id);
    }
  }

  #evictOldest(): void {
    while (this.#states.size > MAX_CONVERSATIONS_IN_MEMORY) {
      const oldest = this.#states.keys().next().value;
      if (oldest === undefined) break;
      this.#states.delete(oldest);
    }
  }
}
