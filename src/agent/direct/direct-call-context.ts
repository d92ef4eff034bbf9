import { salesforceClientFor } from '../../connections/connection-client.ts';
import type { Actor } from '../../core/actor.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { DispatchAudit, DispatchContext } from '../dispatch/dispatch-context.ts';
import type { Agent } from '../store/agent-store.ts';
import type { AgentSalesforceClient } from '../tools/tool-catalog.ts';
import type { AgentRuntime } from '../turns/agent-runtime.ts';
import type { TurnDependencies } from '../turns/turn-dependencies.ts';

/**
 * Tool calls made directly by an outside agent (an MCP client is its own model): the same
 * dispatcher, approvals, memory and audit as the chat, without a model turn around them. Each
 * call is one assistant message of a conversation the person owns, so the steps show in their
 * activity like chat steps.
 */

/** Who calls, through which agent, from which client. */
export interface DirectCaller {
  service: ServiceContext;
  runtime: AgentRuntime;
  user: Actor;
  /** The client's self-reported name (MCP `clientInfo.name`), for the audit log. */
  clientName: string;
  /**
   * The Salesforce client for a call, when the surface keeps clients between calls (the MCP
   * server does, so a call does not build a client and a connection to Salesforce each time).
   * It must check the person's access to the connection on every call, unless told the call
   * already did (`accessChecked`: the read that chose the connection proved it, moments before).
   * Default: one per call.
   */
  salesforceClient?: (
    connectionId: string,
    options: { accessChecked: boolean },
  ) => Promise<AgentSalesforceClient>;
}

/** The turn modules' dependencies: the runtime's own (memory, execution lease and probe). */
export function directDependencies(caller: DirectCaller): TurnDependencies {
  return caller.runtime.dependencies;
}

/** The dispatcher's context for one direct call (or the execution of its approval). */
export function directDispatchContext(
  caller: DirectCaller,
  target: {
    agent: Agent;
    connectionId: string;
    conversationId: string;
    messageId: string;
    /** True when this call's own read of the connection proved the person may use it. */
    accessChecked?: boolean;
    /** Where the call's audit events go (default: the audit log, each at once). */
    audit?: DispatchAudit;
  },
): DispatchContext {
  const { service, runtime, user } = caller;
  let client: Promise<AgentSalesforceClient> | undefined;
  return {
    store: service.store,
    audit: target.audit ?? service.audit,
    now: service.now,
    memory: runtime.memory,
    state: runtime.memory.touch(target.conversationId),
    agent: target.agent,
    userId: user.id,
    connectionId: target.connectionId,
    conversationId: target.conversationId,
    messageId: target.messageId,
    approvalTtlMs: runtime.approvalTtlMs,
    vault: service.vault,
    // Access to the connection is checked on every call (sharing may have changed).
    client: () => {
      client ??= caller.salesforceClient
        ? caller.salesforceClient(target.connectionId, { accessChecked: target.accessChecked === true })
        : salesforceClientFor(service, user, target.connectionId, 'mcp');
      return client;
    },
    // Nobody streams a direct call: the caller reads the outcome.
    emit: () => {},
    surface: 'mcp',
    clientName: caller.clientName,
  };
}
