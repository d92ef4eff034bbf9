import type { AuditSurface, Role } from '../core/actor.ts';

export type { AuditSurface, Role };

import type { AgentTables } from './agent-tables.ts';
import type { McpOAuthTables } from './mcp-oauth-tables.ts';
import type { TranscriptTables } from './transcript-tables.ts';

/**
 * The service's tables. Portable across SQLite and PostgreSQL: ids are text (sortable,
 * time-prefixed), timestamps are ISO-8601 UTC text, booleans are integers (0/1), lists are JSON text.
 */

export type ConnectionKind = 'personal' | 'organization';
export type ConnectionStatus = 'active' | 'needs_reconnect' | 'revoked';
export type PrincipalType = 'user' | 'group' | 'team';
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  created_at: string;
  disabled_at: string | null;
}

export interface GroupsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself lives only in the user's cookie. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the key; the key is shown once at creation. */
  key_hash: string;
  /** The first characters of the key, to recognise it in a list. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginAttemptsTable {
  /** What is throttled: `email:<address>` or `ip:<address>`. */
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface OAuthStatesTable {
  /** SHA-256 of the `state` value sent to Salesforce. */
  state_hash: string;
  user_id: string;
  session_id: string | null;
  /** Encrypted PKCE code verifier. */
  code_verifier: string;
  login_host: string;
  connection_kind: ConnectionKind;
  /** JSON: what to do with the connection once authorized (name, reconnect target, …). */
  request: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ConnectionsTable {
  id: string;
  kind: ConnectionKind;
  name: string;
  created_by: string;
  created_at: string;
  salesforce_org_id: string;
  salesforce_user_id: string;
  username: string;
  display_name: string;
  email: string | null;
  instance_url: string;
  login_host: string;
  identity_url: string;
  scopes: string;
  status: ConnectionStatus;
  /** Encrypted tokens (key id + AES-256-GCM ciphertext); null once disconnected. */
  access_token: string | null;
  refresh_token: string | null;
  /** Incremented on every token change: refreshes compare-and-set on it. */
  token_version: number;
  token_refreshed_at: string | null;
  last_used_at: string | null;
  api_usage_used: number | null;
  api_usage_max: number | null;
  api_usage_at: string | null;
}

export interface ConnectionSharesTable {
  connection_id: string;
  principal_type: PrincipalType;
  /** A user or group id; '*' for the whole team. */
  principal_id: string;
  created_at: string;
}

export interface AuditEventsTable {
  /** Time-ordered id: sorting by id sorts by time. */
  id: string;
  at: string;
  actor_user_id: string | null;
  connection_id: string | null;
  surface: AuditSurface;
  action: string;
  object_type: string | null;
  /** JSON array of Salesforce record ids. */
  record_ids: string;
  outcome: AuditOutcome;
  error_code: string | null;
  /** JSON object of non-sensitive facts (never field values or tokens). */
  detail: string;
  /** The agent the event concerns (its detail's agentId), for filtering by agent. */
  agent_id: string | null;
}

/** The agent connector's tables are declared beside its code (agent/agent-tables.ts). */
export interface Database extends AgentTables, McpOAuthTables, TranscriptTables {
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  login_attempts: LoginAttemptsTable;
  oauth_states: OAuthStatesTable;
  connections: ConnectionsTable;
  connection_shares: ConnectionSharesTable;
  audit_events: AuditEventsTable;
  meetings: MeetingsTable;
  meeting_participants: MeetingParticipantsTable;
  meeting_items: MeetingItemsTable;
  meeting_shares: MeetingSharesTable;
  meeting_sends: MeetingSendsTable;
  workspace_settings: WorkspaceSettingsTable;
}

// --- Meeting insights (migration 0002-meetings) ------------------------------------------------

export interface MeetingsTable {
  id: string;
  title: string;
  start_time: string;
  end_time: string;
  /** Who created it through the API; null for the CLI import and the demo seed. */
  created_by: string | null;
  source: 'api' | 'import' | 'demo' | 'intake';
  created_at: string;
}

export interface MeetingParticipantsTable {
  meeting_id: string;
  position: number;
  name: string;
  /** Lowercased: visibility matches it to workspace users' emails. */
  email: string;
  internal: number;
}

export interface MeetingItemsTable {
  meeting_id: string;
  item_id: string;
  position: number;
  kind: string;
  text: string;
  owner_email: string | null;
  due_date: string | null;
  /** Migration 0009: JSON evidence quotes of a summary item; null for items imported as text. */
  evidence: string | null;
  /** Migration 0009: 'summary' for items the summariser made; null otherwise. */
  origin: string | null;
  /** Migration 0009: null (open), 'dismissed' or 'done'. */
  review_status: string | null;
  /** Migration 0009: why a summary item needs a closer look (some evidence did not verify). */
  flag: string | null;
  /** Migration 0009: the owner as the transcript names them, when not a participant with an email. */
  owner_name: string | null;
}

export interface MeetingSharesTable {
  meeting_id: string;
  principal_type: 'user' | 'group';
  principal_id: string;
  created_at: string;
}

export type MeetingSendStatus = 'pending' | 'unknown' | 'succeeded' | 'failed';

/** The send journal: what was sent (never Salesforce field values) and how it ended. */
export interface MeetingSendsTable {
  id: string;
  /** Unique in the workspace (the service is one workspace). */
  idempotency_key: string;
  user_id: string;
  meeting_id: string;
  item_id: string;
  connection_id: string;
  /** The Salesforce user the connection acts as: the record's creator, for the marker lookup. */
  salesforce_user_id: string;
  kind: string;
  object_type: string;
  record_type: string;
  record_id: string;
  /** SHA-256 of the send's input: the same key with other values is refused. */
  request_hash: string;
  status: MeetingSendStatus;
  /** Changes on every attempt: completions compare-and-set on it. */
  attempt_id: string;
  attempts: number;
  first_sent_at: string;
  /** When the last Salesforce write attempt began: the settle time counts from it. */
  attempt_started_at: string;
  /** Until when the attempt holding a `pending` row is presumed alive. */
  lease_until: string | null;
  salesforce_id: string | null;
  salesforce_url: string | null;
  error_code: string | null;
  created_at: string;
  completed_at: string | null;
  /** The instance holding the attempt (migration 0005); null on rows written before it. */
  owner_instance: string | null;
  /** An Enhanced Note's title: its lookup reads only notes of that title (migration 0005). */
  lookup_title: string | null;
}

export interface WorkspaceSettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
}
