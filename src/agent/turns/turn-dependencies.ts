import type { ServiceContext } from '../../platform/service-context.ts';
import type { ExecutionProbe } from '../dispatch/run-approved-call.ts';
import type { ModelOverride } from '../models/language-model.ts';
import type { ConversationMemory } from '../store/conversation-memory.ts';
import type { ConversationStore } from '../store/conversation-store.ts';

/** What the turn modules share: built once by AgentRuntime (agent-runtime.ts). */
export interface TurnDependencies {
  service: ServiceContext;
  memory: ConversationMemory;
  conversations: ConversationStore;
  /** How long a "Needs approval" call waits for a decision. */
  approvalTtlMs: number;
  modelOverride: ModelOverride | undefined;
  /** How long a turn holds its conversation without renewing (AGENT_TURN_LEASE_SECONDS). */
  turnLeaseMs: number;
  /** How long the instance executing an approved call holds it before resolvers may take it over. */
  executionLeaseMs: number;
  /** Tests stop an instance at a point of an approved call's execution (run-approved-call.ts). */
  executionProbe: ExecutionProbe | undefined;
}
