import type { DynamicToolUIPart, UIMessage } from 'ai';
import type {
  ApprovalRequest,
  ChatMessage,
  ChatStep,
  ConnectPrompt,
  ConversationDetail,
} from './chat-types.ts';

/**
 * The chat as `useChat` holds it: AI SDK UI messages with our data parts (the server's
 * `ChatUIMessage`, src/agent/turns/ui-message-chunks.ts; README "Chat protocol"). Pure functions:
 * the stored conversation as UI messages, the request body the page sends, and the parts a message
 * renders from.
 */

export interface ChatMessageMetadata {
  conversationId?: string;
  status?: 'complete' | 'awaiting_approval' | 'connect_required' | 'model_not_configured' | 'error';
}

// A type, not an interface: the AI SDK wants it assignable to Record<string, unknown>.
export type ChatDataParts = {
  step: ChatStep;
  approval: ApprovalRequest;
  /** A stored connect prompt keeps only its sentence; the streamed one has the links too. */
  connect: Pick<ConnectPrompt, 'message'> & Partial<ConnectPrompt>;
  notice: { code: string; message: string };
  error: { code: string; message: string };
};

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>;
type Part = ChatUIMessage['parts'][number];

/** The tool part of a step, in the state the step reached (a pending approval: `approval-requested`). */
function toolPart(step: ChatStep, pending: ApprovalRequest | undefined): DynamicToolUIPart {
  const base = { type: 'dynamic-tool' as const, toolName: step.tool, toolCallId: step.id };
  if (pending) {
    // The input the approval was asked for: its hash is what the server checks the answer against.
    return {
      ...base,
      state: 'approval-requested',
      input: pending.input,
      approval: { id: pending.approvalId },
    };
  }
  const input = step.input ?? null;
  switch (step.status) {
    case 'ok':
      return { ...base, state: 'output-available', input, output: step.result ?? null };
    case 'running':
      return { ...base, state: 'input-available', input };
    case 'rejected':
      return {
        ...base,
        state: 'output-denied',
        input,
        approval: { id: step.approvalId ?? step.id, approved: false },
      };
    default:
      return {
        ...base,
        state: 'output-error',
        input,
        errorText: step.reason ?? 'The tool call did not complete.',
      };
  }
}

function assistantParts(message: ChatMessage, pending: ApprovalRequest[]): Part[] {
  if (message.kind === 'connect_prompt') return [{ type: 'data-connect', data: { message: message.text } }];
  if (message.kind === 'notice') {
    return [{ type: 'data-notice', data: { code: 'notice', message: message.text } }];
  }
  const parts: Part[] = [];
  const stepIds = new Set(message.steps.map((step) => step.id));
  for (const step of message.steps) {
    parts.push({ type: 'data-step', id: step.id, data: step });
    parts.push(
      toolPart(
        step,
        pending.find((approval) => approval.toolCallId === step.id),
      ),
    );
  }
  // A pending call whose step is not in the message's outline still gets its tool part.
  for (const approval of pending) {
    if (approval.toolCallId && stepIds.has(approval.toolCallId)) continue;
    parts.push({
      type: 'dynamic-tool',
      toolName: approval.tool,
      toolCallId: approval.toolCallId ?? approval.approvalId,
      state: 'approval-requested',
      input: approval.input,
      approval: { id: approval.approvalId },
    });
  }
  for (const approval of pending)
    parts.push({ type: 'data-approval', id: approval.approvalId, data: approval });
  if (message.text) parts.push({ type: 'text', text: message.text, state: 'done' });
  return parts;
}

/**
 * The stored conversation (`GET /api/conversations/:id`) as UI messages: the same ids, parts and
 * states the stream gives, so `useChat` continues it (an open approval is a tool part in state
 * `approval-requested`; a decided one never is).
 */
export function toUIMessages(detail: ConversationDetail): ChatUIMessage[] {
  const placed = new Set<string>();
  const messages: ChatUIMessage[] = detail.messages.map((message) => {
    if (message.role === 'user') {
      return { id: message.id, role: 'user', parts: [{ type: 'text', text: message.text }] };
    }
    const pending = detail.pendingApprovals.filter((approval) => approval.messageId === message.id);
    for (const approval of pending) placed.add(approval.approvalId);
    return { id: message.id, role: 'assistant', parts: assistantParts(message, pending) };
  });
  const unplaced = detail.pendingApprovals.filter((approval) => !placed.has(approval.approvalId));
  if (unplaced.length > 0) {
    const holder: ChatMessage = {
      id: `approvals-${unplaced[0]?.approvalId}`,
      role: 'assistant',
      kind: 'message',
      text: '',
      steps: [],
      createdAt: '',
    };
    messages.push({ id: holder.id, role: 'assistant', parts: assistantParts(holder, unplaced) });
  }
  return messages;
}

function isToolPart(part: Part): part is Extract<Part, { toolCallId: string }> {
  return part.type === 'dynamic-tool' || part.type.startsWith('tool-');
}

/**
 * The body `DefaultChatTransport` sends, `{ id, messages, trigger, messageId }`, with only the last
 * message: the server keeps the conversation and reads nothing else. Of an assistant message only
 * the answered approval requests go back (never the Salesforce results the message holds).
 */
export function chatRequestBody(request: {
  id: string;
  messages: ChatUIMessage[];
  trigger: 'submit-message' | 'regenerate-message';
  messageId: string | undefined;
}) {
  const last = request.messages.at(-1);
  const sent =
    last?.role === 'assistant'
      ? {
          ...last,
          parts: last.parts.filter((part) => isToolPart(part) && part.state === 'approval-responded'),
        }
      : last;
  return {
    id: request.id,
    messages: sent ? [sent] : [],
    trigger: request.trigger,
    ...(request.messageId === undefined ? {} : { messageId: request.messageId }),
  };
}

export interface ApprovalCardState {
  approval: ApprovalRequest;
  /** Approve or Reject was pressed: the answer is on its way. */
  answered: boolean;
}

/** The approval cards of a message: each `data-approval` whose tool part still asks for that approval. */
export function approvalCardsOf(message: ChatUIMessage): ApprovalCardState[] {
  const tools = message.parts.filter(isToolPart);
  return message.parts.flatMap((part): ApprovalCardState[] => {
    if (part.type !== 'data-approval') return [];
    const approval = part.data;
    const tool = tools.find((entry) => entry.toolCallId === approval.toolCallId);
    if (!tool?.approval || tool.approval.id !== approval.approvalId) return [];
    if (tool.state === 'approval-requested') return [{ approval, answered: false }];
    if (tool.state === 'approval-responded') return [{ approval, answered: true }];
    return [];
  });
}

/** The steps of a message for Analyzed sources, in order (each `data-step` holds its latest state). */
export function stepsOf(message: ChatUIMessage): ChatStep[] {
  return message.parts.flatMap((part) => (part.type === 'data-step' ? [part.data] : []));
}

/** The readable failures the stream sent (`data-error`). */
export function streamErrorsOf(message: ChatUIMessage | undefined): string[] {
  return (message?.parts ?? []).flatMap((part) => (part.type === 'data-error' ? [part.data.message] : []));
}

/** Whether a message already says `words` (a streamed `data-error`, or the stored answer's text). */
export function says(message: ChatUIMessage | undefined, words: string): boolean {
  return (message?.parts ?? []).some(
    (part) =>
      (part.type === 'data-error' && part.data.message === words) ||
      (part.type === 'text' && words.length > 0 && part.text.includes(words)),
  );
}

/**
 * What a refused chat request says: the server answers refusals as JSON
 * (`{ error: { code, message } }`), which the transport hands over as the error's text.
 */
export function chatFailureMessage(error: unknown): string {
  if (error instanceof TypeError) {
    return 'Forcefield cannot be reached. Check your connection and try again.';
  }
  if (!(error instanceof Error)) return 'Something went wrong.';
  try {
    const body = JSON.parse(error.message) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // Not our JSON: the error's own words.
  }
  return error.message || 'Something went wrong.';
}
