import type { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { ServiceError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { ConversationsTable } from '../../store/agent-tables.ts';
import { resolveAbandonedExecutions } from '../dispatch/resolve-executions.ts';
import type { ExecutionProbe } from '../dispatch/run-approved-call.ts';
import type { ModelOverride } from '../models/language-model.ts';
import { findAgent } from '../store/agent-store.ts';
import { pendingApprovals } from '../store/approval-store.ts';
import { ConversationMemory } from '../store/conversation-memory.ts';
import { ConversationStore } from '../store/conversation-store.ts';
import { checkSharedAccess } from './agent-connection.ts';
import { decidedApprovalViews, pendingApprovalView } from './approval-views.ts';
import type { TurnRunner } from './chat-events.ts';
import type { createConversationSchema, decisionSchema } from './chat-schemas.ts';
import { beginDecision } from './decision-flow.ts';
import { settleExpiredApprovals } from './expire-approvals.ts';
import { conversationView, messageView } from './message-views.ts';
import { startTurn } from './start-turn.ts';
import { outlineOf, viewOfStep } from './steps.ts';
import type { TurnDependencies } from './turn-dependencies.ts';
import { acquireTurn, advanceHeldTurn, runnerHoldingTurn } from './turn-gate.ts';
import { turnHeld } from './turn-lock.ts';

/**
 * The chat: a person's message goes to the agent's model with the tools its settings offer; tool
 * calls go through the dispatcher (dispatch/); a "Needs approval" call pauses the turn until the
 * person decides, and the decision resumes it (decision-flow.ts). What is stored: the
 * conversation, the text of each message and each step's outline (store/conversation-store.ts).
 * What is not: tool inputs and results (store/conversation-memory.ts).
 *
 * Built once per process by the composition root; every surface calls the same instance.
 */
export class AgentRuntime {
  readonly memory: ConversationMemory;
  readonly approvalTtlMs: number;
  readonly #service: ServiceContext;
  readonly #dependencies: TurnDependencies;
  #resolverTimer: ReturnType<typeof setInterval> | undefined;
  #resolverPass: Promise<void> | undefined;

  constructor(
    service: ServiceContext,
    options: { modelOverride?: ModelOverride; executionProbe?: ExecutionProbe } = {},
  ) {
    this.#service = service;
    this.approvalTtlMs = service.config.AGENT_APPROVAL_TTL_SECONDS * 1000;
    this.memory = new ConversationMemory({
      // Never shorter than an approval's life: a pending call must outlive its approval window.
      retentionMs: Math.max(service.config.AGENT_RESULT_RETENTION_SECONDS * 1000, this.approvalTtlMs),
      now: service.now,
    });
    this.#dependencies = {
      service,
      memory: this.memory,
      conversations: new ConversationStore({ store: service.store, now: service.now }),
      approvalTtlMs: this.approvalTtlMs,
      modelOverride: options.modelOverride,
      turnLeaseMs: service.config.AGENT_TURN_LEASE_SECONDS * 1000,
      executionLeaseMs: service.config.AGENT_EXECUTION_LEASE_SECONDS * 1000,
      executionProbe: options.executionProbe,
    };
  }

  /** What the turn modules take, for surfaces that run calls without a model turn (MCP). */
  get dependencies(): TurnDependencies {
    return this.#dependencies;
  }

  // ------------------------------------------------------------------ interrupted approved calls

  /**
   * Finishes approved calls whose instance died (or stalled past its lease): expired when the
   * request had not left, looked up in Salesforce when it may have. Safe on every instance at once.
   */
  resolveInterruptedCalls(): Promise<number> {
    const { service, conversations, executionLeaseMs } = this.#dependencies;
    return resolveAbandonedExecutions({ service, conversations, leaseMs: executionLeaseMs });
  }

  /**
   * Runs the resolver now and then every AGENT_RESOLVER_PERIOD_SECONDS, until stop(), in the
   * background: a Salesforce lookup never holds up the start. One pass at a time.
   */
  startResolver(): void {
    const pass = () => {
      this.#resolverPass ??= this.resolveInterruptedCalls()
        .catch((error: unknown) => this.#resolverFailed(error))
        .then(() => {
          this.#resolverPass = undefined;
        });
    };
    pass();
    const periodMs = this.#service.config.AGENT_RESOLVER_PERIOD_SECONDS * 1000;
    if (periodMs === 0) return;
    this.#resolverTimer ??= setInterval(pass, periodMs);
    this.#resolverTimer.unref();
  }

  /** Stops the resolver, once its pass under way (if any) has ended. */
  async stop(): Promise<void> {
    if (this.#resolverTimer) clearInterval(this.#resolverTimer);
    this.#resolverTimer = undefined;
    await this.#resolverPass;
  }

  #resolverFailed(error: unknown): void {
    this.#service.logger.warn(
      { errorName: error instanceof Error ? error.name : typeof error },
      'the resolver of interrupted agent calls failed; it runs again',
    );
  }

  // ------------------------------------------------------------------ conversations

  async createConversation(user: Actor, input: z.infer<typeof createConversationSchema>) {
    const agent = await findAgent(this.#service, input.agentId);
    await checkSharedAccess(this.#service, user, agent);
    const now = this.#service.now();
    const at = new Date(now).toISOString();
    const row: ConversationsTable = {
      id: newId(now),
      agent_id: agent.row.id,
      user_id: user.id,
      title: input.title ?? agent.row.name,
      created_at: at,
      updated_at: at,
      turn_owner: null,
      turn_locked_until: null,
      turn_sequence: 0,
    };
    await this.#dependencies.conversations.insertConversation(row);
    return conversationView(row);
  }

  async listConversations(user: Actor) {
    const rows = await this.#dependencies.conversations.listConversations(user.id);
    return rows.map(conversationView);
  }

  async getConversation(user: Actor, conversationId: string) {
    const { conversations } = this.#dependencies;
    const conversation = await conversations.ownConversation(user.id, conversationId);
    const rows = await conversations.messages(conversationId);
    // Another instance took a turn since this one's last (a decision, a message): this process's
    // memory of the conversation is stale, and its steps would show an outdated state.
    const remembered = this.memory.get(conversationId);
    const state = remembered?.turnSequence === Number(conversation.turn_sequence) ? remembered : undefined;
    const pending = await pendingApprovals(this.#service.store, conversationId);
    const decided = await decidedApprovalViews(this.#service, conversationId);
    return {
      conversation: conversationView(conversation),
      live: state !== undefined,
      // A turn still running (e.g. after the person pressed Stop: the server finishes it), on any
      // instance: a client that stopped reading can wait for it to end and show its stored answer.
      turnRunning: turnHeld(conversation, this.#service.now()),
      resultRetentionSeconds: this.memory.retentionMs / 1000,
      messages: rows.map((row) => messageView(row, state)),
      pendingApprovals: await Promise.all(
        pending.map((row) => pendingApprovalView(this.#service, user, row, state, decided)),
      ),
      decidedApprovals: decided,
    };
  }

  async deleteConversation(user: Actor, conversationId: string): Promise<void> {
    const { conversations } = this.#dependencies;
    await conversations.ownConversation(user.id, conversationId);
    await conversations.deleteConversation(conversationId);
    this.memory.forget(conversationId);
  }

  /** A step's live details (input and result), or 410 once they left memory. */
  async getStep(user: Actor, conversationId: string, stepId: string) {
    await this.#dependencies.conversations.ownConversation(user.id, conversationId);
    const live = this.memory.get(conversationId)?.steps.get(stepId);
    if (!live) {
      throw new ServiceError(
        410,
        'step_results_expired',
        "This step's input and results are no longer kept: Forcefield holds Salesforce results in memory only while the conversation is live.",
      );
    }
    return viewOfStep(outlineOf(live), live);
  }

  // ------------------------------------------------------------------ turns

  /** Checks everything that can be refused up front, then answers the runner that streams the turn. */
  async beginMessage(user: Actor, conversationId: string, text: string): Promise<TurnRunner> {
    const dependencies = this.#dependencies;
    const conversation = await dependencies.conversations.ownConversation(user.id, conversationId);
    const agent = await findAgent(this.#service, conversation.agent_id);
    await checkSharedAccess(this.#service, user, agent);
    const hold = await acquireTurn(dependencies, conversationId);
    return runnerHoldingTurn(
      dependencies,
      hold,
      () => settleExpiredApprovals(dependencies, user, agent, conversationId, hold.state),
      (emit) =>
        // The message is stored with the answer's first row and the turn counted, in one commit
        // (start-turn.ts): nothing can refuse the turn after the checks above.
        startTurn(dependencies, {
          user,
          conversation,
          agent,
          userMessage: { new: true },
          advance: hold,
          text,
          emit,
          lease: hold.lease,
        }),
    );
  }

  /** Answers again the last message, e.g. after the person connected Salesforce. */
  async beginResume(user: Actor, conversationId: string): Promise<TurnRunner> {
    const dependencies = this.#dependencies;
    const conversation = await dependencies.conversations.ownConversation(user.id, conversationId);
    const agent = await findAgent(this.#service, conversation.agent_id);
    await checkSharedAccess(this.#service, user, agent);
    const rows = await dependencies.conversations.messages(conversationId);
    const lastUser = [...rows].reverse().find((row) => row.role === 'user');
    const last = rows.at(-1);
    if (!lastUser || !last || (last.role === 'assistant' && last.kind === 'message')) {
      throw new ServiceError(
        409,
        'nothing_to_resume',
        'The last message was already answered. Send a new one.',
      );
    }
    const hold = await acquireTurn(dependencies, conversationId);
    return runnerHoldingTurn(
      dependencies,
      hold,
      () => advanceHeldTurn(dependencies, hold),
      (emit) =>
        startTurn(dependencies, {
          user,
          conversation,
          agent,
          userMessage: { stored: lastUser.id },
          text: lastUser.text,
          emit,
          lease: hold.lease,
        }),
    );
  }

  /** Checks and records a decision; the runner then executes (once) or tells the model, and continues. */
  beginDecision(
    user: Actor,
    conversationId: string,
    approvalId: string,
    input: z.infer<typeof decisionSchema>,
  ): Promise<TurnRunner> {
    return beginDecision(this.#dependencies, user, conversationId, approvalId, input);
  }
}
