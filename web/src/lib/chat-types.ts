/** The chat API's shapes (src/agent/turns/chat-events.ts, steps.ts), as the app reads them. */

export type StepStatus =
  | 'running'
  | 'ok'
  | 'no_output_data'
  | 'error'
  | 'awaiting_approval'
  | 'rejected'
  | 'refused'
  | 'expired';

export interface ChatStep {
  id: string;
  tool: string;
  objectType: string | null;
  status: StepStatus;
  durationMs: number | null;
  recordIds: string[];
  reason?: string;
  code?: string;
  approvalId?: string;
  live?: boolean;
  input?: unknown;
  result?: unknown;
}

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  kind: 'message' | 'connect_prompt' | 'notice';
  text: string;
  steps: ChatStep[];
  createdAt: string;
}

export interface ApprovalRequest {
  approvalId: string;
  conversationId?: string;
  messageId?: string;
  toolCallId?: string;
  tool: string;
  objectType: string | null;
  recordId: string | null;
  input?: unknown;
  inputHash: string;
  currentValues?: Record<string, unknown>;
  currentValuesUnavailable?: string;
  /** Asked again: the record changed after an earlier Approve, so nothing was written. */
  recordChanged?: true;
  expiresAt: string;
  status: string;
}

/** A decided approval, as every later view shows it: who decided and when (never pending again). */
export interface DecidedApproval {
  approvalId: string;
  messageId: string;
  toolCallId: string;
  tool: string;
  objectType: string | null;
  recordId: string | null;
  status: 'approved' | 'rejected' | 'expired';
  decidedAt: string | null;
  decidedBy: { id: string; name: string } | null;
  execution: string | null;
  code: string | null;
}

export interface ConnectPrompt {
  reason: 'no_connection' | 'needs_reconnect';
  message: string;
  connectUrl: string;
  resumePath: string;
}

export interface Conversation {
  id: string;
  agentId: string;
  userId: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationDetail {
  conversation: Conversation;
  live: boolean;
  /** A turn still runs on the server (after Stop, it finishes there). */
  turnRunning?: boolean;
  resultRetentionSeconds: number;
  messages: ChatMessage[];
  pendingApprovals: ApprovalRequest[];
  decidedApprovals?: DecidedApproval[];
}
