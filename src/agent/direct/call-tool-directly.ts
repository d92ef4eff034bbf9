import type { AuditEventInput } from '../../audit/audit-log.ts';
import { newId } from '../../core/ids.ts';
import type { ConversationsTable } from '../../store/agent-tables.ts';
import type { Store } from '../../store/database.ts';
import { dispatchToolCall } from '../dispatch/dispatch-tool-call.ts';
import { type Agent, findAgent } from '../store/agent-store.ts';
import { ToolFailure } from '../tools/tool-errors.ts';
import { checkSharedAccess, connectionFor } from '../turns/agent-connection.ts';
import type { ApprovalView, ConnectPrompt } from '../turns/chat-events.ts';
import { connectPrompt } from '../turns/connect-prompt.ts';
import { type LiveStep, outlineOf, type StepOutline } from '../turns/steps.ts';
import { type DirectCaller, directDependencies, directDispatchContext } from './direct-call-context.ts';

/** How a direct call ended, for the surface to shape. */
export type DirectCallOutcome =
  /** The tool ran (or was refused): `step` says how — ok, no_output_data, error, refused. */
  | { kind: 'result'; output: unknown; step: LiveStep }
  /** Salesforce could not serve it (down, limits, reconnect needed): a message the model can read. */
  | { kind: 'failure'; code: string; message: string; retryable: boolean; connect?: ConnectPrompt }
  /** "Needs approval": the approval row exists, nothing ran. */
  | { kind: 'pending'; approval: ApprovalView }
  /** A per-user agent and no usable connection: the person must connect first. */
  | { kind: 'connect'; prompt: ConnectPrompt };

/** The agent a caller may use (404 when there is none; 403, audited, when its shared connection is not theirs). */
export async function agentForCaller(caller: DirectCaller, agentId: string): Promise<Agent> {
  const agent = await findAgent(caller.service, agentId);
  await checkSharedAccess(caller.service, caller.user, agent);
  return agent;
}

/**
 * One tool call from an outside agent, through the same gate as the chat's (permissions, approval
 * pause, audit, step log). The step is stored as an outline in the person's conversation with
 * this agent and client; its input and result stay in memory only.
 */
export async function callToolDirectly(
  caller: DirectCaller,
  options: { agent: Agent; toolName: string; input: unknown },
): Promise<DirectCallOutcome> {
  const { agent } = options;
  const connection = await connectionFor(caller.service, caller.user, agent);
  const conversation = await directConversation(caller, agent);
  if (connection.kind === 'connect') {
    return { kind: 'connect', prompt: connectPrompt(caller.service, conversation.id, connection.reason) };
  }
  // The step's message is written once, after the call, with its outline (one write, not three),
  // in one transaction with the call's audit events: one commit per call, not two.
  const messageId = newId(caller.service.now());
  const auditEvents: AuditEventInput[] = [];
  const context = directDispatchContext(caller, {
    agent,
    connectionId: connection.connectionId,
    conversationId: conversation.id,
    messageId,
    accessChecked: connection.accessChecked,
    audit: { record: async (event) => auditEvents.push(event) },
  });
  const toolCallId = `mcp_${newId(caller.service.now())}`;
  const call = { toolCallId, toolName: options.toolName, input: options.input };
  try {
    const outcome = await dispatchToolCall(context, call);
    if (outcome.kind === 'pending') return outcome;
    return { kind: 'result', output: outcome.output, step: context.state.steps.get(toolCallId) as LiveStep };
  } catch (error) {
    if (!(error instanceof ToolFailure)) throw error;
    return {
      kind: 'failure',
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.needsReconnect
        ? { connect: connectPrompt(caller.service, conversation.id, 'needs_reconnect') }
        : {}),
    };
  } finally {
    const step = context.state.steps.get(toolCallId);
    const message = {
      id: messageId,
      conversationId: conversation.id,
      text: `${caller.clientName} called ${options.toolName}.`,
      outlines: step ? [outlineOf(step)] : [],
    };
    await caller.service.store.db.transaction().execute(async (transaction) => {
      for (const event of auditEvents) await caller.service.audit.record(event, transaction);
      await insertStepMessage(caller, transaction, message);
    });
  }
}

/** The assistant message holding one direct call's step outline (never its input or result). */
async function insertStepMessage(
  caller: DirectCaller,
  executor: Store['db'],
  message: { id: string; conversationId: string; text: string; outlines: StepOutline[] },
): Promise<void> {
  const at = new Date(caller.service.now()).toISOString();
  await executor
    .insertInto('conversation_messages')
    .values({
      id: message.id,
      conversation_id: message.conversationId,
      role: 'assistant',
      kind: 'message',
      text: message.text,
      steps: JSON.stringify(message.outlines),
      created_at: at,
      updated_at: at,
    })
    .execute();
}

/** The person's conversation with this agent from this client: found by title, else started. */
async function directConversation(caller: DirectCaller, agent: Agent): Promise<ConversationsTable> {
  const { service, user } = caller;
  const title = `MCP · ${caller.clientName}`.slice(0, 200);
  const existing = await service.store.db
    .selectFrom('conversations')
    .selectAll()
    .where('agent_id', '=', agent.row.id)
    .where('user_id', '=', user.id)
    .where('title', '=', title)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (existing) return existing;
  const now = service.now();
  const at = new Date(now).toISOString();
  const row: ConversationsTable = {
    id: newId(now),
    agent_id: agent.row.id,
    user_id: user.id,
    title,
    created_at: at,
    updated_at: at,
    turn_owner: null,
    turn_locked_until: null,
    turn_sequence: 0,
  };
  await directDependencies(caller).conversations.insertConversation(row);
  return row;
}
