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
}

/**
 * What every tool answers in `structuredContent`: `ok`, then the tool's own fields (errorCode and
 * message when it failed, text for a record, cursor for more). Kept minimal: it is repeated in
 * every tool of tools/list.
 */
export const toolOutputSchema = z.looseObject({ ok: z.boolean() });

const ELICITATION_KEY = 'approval';
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
        inputSchema: toolInputSchemas[name],
        outputSchema: toolOutputSchema,
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
        inputSchema: z.object({ approvalId: z.string().min(1).max(100) }),
        outputSchema: toolOutputSchema,
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
    const approvalId = context.mcpReq.requestState<string>();
    if (typeof approvalId === 'string')
      return continueApproval(caller, { direct, server, context }, name, input, approvalId);
    // The agent as it is now: an admin may have changed a level since the session began.
    const agent = await agentForCaller(direct, caller.agent.row.id);
    const outcome = await callToolDirectly(direct, { agent, toolName: name, input });
    if (outcome.kind !== 'pending') return callToolResult(outcome);
    return askForApproval(caller, server, context, outcome.approval);
  });
}

/** A pending approval, asked through a form the client shows (elicitation), else as a link. */
function askForApproval(
  caller: AgentMcpCaller,
  server: McpServer,
  context: ServerContext,
  approval: ApprovalView,
) {
  if (!supportsFormElicitation(server, context)) {
    return pendingResult(approval, approvalUrl(caller, approval.approvalId));
  }
  return inputRequired({
    inputRequests: {
      [ELICITATION_KEY]: inputRequired.elicit({
        message: approvalQuestion(approval),
        requestedSchema: { type: 'object', properties: {} },
      }),
    },
    requestState: approval.approvalId,
  });
}

/**
 * The retry after the person answered the approval form: accept approves, decline rejects,
 * cancel leaves it pending. The echoed state is only an approval id and carries no authority:
 * the row must be this person's, for this agent, this tool and exactly this input.
 */
async function continueApproval(
  caller: AgentMcpCaller,
  request: { direct: DirectCaller; server: McpServer; context: ServerContext },
  name: ToolName,
  input: unknown,
  approvalId: string,
): Promise<CallToolResult | ReturnType<typeof inputRequired>> {
  const { direct, server, context } = request;
  const row = await findApproval(caller.services.context.store, approvalId);
  if (
    !row ||
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
  if (answer.kind !== 'elicit' || answer.action === 'cancel') {
    const url = approvalUrl(caller, approvalId);
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
  const decision = answer.action === 'accept' ? 'approve' : 'reject';
  const outcome = await decideDirectApproval(direct, { approvalId, decision });
  // The record changed after the person saw it (nothing written): asked again with its values now.
  if (outcome.kind === 'pending') return askForApproval(caller, server, context, outcome.approval);
  return callToolResult(outcome);
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
  return {
    service: caller.services.context,
    runtime: caller.services.agent,
    user: caller.user,
    clientName: clientNameOf(caller, server, context),
  };
}

/** The client's self-reported name: from the request envelope (2026), its initialize (2025), or the transport. */
function clientNameOf(caller: AgentMcpCaller, server: McpServer, context: ServerContext): string {
  const envelope = context.mcpReq.envelope as Record<string, { name?: unknown } | undefined> | undefined;
  const named =
    envelope?.[CLIENT_INFO_META_KEY]?.name ?? server.server.getClientVersion()?.name ?? caller.clientName;
  return typeof named === 'string' && named.trim() ? named.trim().slice(0, 100) : 'MCP client';
}

function supportsFormElicitation(server: McpServer, context: ServerContext): boolean {
  const envelope = context.mcpReq.envelope as
    | Record<string, { elicitation?: unknown } | undefined>
    | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.server.getClientCapabilities();
  const elicitation = capabilities?.elicitation as { form?: unknown; url?: unknown } | undefined;
  if (!elicitation) return false;
  // An empty elicitation capability means form mode (the 2025-06-18 shape).
  return elicitation.form !== undefined || elicitation.url === undefined;
}

export function approvalUrl(caller: Pick<AgentMcpCaller, 'publicUrl'>, approvalId: string): string {
  return `${caller.publicUrl.replace(/\/$/, '')}/mcp/approvals/${encodeURIComponent(approvalId)}`;
}

/** The hints without the title (the tool's own title carries it; tools/list stays small). */
function hintsOf(name: keyof typeof TOOL_ANNOTATIONS) {
  const { title: _title, ...hints } = TOOL_ANNOTATIONS[name];
  return hints;
}
