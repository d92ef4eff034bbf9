/**
 * The agent connector's tables (migration 0003-agents). What is kept here is deliberately thin:
 * agents and their settings, model provider keys (encrypted), conversations with the text of their
 * messages, step outlines without inputs or results, and approvals bound to a hash of the input.
 * Salesforce data — tool inputs, tool results, current values shown in approvals — never lands in
 * these tables: it lives in the conversation memory (conversation-memory.ts) for a bounded time.
 */

export type ModelProviderKind = 'openai' | 'anthropic' | 'google' | 'openai_compatible';
export type MessageRole = 'user' | 'assistant';
/** `message`: text the person or the model wrote; `connect_prompt` and `notice`: the service's own words. */
export type MessageKind = 'message' | 'connect_prompt' | 'notice';
export type StoredApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface AgentsTable {
  id: string;
  name: string;
  instructions: string;
  model_provider: ModelProviderKind;
  model_id: string;
  /** A provider configured through the API; null means the provider's environment settings. */
  model_provider_id: string | null;
  /** JSON of ConnectorSettings (permissions.ts). */
  connector: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ModelProvidersTable {
  id: string;
  kind: ModelProviderKind;
  name: string;
  base_url: string | null;
  /** Vault ciphertext bound to the row (modelProviderKeyContext). */
  api_key: string;
  /** 0 when no key was given (api_key then seals an empty string). */
  has_api_key: number;
  created_by: string;
  created_at: string;
}

export interface ConversationsTable {
  id: string;
  agent_id: string;
  user_id: string;
  title: string;
  created_at: string;
  updated_at: string;
  /** Who holds the turn lock (a random token per turn), until `turn_locked_until`; see turn-lock.ts. */
  turn_owner: string | null;
  turn_locked_until: string | null;
  /** Turns taken so far: an instance whose memory saw an older count knows another one answered since. */
  turn_sequence: number;
}

export interface ConversationMessagesTable {
  id: string;
  conversation_id: string;
  role: MessageRole;
  kind: MessageKind;
  text: string;
  /** JSON array of StepOutline: tool, object, status, duration, record ids — never inputs or results. */
  steps: string;
  created_at: string;
  updated_at: string;
}

export interface AgentApprovalsTable {
  id: string;
  conversation_id: string;
  message_id: string;
  user_id: string;
  agent_id: string;
  connection_id: string;
  tool_call_id: string;
  tool_name: string;
  object_type: string | null;
  record_id: string | null;
  /** SHA-256 of the canonical JSON of the input; the input itself stays in memory. */
  input_hash: string;
  status: StoredApprovalStatus;
  /** 1 once handed out for execution: never handed out again. */
  consumed: number;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  /**
   * The call to execute once approved — `{ toolName, input }` — encrypted with the vault, so any
   * instance can run it. Erased when the approval is decided, and once it has expired.
   */
  sealed_call: string | null;
  /**
   * The execution record of an approved call (src/agent/dispatch/approval-execution.ts): null until
   * approved, then claimed → sending → executed | failed | not_executed (through resolving when an
   * instance died mid-call). Kept until final, with the sealed call, so any instance can finish it.
   */
  execution: ApprovalExecutionState | null;
  /** Until when the instance that holds the execution may finish it alone. */
  execution_lease_until: string | null;
  /** When the request to Salesforce was about to leave: where a lookup starts. */
  execution_started_at: string | null;
  /** JSON array of the record ids the call touched, once executed. */
  execution_record_ids: string | null;
  execution_error_code: string | null;
}

export type ApprovalExecutionState =
  | 'claimed'
  | 'sending'
  | 'resolving'
  | 'executed'
  | 'failed'
  | 'not_executed';

export interface AgentTables {
  agents: AgentsTable;
  model_providers: ModelProvidersTable;
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
  agent_approvals: AgentApprovalsTable;
}
