import type { MessageKind } from '../../store/agent-tables.ts';
import type { LiveStep, StepView } from './steps.ts';

/**
 * What a turn tells its surface as it runs (the events streamed as Server-Sent Events or collected
 * into one JSON answer) and what it answers when it ends.
 */

export interface ApprovalView {
  approvalId: string;
  conversationId: string;
  messageId: string;
  toolCallId: string;
  tool: string;
  objectType: string | null;
  recordId: string | null;
  input: unknown;
  inputHash: string;
  /** For update and delete: the record's values now, read live, for the fields that would change. */
  currentValues?: Record<string, unknown>;
  /** Why the current values could not be shown (our wording). */
  currentValuesUnavailable?: string;
  /**
   * Set when this asks again for a call already approved: the record changed after the person was
   * shown it, so the conditional write was refused (412, nothing written); these are the new values.
   */
  recordChanged?: true;
  expiresAt: string;
  status: 'pending';
}

export interface ConnectPrompt {
  reason: 'no_connection' | 'needs_reconnect';
  message: string;
  /** Where the web app's connect flow starts (its page), and the API call that starts it. */
  connectUrl: string;
  start: {
    method: 'POST';
    path: '/api/connections/oauth/start';
    body: { kind: 'personal'; loginHost: 'production' };
  };
  /** Call after connecting to answer the message that was waiting. */
  resumePath: string;
}

export type ChatEvent =
  | { type: 'turn'; conversationId: string; messageId: string }
  | { type: 'text'; delta: string }
  | { type: 'step'; step: LiveStep }
  | { type: 'approval'; approval: ApprovalView }
  | { type: 'connect'; connect: ConnectPrompt }
  | { type: 'notice'; code: string; message: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'done'; message: unknown };

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
  steps: StepView[];
  createdAt: string;
}

export interface TurnResult {
  status: TurnStatus;
  message: MessageView;
}

export type Emit = (event: ChatEvent) => void;
/** A turn that passed every up-front check: runs when the surface is ready to stream its events. */
export type TurnRunner = (emit: Emit) => Promise<TurnResult>;
