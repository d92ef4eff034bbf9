import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  inputRequired,
  inputResponse,
  McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { agentForCaller, callToolDirectly } from '../agent/direct/call-tool-directly.ts';
import { decideDirectApproval } from '../agent/direct/decide-direct-approval.ts';
import type { DirectCaller } from '../agent/direct/direct-call-context.ts';
import type { Agent } from '../agent/store/agent-store.ts';
import { findApproval } from '../agent/store/approval-store.ts';
import { toolDescriptions, toolInputSchemas } from '../agent/tools/tool-catalog.ts';
import { type ToolName, toolsOfferedToModel } from '../agent/tools/tool-permissions.ts';
import type { ApprovalView } from '../agent/turns/chat-events.ts';
import { hashToolInput } from '../agent/turns/decide-approval.ts';
import type { Actor } from '../core/actor.ts';
import { ServiceError } from '../core/errors.ts';
import type { Services } from '../services.ts';
import { approvalStatusResult } from './approval-status.ts';
import { cachedJsonSchema } from './cached-json-schema.ts';
import type { SalesforceClientCache } from './salesforce-client-cache.ts';
import { TOOL_ANNOTATIONS } from './tool-annotations.ts';
import { approvalQuestion, callToolResult, pendingResult } from './tool-results.ts';

/** Who the server instance serves: one person, one agent, reached at `publicUrl`. */
export interface AgentMcpCaller {
  services: Services;
  user: Actor;
  agent: Agent;
  /** The service's public origin, for approval and connect links. */
  publicUrl: string;
  /** The client's name when the transport knows it (stdio: from its initialize). */
  clientName?: string;
  /** Salesforce clients kept between calls (access still checked on every call). */
  salesforceClients?: SalesforceClientCache;
  /**
   * True when `agent` was read for this very request (the stateless 2026 revision): a tool call
   * then need not read it again. A 2025 session's server outlives the request it was built for.
   */
  agentReadForThisRequest?: boolean;
}

/**
 * What every tool answers in `structuredContent`: `ok`, then the tool's own fields (errorCode and
 * message when it failed, text for a record, cursor for more). Kept minimal: it is repeated in
 * every tool of tools/list.
 */
export const toolOutputSchema = z.looseObject({ ok: z.boolean() });

/** Every schema the server registers, each converted to JSON Schema once per process. */
const OUTPUT_SCHEMA = cachedJsonSchema(toolOutputSchema);
const INPUT_SCHEMAS = Object.fromEntries(
  Object.entries(toolInputSchemas).map(([name, schema]) => [name, cachedJsonSchema(schema)]),
) as typeof toolInputSchemas;
const APPROVAL_STATUS_INPUT = cachedJsonSchema(z.object({ approvalId: z.string().min(1).max(100) }));

const ELICITATION_KEY = 'approval';
/** What a retry carries back (no authority: the approval row is checked again). */
const APPROVAL_STATE = 'approval:';
const CONNECT_STATE = 'connect';
const APPROVAL_STATUS = 'approval_status';

/**
 * One MCP server instance for one person and one agent: the agent's tools at their levels
 * (Disabled ones are not registered, so they are neither listed nor callable), each with its
 * annotations, input and output schemas. Calls go through the chat's dispatcher
 * (agent/direct/), so permissions, approvals and audit are the same.
 */
export function createAgentMcpServer(caller: AgentMcpCaller): McpServer {
  const server = new McpServer(
    { name: 'forcefield', version: '0.1.0' },
    {
      capabilities: { tools: {} },
      instructions: `Salesforce tools of the Forcefield agent "${caller.agent.row.name}". Some actions need the person's approval; outputs are compact and paged (use next_page with a cursor).`,
    },
  );
  const offered = toolsOfferedToModel(caller.agent.connector);
  for (const name of offered) {
    server.registerTool(
      name,
      {
        title: TOOL_ANNOTATIONS[name].title,
        description: toolDescriptions[name],
        inputSchema: INPUT_SCHEMAS[name],
        outputSchema: OUTPUT_SCHEMA,
        annotations: hintsOf(name),
      },
      (input: unknown, context: ServerContext) => callTool(caller, server, name, input, context),
    );
  }
  if (
    offered.some(
      (name) => name !== 'next_page' && caller.agent.connector.permissions[name] === 'needs_approval',
    )
  ) {
    server.registerTool(
      APPROVAL_STATUS,
      {
        title: TOOL_ANNOTATIONS.approval_status.title,
        description:
          'Whether a pending approval was decided, and the result of the action once the person approved it.',
        inputSchema: APPROVAL_STATUS_INPUT,
        outputSchema: OUTPUT_SCHEMA,
        annotations: hintsOf(APPROVAL_STATUS),
      },
      ({ approvalId }: { approvalId: string }, context: ServerContext) =>
        guarded(() => approvalStatusResult(directCaller(caller, server, context), caller.agent, approvalId)),
    );
  }
  return server;
}

async function callTool(
  caller: AgentMcpCaller,
  server: McpServer,
  name: ToolName,
  input: unknown,
  context: ServerContext,
) {
  const direct = directCaller(caller, server, context);
  return guarded(async () => {
    const state = context.mcpReq.requestState<string>();
    const modes = elicitationModes(server, context);
    if (typeof state === 'string' && state.startsWith(APPROVAL_STATE)) {
      const approvalId = state.slice(APPROVAL_STATE.length);
      return continueApproval(caller, { direct, context, modes }, name, input, approvalId);
    }
    const retriedAfterConnect = state === CONNECT_STATE;
    if (retriedAfterConnect) {
      const answer = inputResponse(context.mcpReq.inputResponses, ELICITATION_KEY);
      if (answer.kind === 'elicit' && answer.action !== 'accept') {
        return notConnectedResult('The person did not connect Salesforce. The action did not run.');
      }
    }
    // The agent as it is now: an admin may have changed a level since the session began.
    const agent =
      agentReadForThisRequest(caller, context) ?? (await agentForCaller(direct, caller.agent.row.id));
    const outcome = await callToolDirectly(direct, { agent, toolName: name, input });
    if (outcome.kind === 'connect' && modes.url && !retriedAfterConnect) {
      // URL mode: the client sends the person to connect; the call runs again once they did.
      return inputRequired({
        inputRequests: {
          [ELICITATION_KEY]: inputRequired.elicitUrl({
            message: outcome.prompt.message,
            url: absoluteUrl(caller, outcome.prompt.connectUrl),
          }),
        },
        requestState: CONNECT_STATE,
      });
    }
    if (outcome.kind !== 'pending') return callToolResult(outcome);
    return askForApproval(caller, modes, outcome.approval);
  });
}

/**
 * A pending approval, asked through a form the client shows (form elicitation), or on the approval
 * page the client opens (URL mode), else answered as pending with the page's link.
 */
function askForApproval(
  caller: AgentMcpCaller,
  modes: { form: boolean; url: boolean },
  approval: ApprovalView,
) {
  const url = approvalUrl(caller, approval.approvalId);
  const requestState = `${APPROVAL_STATE}${approval.approvalId}`;
  if (modes.form) {
    return inputRequired({
      inputRequests: {
        [ELICITATION_KEY]: inputRequired.elicit({
          message: approvalQuestion(approval),
          requestedSchema: { type: 'object', properties: {} },
        }),
      },
      requestState,
    });
  }
  if (modes.url) {
    // URL mode: the person decides on the approval page (which runs the action once, if
    // approved); the retry then reads the outcome.
    return inputRequired({
      inputRequests: {
        [ELICITATION_KEY]: inputRequired.elicitUrl({
          message: `${approvalQuestion(approval).split('\n')[0]} Open the approval page to approve or reject it.`,
          url,
        }),
      },
      requestState,
    });
  }
  return pendingResult(approval, url);
}

/**
 * The retry after the person was asked. Form mode: accept approves, decline rejects, cancel leaves
 * it pending. URL mode: the decision was made on the approval page; accept means the person is
 * done there, so the retry answers what happened (the action's result once approved and run);
 * decline rejects a still-pending approval. The echoed state is only an approval id and carries
 * no authority: the row must be this person's, for this agent, this tool and exactly this input.
 */
async function continueApproval(
  caller: AgentMcpCaller,
  request: { direct: DirectCaller; context: ServerContext; modes: { form: boolean; url: boolean } },
  name: ToolName,
  input: unknown,
  approvalId: string,
): Promise<CallToolResult | ReturnType<typeof inputRequired>> {
  const { direct, context, modes } = request;
  const row = await findApproval(caller.services.context.store, approvalId);
  if (
    !row ||
    row.user_id !== caller.user.id ||
    row.agent_id !== caller.agent.row.id ||
    row.tool_name !== name ||
    row.input_hash !== hashToolInput(input)
  ) {
    throw new ServiceError(
      409,
      'mismatch',
      'This approval is for a different action or input. Call the tool again.',
    );
  }
  const answer = inputResponse(context.mcpReq.inputResponses, ELICITATION_KEY);
  const url = approvalUrl(caller, approvalId);
  if (!modes.form && answer.kind === 'elicit' && answer.action === 'accept') {
    const status = await approvalStatusResult(direct, caller.agent, approvalId);
    const pending = (status.structuredContent as { status?: unknown } | undefined)?.status === 'pending';
    return pending ? stillPending(url, approvalId) : status;
  }
  if (answer.kind !== 'elicit' || answer.action === 'cancel') return stillPending(url, approvalId);
  const decision = modes.form && answer.action === 'accept' ? 'approve' : 'reject';
  const outcome = await decideDirectApproval(direct, { approvalId, decision });
  // The record changed after the person saw it (nothing written): asked again with its values now.
  if (outcome.kind === 'pending') return askForApproval(caller, modes, outcome.approval);
  return callToolResult(outcome);
}

/**
 * The agent as the route read it for this very request, when it did (over HTTP): the server's own
 * (stateless requests), or the one this request brought to a 2025 session's server (built for an
 * earlier request) — only for the same person and agent, which the session already guarantees.
 */
function agentReadForThisRequest(caller: AgentMcpCaller, context: ServerContext): Agent | undefined {
  if (caller.agentReadForThisRequest) return caller.agent;
  const current = context.http?.authInfo?.extra?.caller as AgentMcpCaller | undefined;
  if (!current?.agentReadForThisRequest) return undefined;
  const same = current.user.id === caller.user.id && current.agent.row.id === caller.agent.row.id;
  return same ? current.agent : undefined;
}

function stillPending(url: string, approvalId: string): CallToolResult {
  return {
    content: [
      {
        type: 'text',
        text: `The person did not decide yet. The action did not run. They can decide at ${url}; then call ${APPROVAL_STATUS} with approvalId "${approvalId}".`,
      },
    ],
    structuredContent: { ok: false, status: 'pending_approval', approvalId, approvalUrl: url },
  };
}

function notConnectedResult(message: string): CallToolResult {
  const body = { ok: false, errorCode: 'CONNECT_SALESFORCE', message };
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

/** A refusal from the services (not yours, expired, already decided, no access) as a result the model reads. */
async function guarded(run: () => Promise<CallToolResult | ReturnType<typeof inputRequired>>) {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const body = { ok: false, errorCode: error.code.toUpperCase(), message: error.message };
    return {
      content: [{ type: 'text' as const, text: JSON.stringify(body) }],
      structuredContent: body,
      isError: true,
    };
  }
}

function directCaller(caller: AgentMcpCaller, server: McpServer, context: ServerContext): DirectCaller {
  const { salesforceClients } = caller;
  const service = caller.services.context;
  return {
    service,
    runtime: caller.services.agent,
    user: caller.user,
    clientName: clientNameOf(caller, server, context),
    ...(salesforceClients
      ? {
          salesforceClient: (connectionId: string, options: { accessChecked: boolean }) =>
            salesforceClients.clientFor(service, caller.user, connectionId, options),
        }
      : {}),
  };
}

/** The client's self-reported name: from the request envelope (2026), its initialize (2025), or the transport. */
function clientNameOf(caller: AgentMcpCaller, server: McpServer, context: ServerContext): string {
  const envelope = context.mcpReq.envelope as Record<string, { name?: unknown } | undefined> | undefined;
  const named =
    envelope?.[CLIENT_INFO_META_KEY]?.name ?? server.server.getClientVersion()?.name ?? caller.clientName;
  return typeof named === 'string' && named.trim() ? named.trim().slice(0, 100) : 'MCP client';
}

/**
 * Which elicitation modes the client declared: from the request envelope (2026) or its initialize
 * (2025). An empty elicitation capability means form mode (the 2025-06-18 shape).
 */
function elicitationModes(server: McpServer, context: ServerContext): { form: boolean; url: boolean } {
  const envelope = context.mcpReq.envelope as
    | Record<string, { elicitation?: unknown } | undefined>
    | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.server.getClientCapabilities();
  const elicitation = capabilities?.elicitation as { form?: unknown; url?: unknown } | undefined;
  if (!elicitation) return { form: false, url: false };
  const url = elicitation.url !== undefined;
  return { form: elicitation.form !== undefined || !url, url };
}

/** A link as the person's browser needs it: absolute, on the service's public URL. */
function absoluteUrl(caller: Pick<AgentMcpCaller, 'publicUrl'>, link: string): string {
  return new URL(link, `${caller.publicUrl.replace(/\/$/, '')}/`).toString();
}

export function approvalUrl(caller: Pick<AgentMcpCaller, 'publicUrl'>, approvalId: string): string {
  return `${caller.publicUrl.replace(/\/$/, '')}/mcp/approvals/${encodeURIComponent(approvalId)}`;
}

/** The hints without the title (the tool's own title carries it; tools/list stays small). */
function hintsOf(name: keyof typeof TOOL_ANNOTATIONS) {
  const { title: _title, ...hints } = TOOL_ANNOTATIONS[name];
  return hints;
}
