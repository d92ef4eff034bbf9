import {
  type JSONSchema7,
  type JSONValue,
  jsonSchema,
  type LanguageModel,
  type ModelMessage,
  streamText,
  tool,
} from 'ai';
import { z } from 'zod';
import type { AuditAction } from '../audit/audit-actions.ts';
import { findUsableConnection } from '../connections/access.ts';
import { salesforceClientFor } from '../connections/connection-client.ts';
import type { Actor } from '../core/actor.ts';
import { notFound, ServiceError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type {
  AgentApprovalsTable as ApprovalRow,
  ConversationMessagesTable,
  ConversationsTable,
  MessageKind,
} from '../store/agent-tables.ts';
import { type Agent, findAgent } from './agent-store.ts';
import { type AgentSalesforceClient, toolDescriptions, toolInputSchemas } from './agent-tools.ts';
import {
  eraseExpiredSealedCalls,
  findApproval,
  openSealedCall,
  pendingApprovals,
  type SealedCall,
  settleApproval,
  toApprovalRequest,
} from './approval-store.ts';
import { decideApproval, MAX_REJECTION_REASON_LENGTH, rejectionToolResult } from './approvals.ts';
import { ConversationMemory, type ConversationState, type PendingCall } from './conversation-memory.ts';
import { type ModelOverride, resolveLanguageModel } from './model-providers.ts';
import { toolsOfferedToModel } from './permissions.ts';
import { type LiveStep, outlineOf, type StepOutline, viewOfStep } from './steps.ts';
import {
  auditCall,
  type ChatEvent,
  type ConnectPrompt,
  type DispatchContext,
  dispatchToolCall,
  type ModelToolCall,
  runAllowedCall,
} from './tool-dispatch.ts';
import { ToolFailure } from './tool-failures.ts';
import {
  acquireTurnLock,
  advanceTurn,
  releaseTurnLock,
  renewTurnLock,
  TURN_LEASE_MS,
  type TurnLease,
} from './turn-lock.ts';

/**
 * The chat: a person's message goes to the agent's model with the tools its settings offer; tool
 * calls go through the dispatcher; a "Needs approval" call pauses the turn until the person
 * decides, and the decision resumes it. What is stored: the conversation, the text of each message
 * and each step's outline. What is not: tool inputs and results (conversation-memory.ts).
 */

/** Model calls per turn: a model that keeps calling tools is stopped here. */
export const MAX_MODEL_CALLS_PER_TURN = 8;
export const MAX_MESSAGE_LENGTH = 20_000;

export const sendMessageSchema = z.strictObject({ text: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH) });
export const createConversationSchema = z.strictObject({
  agentId: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200).optional(),
});
export const decisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** The hash shown with the approval request: the decision is for exactly that input. */
  inputHash: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z
    .string()
    .max(MAX_REJECTION_REASON_LENGTH * 2)
    .optional(),
});

export type TurnStatus =
  | 'complete'
  | 'awaiting_approval'
  | 'connect_required'
  | 'model_not_configured'
  | 'error';

export interface MessageView {
  id: string;
  role: 'user' | 'assistant';
  kind: MessageKind;
  text: string;
  steps: ReturnType<typeof viewOfStep>[];
  createdAt: string;
}

export interface TurnResult {
  status: TurnStatus;
  message: MessageView;
}

export type Emit = (event: ChatEvent) => void;
export type TurnRunner = (emit: Emit) => Promise<TurnResult>;

const SYSTEM_GUIDANCE = [
  'You work with Salesforce through tools. Salesforce data is read live; never invent record ids — search or query first.',
  'Query and search results come as tables: `fields` names the columns once and each row holds the values in that order.',
  'A single record comes as text: `Object Id Name` on the first line, then one `Field=value` per line (empty fields left out).',
  'When a result has `more`, call next_page with its cursor only if you need more rows.',
  'If a tool answers NO_ACCESS, the connected Salesforce user may not see or change that data: tell the person, do not probe.',
  'If a tool answers REJECTED_BY_USER, the person declined: do not retry unless they ask.',
].join('\n');

interface Turn {
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

/** A turn's hold on its conversation: the database lease, and this process's memory if still current. */
interface TurnHold {
  lease: TurnLease;
  state: ConversationState | undefined;
}

export class AgentRuntime {
  readonly memory: ConversationMemory;
  readonly approvalTtlMs: number;
  readonly #service: ServiceContext;
  readonly #override: ModelOverride | undefined;

  constructor(service: ServiceContext, options: { modelOverride?: ModelOverride } = {}) {
    this.#service = service;
    this.#override = options.modelOverride;
    this.approvalTtlMs = service.config.AGENT_APPROVAL_TTL_SECONDS * 1000;
    this.memory = new ConversationMemory({
      // Never shorter than an approval's life: a pending call must outlive its approval window.
      retentionMs: Math.max(service.config.AGENT_RESULT_RETENTION_SECONDS * 1000, this.approvalTtlMs),
      now: service.now,
    });
  }

  // ------------------------------------------------------------------ conversations

  async createConversation(user: Actor, input: z.infer<typeof createConversationSchema>) {
    const agent = await findAgent(this.#service, input.agentId);
    await this.#checkSharedAccess(user, agent);
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
    await this.#service.store.db.insertInto('conversations').values(row).execute();
    return conversationView(row);
  }

  async listConversations(user: Actor) {
    const rows = await this.#service.store.db
      .selectFrom('conversations')
      .selectAll()
      .where('user_id', '=', user.id)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(conversationView);
  }

  async getConversation(user: Actor, conversationId: string) {
    const conversation = await this.#ownConversation(user, conversationId);
    const rows = await this.#messages(conversationId);
    const state = this.memory.get(conversationId);
    const pending = await pendingApprovals(this.#service.store, conversationId);
    return {
      conversation: conversationView(conversation),
      live: state !== undefined,
      resultRetentionSeconds: this.memory.retentionMs / 1000,
      messages: rows.map((row) => messageView(row, state)),
      pendingApprovals: pending.map((row) => {
        const live = state?.steps.get(row.tool_call_id)?.result as { approval?: unknown } | undefined;
        return (
          live?.approval ?? {
            approvalId: row.id,
            tool: row.tool_name,
            objectType: row.object_type,
            recordId: row.record_id,
            inputHash: row.input_hash,
            expiresAt: row.expires_at,
            status: row.status,
          }
        );
      }),
    };
  }

  async deleteConversation(user: Actor, conversationId: string): Promise<void> {
    await this.#ownConversation(user, conversationId);
    const { db } = this.#service.store;
    await db.deleteFrom('agent_approvals').where('conversation_id', '=', conversationId).execute();
    await db.deleteFrom('conversation_messages').where('conversation_id', '=', conversationId).execute();
    await db.deleteFrom('conversations').where('id', '=', conversationId).execute();
    this.memory.forget(conversationId);
  }

  /** A step's live details (input and result), or 410 once they left memory. */
  async getStep(user: Actor, conversationId: string, stepId: string) {
    await this.#ownConversation(user, conversationId);
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
    const conversation = await this.#ownConversation(user, conversationId);
    const agent = await findAgent(this.#service, conversation.agent_id);
    await this.#checkSharedAccess(user, agent);
    const hold = await this.#acquireTurn(conversationId);
    try {
      await this.#settleExpiredApprovals(user, agent, conversationId, hold.state);
      await this.#advance(hold);
    } catch (error) {
      await this.#releaseTurn(hold.lease);
      throw error;
    }
    return async (emit) => {
      try {
        const userMessage = await this.#insertMessage(conversationId, 'user', 'message', text);
        return await this.#startTurn(user, conversation, agent, userMessage.id, text, emit, hold.lease);
      } finally {
        await this.#releaseTurn(hold.lease);
      }
    };
  }

  /** Answers again the last message, e.g. after the person connected Salesforce. */
  async beginResume(user: Actor, conversationId: string): Promise<TurnRunner> {
    const conversation = await this.#ownConversation(user, conversationId);
    const agent = await findAgent(this.#service, conversation.agent_id);
    await this.#checkSharedAccess(user, agent);
    const rows = await this.#messages(conversationId);
    const lastUser = [...rows].reverse().find((row) => row.role === 'user');
    const last = rows.at(-1);
    if (!lastUser || !last || (last.role === 'assistant' && last.kind === 'message')) {
      throw new ServiceError(
        409,
        'nothing_to_resume',
        'The last message was already answered. Send a new one.',
      );
    }
    const hold = await this.#acquireTurn(conversationId);
    try {
      await this.#advance(hold);
    } catch (error) {
      await this.#releaseTurn(hold.lease);
      throw error;
    }
    return async (emit) => {
      try {
        return await this.#startTurn(user, conversation, agent, lastUser.id, lastUser.text, emit, hold.lease);
      } finally {
        await this.#releaseTurn(hold.lease);
      }
    };
  }

  async #startTurn(
    user: Actor,
    conversation: ConversationsTable,
    agent: Agent,
    userMessageId: string,
    text: string,
    emit: Emit,
    lease: TurnLease,
  ): Promise<TurnResult> {
    const connection = await this.#connectionFor(user, agent);
    if (connection.kind === 'connect') {
      const prompt = connectPrompt(this.#service, conversation.id, connection.reason);
      const row = await this.#insertMessage(conversation.id, 'assistant', 'connect_prompt', prompt.message);
      emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
      emit({ type: 'connect', connect: prompt });
      return this.#finishTurn('connect_required', row, undefined, emit);
    }
    const resolved = await resolveLanguageModel(this.#service, agent.model, this.#override);
    if (!resolved.ok) {
      const row = await this.#insertMessage(conversation.id, 'assistant', 'notice', resolved.message);
      emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
      emit({ type: 'notice', code: 'model_not_configured', message: resolved.message });
      return this.#finishTurn('model_not_configured', row, undefined, emit);
    }
    const state = this.memory.touch(conversation.id);
    state.turnSequence = lease.sequence;
    if (state.messages === null) state.messages = await this.#rebuildContext(conversation.id, userMessageId);
    state.messages.push({ role: 'user', content: text });
    const row = await this.#insertMessage(conversation.id, 'assistant', 'message', '');
    emit({ type: 'turn', conversationId: conversation.id, messageId: row.id });
    return this.#runModel({
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
      leaseRenewedAt: this.#service.now(),
    });
  }

  /** Checks and records a decision; the runner then executes (once) or tells the model, and continues. */
  async beginDecision(
    user: Actor,
    conversationId: string,
    approvalId: string,
    input: z.infer<typeof decisionSchema>,
  ): Promise<TurnRunner> {
    const service = this.#service;
    const row = await findApproval(service.store, approvalId);
    if (!row || row.conversation_id !== conversationId) throw notFound('Approval');
    const now = new Date(service.now());
    const auditDecision = (
      action: AuditAction,
      outcome: 'success' | 'denied' | 'failure',
      errorCode: string | null,
    ) =>
      service.audit.record({
        actorUserId: user.id,
        connectionId: row.connection_id,
        surface: 'agent',
        action,
        objectType: row.object_type,
        recordIds: row.record_id ? [row.record_id] : [],
        outcome,
        errorCode,
        detail: { agentId: row.agent_id, conversationId, tool: row.tool_name, approvalId },
      });
    const outcome = decideApproval(toApprovalRequest(row), {
      userId: user.id,
      decision: input.decision,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
      toolCallId: row.tool_call_id,
      inputHash: input.inputHash,
      now,
    });
    if (outcome.outcome === 'error') {
      if (outcome.code === 'expired') {
        await this.#expireApproval(row.id, row.conversation_id, row.tool_call_id, now);
        await auditDecision('agent.approval.expired', 'failure', 'expired');
        throw new ServiceError(410, 'approval_expired', outcome.message);
      }
      await auditDecision('agent.approval.refused', 'denied', outcome.code);
      if (outcome.code === 'not_your_approval') throw new ServiceError(403, outcome.code, outcome.message);
      throw new ServiceError(
        409,
        outcome.code,
        outcome.message,
        outcome.previous ? { previous: outcome.previous } : undefined,
      );
    }
    const conversation = await this.#ownConversation(user, conversationId);
    const agent = await findAgent(service, conversation.agent_id);
    const hold = await this.#acquireTurn(conversationId);
    const release = () => this.#releaseTurn(hold.lease);
    try {
      // The call comes from this process's memory when it paused the turn, otherwise from the
      // sealed copy in the row (another instance paused it, or this one restarted). Opened before
      // the decision is written: an approval that cannot run is expired, never approved.
      const remembered = hold.state?.pending.get(approvalId);
      const inMemory = remembered && remembered.inputHash === row.input_hash ? remembered : undefined;
      const sealed = inMemory ? undefined : openSealedCall(service.vault, row);
      if (!inMemory && !sealed) {
        await this.#expireApproval(row.id, row.conversation_id, row.tool_call_id, now);
        await auditDecision('agent.approval.expired', 'failure', 'call_not_available');
        throw new ServiceError(
          410,
          'approval_expired',
          'This action is no longer available. Ask the agent again.',
        );
      }
      const won = await settleApproval(service.store, approvalId, outcome.outcome, now);
      if (!won) {
        const current = await findApproval(service.store, approvalId);
        await auditDecision('agent.approval.refused', 'denied', 'already_decided');
        throw new ServiceError(
          409,
          'already_decided',
          `This action was already ${current?.status ?? 'decided'}.`,
          {
            previous: { status: current?.status },
          },
        );
      }
      await this.#advance(hold);
      const state =
        inMemory && hold.state
          ? hold.state
          : await this.#restorePausedTurn(row, sealed as SealedCall, hold.lease, now);
      const pending = state.pending.get(approvalId) as PendingCall;
      state.pending.delete(approvalId);
      await auditDecision(
        outcome.outcome === 'approved' ? 'agent.approval.approved' : 'agent.approval.rejected',
        'success',
        null,
      );
      const connectionId = row.connection_id;
      return async (emit) => {
        try {
          const step = state.steps.get(pending.toolCallId);
          const messageId = pending.messageId;
          emit({ type: 'turn', conversationId, messageId });
          const turnModel = await resolveLanguageModel(service, agent.model, this.#override);
          const messageRow = await this.#message(messageId);
          const turn: Turn = {
            user,
            conversation,
            agent,
            connectionId,
            model: turnModel.ok ? turnModel.model : (undefined as unknown as LanguageModel),
            messageId,
            state,
            text: messageRow?.text ?? '',
            emit,
            lease: hold.lease,
            leaseRenewedAt: service.now(),
          };
          const context = this.#dispatchContext(turn);
          let output: unknown;
          if (outcome.outcome === 'approved') {
            const liveStep: LiveStep = step ?? {
              id: pending.toolCallId,
              messageId,
              tool: pending.toolName,
              objectType: row.object_type,
              status: 'running',
              durationMs: null,
              recordIds: [],
              input: pending.input,
            };
            // Kept with the others so the turn's stored outline shows how this call ended.
            if (!step) this.memory.addStep(state, liveStep);
            liveStep.status = 'running';
            try {
              output = await runAllowedCall(context, liveStep, pending.input);
            } catch (error) {
              return await this.#failTurn(turn, error);
            }
          } else {
            output = rejectionToolResult(outcome.reason);
            if (step) {
              step.status = 'rejected';
              step.result = output;
              emit({ type: 'step', step: { ...step } });
            }
          }
          state.pausedResults.set(pending.toolCallId, output);
          if (state.pending.size > 0) {
            await this.#saveMessage(turn);
            return this.#finishTurn('awaiting_approval', await this.#messageOrThrow(messageId), state, emit);
          }
          this.#closePausedStep(state);
          if (!turnModel.ok) {
            emit({ type: 'notice', code: 'model_not_configured', message: turnModel.message });
            await this.#saveMessage(turn);
            return this.#finishTurn(
              'model_not_configured',
              await this.#messageOrThrow(messageId),
              state,
              emit,
            );
          }
          return await this.#runModel(turn);
        } finally {
          await release();
        }
      };
    } catch (error) {
      await release();
      throw error;
    }
  }

  /**
   * The paused turn of an approval, rebuilt on an instance that does not remember it: the model's
   * context from the stored text (as after the memory expired), then the paused step's assistant
   * message with the calls still waiting for a decision — this one and any other pending one of
   * the same message, from their sealed copies — so the model gets a result for each.
   */
  async #restorePausedTurn(
    approval: ApprovalRow,
    call: SealedCall,
    lease: TurnLease,
    now: Date,
  ): Promise<ConversationState> {
    const conversationId = approval.conversation_id;
    this.memory.forget(conversationId);
    const state = this.memory.touch(conversationId);
    state.turnSequence = lease.sequence;
    const others: Array<{ row: ApprovalRow; call: SealedCall }> = [];
    for (const row of await pendingApprovals(this.#service.store, conversationId)) {
      if (row.message_id !== approval.message_id || row.id === approval.id) continue;
      const sealed = openSealedCall(this.#service.vault, row);
      if (sealed && Date.parse(row.expires_at) > now.getTime()) others.push({ row, call: sealed });
      else await this.#expireApproval(row.id, conversationId, row.tool_call_id, now);
    }
    const calls = [{ row: approval, call }, ...others].sort((a, b) => a.row.id.localeCompare(b.row.id));
    for (const entry of calls) {
      state.pending.set(entry.row.id, {
        approvalId: entry.row.id,
        messageId: entry.row.message_id,
        toolCallId: entry.row.tool_call_id,
        toolName: entry.call.toolName,
        input: entry.call.input,
        inputHash: entry.row.input_hash,
        expiresAt: Date.parse(entry.row.expires_at),
        ...(entry.call.continuedTool ? { continuedTool: entry.call.continuedTool } : {}),
      });
    }
    state.pausedMessageId = approval.message_id;
    state.pausedCalls = calls.map((entry) => ({
      toolCallId: entry.row.tool_call_id,
      toolName: entry.call.toolName,
    }));
    const paused = await this.#message(approval.message_id);
    const waiting = new Set(calls.map((entry) => entry.row.tool_call_id));
    // Steps already taken in this answer elsewhere: their outlines only (results stay in memory).
    const earlier = paused
      ? (JSON.parse(paused.steps) as StepOutline[]).filter((outline) => !waiting.has(outline.id))
      : [];
    const note =
      earlier.length > 0
        ? `(Steps already taken in this answer; their results are not available here: ${earlier
            .map((outline) =>
              [outline.tool, outline.objectType, outline.recordIds.join(','), outline.status]
                .filter(Boolean)
                .join(' '),
            )
            .join('; ')}.)`
        : '';
    const text = [paused?.text ?? '', note].filter(Boolean).join('\n\n');
    state.messages = [
      ...(await this.#rebuildContext(conversationId, approval.message_id)),
      {
        role: 'assistant',
        content: [
          ...(text ? [{ type: 'text' as const, text }] : []),
          ...calls.map((entry) => ({
            type: 'tool-call' as const,
            toolCallId: entry.row.tool_call_id,
            toolName: entry.call.toolName,
            input: entry.call.input,
          })),
        ],
      },
    ];
    return state;
  }

  /** The model loop: stream a step, dispatch its tool calls, repeat until it answers or pauses. */
  async #runModel(turn: Turn): Promise<TurnResult> {
    const { state, agent, emit } = turn;
    const messages = state.messages ?? [];
    const offered = toolsOfferedToModel(agent.connector);
    const tools = Object.fromEntries(
      offered.map((name) => [
        name,
        // The schema is only described to the model here: the dispatcher validates every input itself.
        tool({
          description: toolDescriptions[name],
          inputSchema: jsonSchema(z.toJSONSchema(toolInputSchemas[name]) as JSONSchema7),
        }),
      ]),
    );
    const context = this.#dispatchContext(turn);
    for (let modelCall = 0; modelCall < MAX_MODEL_CALLS_PER_TURN; modelCall++) {
      const calls: ModelToolCall[] = [];
      let text = '';
      try {
        await this.#keepTurn(turn);
        const result = streamText({
          model: turn.model,
          system: [agent.row.instructions, SYSTEM_GUIDANCE].filter(Boolean).join('\n\n'),
          messages,
          tools,
          maxRetries: 1,
          // The SDK's default prints errors to the console, request bodies (Salesforce results) included.
          onError: () => {},
        });
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta') {
            await this.#keepTurn(turn);
            text += part.text;
            emit({ type: 'text', delta: part.text });
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
      } catch (error) {
        turn.text += text;
        return this.#modelFailed(turn, error);
      }
      turn.text += text;
      if (calls.length === 0) {
        await this.#saveMessage(turn);
        return this.#finishTurn('complete', await this.#messageOrThrow(turn.messageId), state, emit);
      }
      const results = new Map<string, unknown>();
      let paused = false;
      for (const call of calls) {
        try {
          await this.#keepTurn(turn);
          const outcome = await dispatchToolCall(context, call);
          if (outcome.kind === 'result') results.set(call.toolCallId, outcome.output);
          else paused = true;
        } catch (error) {
          return this.#failTurn(turn, error);
        }
      }
      if (paused) {
        state.pausedResults = results;
        state.pausedMessageId = turn.messageId;
        state.pausedCalls = calls.map((call) => ({ toolCallId: call.toolCallId, toolName: call.toolName }));
        await this.#saveMessage(turn);
        return this.#finishTurn('awaiting_approval', await this.#messageOrThrow(turn.messageId), state, emit);
      }
      messages.push(toolMessage(calls, results));
    }
    const notice = `The agent stopped after ${MAX_MODEL_CALLS_PER_TURN} steps without a final answer.`;
    emit({ type: 'notice', code: 'step_limit', message: notice });
    turn.text += turn.text ? `\n\n${notice}` : notice;
    await this.#saveMessage(turn);
    return this.#finishTurn('complete', await this.#messageOrThrow(turn.messageId), state, emit);
  }

  #closePausedStep(state: ConversationState): void {
    state.messages?.push(toolMessage(state.pausedCalls, state.pausedResults));
    state.pausedCalls = [];
    state.pausedResults = new Map();
    state.pausedMessageId = null;
  }

  async #modelFailed(turn: Turn, error: unknown): Promise<TurnResult> {
    // Only the error's kind and status: provider errors carry the request body, i.e. tool results.
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    this.#service.logger.warn(
      {
        errorName: error instanceof Error ? error.name : typeof error,
        statusCode,
        agentId: turn.agent.row.id,
      },
      'agent model call failed',
    );
    const message = `The AI model could not answer${typeof statusCode === 'number' ? ` (HTTP ${statusCode})` : ''}. Try again, or ask an admin to check the agent's model settings.`;
    turn.emit({ type: 'error', code: 'model_error', message });
    turn.text += turn.text ? `\n\n${message}` : message;
    await this.#saveMessage(turn);
    return this.#finishTurn('error', await this.#messageOrThrow(turn.messageId), turn.state, turn.emit);
  }

  async #failTurn(turn: Turn, error: unknown): Promise<TurnResult> {
    if (!(error instanceof ToolFailure)) throw error;
    if (error.needsReconnect) {
      const prompt = connectPrompt(this.#service, turn.conversation.id, 'needs_reconnect');
      turn.emit({ type: 'connect', connect: prompt });
    }
    turn.emit({ type: 'error', code: error.code, message: error.message });
    turn.text += turn.text ? `\n\n${error.message}` : error.message;
    await this.#saveMessage(turn);
    return this.#finishTurn(
      error.needsReconnect ? 'connect_required' : 'error',
      await this.#messageOrThrow(turn.messageId),
      turn.state,
      turn.emit,
    );
  }

  #dispatchContext(turn: Turn): DispatchContext {
    let client: Promise<AgentSalesforceClient> | undefined;
    return {
      store: this.#service.store,
      audit: this.#service.audit,
      now: this.#service.now,
      memory: this.memory,
      state: turn.state,
      agent: turn.agent,
      userId: turn.user.id,
      connectionId: turn.connectionId,
      conversationId: turn.conversation.id,
      messageId: turn.messageId,
      approvalTtlMs: this.approvalTtlMs,
      vault: this.#service.vault,
      // Access to the connection is checked again here, on every turn (sharing may have changed).
      client: () => {
        client ??= salesforceClientFor(this.#service, turn.user, turn.connectionId, 'agent');
        return client;
      },
      emit: turn.emit,
    };
  }

  async #finishTurn(
    status: TurnStatus,
    row: ConversationMessagesTable,
    state: ConversationState | undefined,
    emit: Emit,
  ): Promise<TurnResult> {
    const message = messageView(row, state);
    emit({ type: 'done', message: { status, ...message } });
    return { status, message };
  }

  /**
   * Pending calls nobody decided in time: the model is told they did not happen, then the chat
   * goes on. The database decides what is pending (any instance may hold a call); this process's
   * memory, when current, only adds what to tell the model.
   */
  async #settleExpiredApprovals(
    user: Actor,
    agent: Agent,
    conversationId: string,
    state: ConversationState | undefined,
  ): Promise<void> {
    const now = this.#service.now();
    const rows = await pendingApprovals(this.#service.store, conversationId);
    if (rows.some((row) => Date.parse(row.expires_at) > now)) {
      throw new ServiceError(
        409,
        'approval_pending',
        'An action is waiting for your approval: approve or reject it before sending another message.',
      );
    }
    if (state && state.pending.size > 0) {
      for (const call of state.pending.values()) {
        await this.#expireApproval(call.approvalId, conversationId, call.toolCallId, new Date(now));
        state.pausedResults.set(call.toolCallId, {
          ok: false,
          errorCode: 'APPROVAL_EXPIRED',
          message: 'Nobody approved this action in time, so it did not happen. Ask before trying again.',
        });
        const step = state.steps.get(call.toolCallId);
        if (step) {
          await auditCall(
            { audit: this.#service.audit, userId: user.id, connectionId: '', agent, conversationId },
            step,
            'agent.approval.expired',
            'failure',
            'expired',
          );
        }
      }
      state.pending.clear();
      this.#closePausedStep(state);
    }
    // Paused elsewhere, or before a restart: the model context is rebuilt from the stored text.
    for (const row of rows) {
      if (!state?.pending.has(row.id)) {
        await this.#expireApproval(row.id, conversationId, row.tool_call_id, new Date(now));
      }
    }
  }

  async #expireApproval(
    approvalId: string,
    conversationId: string,
    toolCallId: string,
    now: Date,
  ): Promise<void> {
    await settleApproval(this.#service.store, approvalId, 'expired', now);
    const state = this.memory.get(conversationId);
    const step = state?.steps.get(toolCallId);
    if (step) step.status = 'expired';
    const messageId = step?.messageId ?? (await findApproval(this.#service.store, approvalId))?.message_id;
    if (!messageId) return;
    const row = await this.#message(messageId);
    if (!row) return;
    const outlines = (JSON.parse(row.steps) as StepOutline[]).map((outline) =>
      outline.id === toolCallId ? { ...outline, status: 'expired' as const } : outline,
    );
    await this.#service.store.db
      .updateTable('conversation_messages')
      .set({ steps: JSON.stringify(outlines) })
      .where('id', '=', messageId)
      .execute();
  }

  // ------------------------------------------------------------------ connections

  async #checkSharedAccess(user: Actor, agent: Agent): Promise<void> {
    if (agent.connector.connectionMethod !== 'shared') return;
    try {
      await findUsableConnection(this.#service.store, user, agent.connector.sharedConnectionId ?? '');
    } catch (error) {
      if (!(error instanceof ServiceError && error.status === 404)) throw error;
      await this.#service.audit.record({
        actorUserId: user.id,
        connectionId: agent.connector.sharedConnectionId ?? null,
        surface: 'agent',
        action: 'agent.connection.refused',
        outcome: 'denied',
        errorCode: 'connection_not_shared',
        detail: { agentId: agent.row.id },
      });
      throw new ServiceError(
        403,
        'connection_not_shared',
        'This agent uses an organization Salesforce connection that is not shared with you. Ask an admin to share it.',
      );
    }
  }

  async #connectionFor(
    user: Actor,
    agent: Agent,
  ): Promise<{ kind: 'ok'; connectionId: string } | { kind: 'connect'; reason: ConnectPrompt['reason'] }> {
    if (agent.connector.connectionMethod === 'shared') {
      return { kind: 'ok', connectionId: agent.connector.sharedConnectionId ?? '' };
    }
    const rows = await this.#service.store.db
      .selectFrom('connections')
      .select(['id', 'status'])
      .where('kind', '=', 'personal')
      .where('created_by', '=', user.id)
      .where('status', '!=', 'revoked')
      .orderBy('id', 'desc')
      .execute();
    const active = rows.find((row) => row.status === 'active');
    if (active) return { kind: 'ok', connectionId: active.id };
    return { kind: 'connect', reason: rows.length > 0 ? 'needs_reconnect' : 'no_connection' };
  }

  // ------------------------------------------------------------------ storage

  /**
   * Takes the conversation's turn lock in the database (409 when a turn runs, on any instance),
   * and answers this process's memory of it only if no other instance took a turn since.
   */
  async #acquireTurn(conversationId: string): Promise<TurnHold> {
    const now = this.#service.now();
    // Sealed calls of approvals that expired since, in any conversation: erased at the next turn.
    await eraseExpiredSealedCalls(this.#service.store, new Date(now));
    const lease = await acquireTurnLock(this.#service.store, conversationId, now);
    if (!lease) {
      throw new ServiceError(
        409,
        'turn_in_progress',
        'The agent is still answering in this conversation. Try again when it has finished.',
      );
    }
    let state = this.memory.get(conversationId);
    if (state && state.turnSequence !== lease.sequence) {
      this.memory.forget(conversationId);
      state = undefined;
    }
    return { lease, state };
  }

  /** The turn goes ahead (no more refusals): counted, so other instances know their memory is stale. */
  async #advance(hold: TurnHold): Promise<void> {
    await advanceTurn(this.#service.store, hold.lease);
    if (hold.state) hold.state.turnSequence = hold.lease.sequence;
  }

  async #releaseTurn(lease: TurnLease): Promise<void> {
    try {
      await releaseTurnLock(this.#service.store, lease);
    } catch (error) {
      // The lease still runs out on its own; the turn's answer must not fail for this.
      this.#service.logger.warn(
        { conversationId: lease.conversationId, errorName: error instanceof Error ? error.name : 'unknown' },
        'agent turn lock not released',
      );
    }
  }

  /** Renews the turn's lease when a good part of it has passed: a long turn keeps its conversation. */
  async #keepTurn(turn: Turn): Promise<void> {
    const now = this.#service.now();
    if (now - turn.leaseRenewedAt < TURN_LEASE_MS / 4) return;
    turn.leaseRenewedAt = now;
    if (!(await renewTurnLock(this.#service.store, turn.lease, now))) {
      this.#service.logger.warn(
        { conversationId: turn.conversation.id },
        'agent turn lease ran out before the turn ended',
      );
    }
  }

  async #ownConversation(user: Actor, conversationId: string): Promise<ConversationsTable> {
    const row = await this.#service.store.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (!row) throw notFound('Conversation');
    return row;
  }

  #messages(conversationId: string) {
    return this.#service.store.db
      .selectFrom('conversation_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('id')
      .execute();
  }

  #message(id: string) {
    return this.#service.store.db
      .selectFrom('conversation_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async #messageOrThrow(id: string): Promise<ConversationMessagesTable> {
    const row = await this.#message(id);
    if (!row) throw notFound('Message');
    return row;
  }

  async #insertMessage(
    conversationId: string,
    role: 'user' | 'assistant',
    kind: MessageKind,
    text: string,
  ): Promise<ConversationMessagesTable> {
    const now = this.#service.now();
    const at = new Date(now).toISOString();
    const row: ConversationMessagesTable = {
      id: newId(now),
      conversation_id: conversationId,
      role,
      kind,
      text,
      steps: '[]',
      created_at: at,
      updated_at: at,
    };
    await this.#service.store.db.insertInto('conversation_messages').values(row).execute();
    await this.#service.store.db
      .updateTable('conversations')
      .set({ updated_at: at })
      .where('id', '=', conversationId)
      .execute();
    return row;
  }

  /** Stores the turn's text and its steps' outlines — never their inputs or results. */
  async #saveMessage(turn: Turn): Promise<void> {
    const outlines = [...turn.state.steps.values()]
      .filter((step) => step.messageId === turn.messageId)
      .map((step) => outlineOf(step));
    const previous = await this.#message(turn.messageId);
    const kept = previous ? (JSON.parse(previous.steps) as StepOutline[]) : [];
    const merged = [
      ...kept.filter((outline) => !outlines.some((step) => step.id === outline.id)),
      ...outlines,
    ];
    await this.#service.store.db
      .updateTable('conversation_messages')
      .set({
        text: turn.text,
        steps: JSON.stringify(merged),
        updated_at: new Date(this.#service.now()).toISOString(),
      })
      .where('id', '=', turn.messageId)
      .execute();
  }

  /** After the memory expired: the stored text of the conversation, without tool calls or results. */
  async #rebuildContext(conversationId: string, excludeMessageId: string): Promise<ModelMessage[]> {
    const rows = await this.#messages(conversationId);
    return rows
      .filter((row) => row.kind === 'message' && row.text !== '' && row.id !== excludeMessageId)
      .map((row) => ({ role: row.role, content: row.text }));
  }
}

function toolMessage(
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

function conversationView(row: ConversationsTable) {
  return {
    id: row.id,
    agentId: row.agent_id,
    userId: row.user_id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function messageView(row: ConversationMessagesTable, state: ConversationState | undefined): MessageView {
  const outlines = JSON.parse(row.steps) as StepOutline[];
  const live = [...(state?.steps.values() ?? [])].filter((step) => step.messageId === row.id);
  const ids = new Set(outlines.map((outline) => outline.id));
  const steps = [
    ...outlines.map((outline) => viewOfStep(outline, state?.steps.get(outline.id))),
    ...live.filter((step) => !ids.has(step.id)).map((step) => viewOfStep(outlineOf(step), step)),
  ];
  return { id: row.id, role: row.role, kind: row.kind, text: row.text, steps, createdAt: row.created_at };
}

export function connectPrompt(
  service: ServiceContext,
  conversationId: string,
  reason: ConnectPrompt['reason'],
): ConnectPrompt {
  const base = (service.config.PUBLIC_URL ?? '').replace(/\/$/, '');
  const returnTo = `/chat/${encodeURIComponent(conversationId)}`;
  return {
    reason,
    message:
      reason === 'needs_reconnect'
        ? 'Your Salesforce connection needs to be renewed. Reconnect Salesforce, then continue: your message will be answered.'
        : 'Connect your Salesforce account to use this agent: it works with what your Salesforce user can see and do. Once connected, continue and your message will be answered.',
    connectUrl: `${base}/connections?connect=personal&returnTo=${encodeURIComponent(returnTo)}`,
    start: {
      method: 'POST',
      path: '/api/connections/oauth/start',
      body: { kind: 'personal', loginHost: 'production' },
    },
    resumePath: `/api/conversations/${encodeURIComponent(conversationId)}/resume`,
  };
}
