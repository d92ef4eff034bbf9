import type { AuditEventInput } from '../../audit/audit-log.ts';
import type { Store } from '../../store/database.ts';
import type { TokenVault } from '../../vault/token-vault.ts';
import type { Agent } from '../store/agent-store.ts';
import type { ConversationMemory, ConversationState } from '../store/conversation-memory.ts';
import type { AgentSalesforceClient } from '../tools/tool-catalog.ts';
import type { ApprovalView, ChatEvent } from '../turns/chat-events.ts';
import type { LiveStep, StepStatus } from '../turns/steps.ts';

/** What the dispatcher works with for one turn's tool calls, and what it answers. */

export interface ModelToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The AI SDK could not parse the call against the tool's schema (or the tool is unknown). */
  invalid?: boolean;
  error?: unknown;
}

/** Where a call's audit events go: the audit log, or a list written later in one transaction. */
export interface DispatchAudit {
  record(event: AuditEventInput): Promise<unknown>;
}

export interface DispatchContext {
  store: Store;
  audit: DispatchAudit;
  now: () => number;
  memory: ConversationMemory;
  state: ConversationState;
  agent: Agent;
  userId: string;
  connectionId: string;
  conversationId: string;
  messageId: string;
  approvalTtlMs: number;
  /** Seals a paused call into its approval row, so any instance can execute it once approved. */
  vault: TokenVault;
  /** The chatting person's Salesforce client, created on first use. */
  client: () => Promise<AgentSalesforceClient>;
  emit: (event: ChatEvent) => void;
  /** Where the call came from for the audit log: the chat's model (`agent`, the default) or an MCP client. */
  surface?: 'agent' | 'mcp';
  /** The MCP client's name (from its initialize request), recorded with each call it makes. */
  clientName?: string;
}

/** The audit surface and detail every event of a call carries: who made it, through what. */
export function callOrigin(context: Pick<DispatchContext, 'surface' | 'clientName'>): {
  surface: 'agent' | 'mcp';
  clientDetail: { client?: string };
} {
  return {
    surface: context.surface ?? 'agent',
    clientDetail: context.clientName === undefined ? {} : { client: context.clientName.slice(0, 100) },
  };
}

export type DispatchOutcome =
  | { kind: 'result'; output: unknown }
  | { kind: 'pending'; approval: ApprovalView };

/** A step as an event: a copy, so later changes to the live step do not rewrite what was sent. */
export function stepEvent(step: LiveStep): LiveStep {
  return { ...step };
}

/** Sets a step's final status and duration (milliseconds since `started`, by performance.now()). */
export function finishStep(
  step: LiveStep,
  status: StepStatus,
  started: number,
  extra: { code?: string; reason?: string } = {},
): void {
  step.status = status;
  step.durationMs = Math.round((performance.now() - started) * 100) / 100;
  if (extra.code !== undefined) step.code = extra.code;
  if (extra.reason !== undefined) step.reason = extra.reason;
}
