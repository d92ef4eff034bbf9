import { z } from 'zod';
import { ServiceError } from '../../core/errors.ts';
import { MAX_MESSAGE_LENGTH } from './chat-schemas.ts';
import { hashToolInput, MAX_REJECTION_REASON_LENGTH } from './decide-approval.ts';

/**
 * What a `useChat` request (`POST /api/conversations/:id/chat`, the body `DefaultChatTransport`
 * sends: `{ id, messages, trigger, messageId }`) asks for. The server keeps the conversation: only
 * the last message is read, and only for the person's new text or their answer to an approval
 * request. A browser's history can never approve, replay or alter a call: the decision goes
 * through the same checks as `POST …/approvals/:approvalId` (the approval must be pending, the
 * person's, and for exactly the input shown — its hash is computed here from the part's input).
 */

const partSchema = z.looseObject({ type: z.string() });
const messageSchema = z.looseObject({
  id: z.string().max(200).optional(),
  role: z.enum(['user', 'assistant', 'system']),
  parts: z.array(partSchema).max(1000),
});
export const chatRequestSchema = z.looseObject({
  id: z.string().max(200).optional(),
  messages: z.array(messageSchema).min(1).max(10_000),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
  messageId: z.string().max(200).optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

const approvalAnswerSchema = z.looseObject({
  input: z.unknown(),
  approval: z.looseObject({
    id: z.string().min(1).max(64),
    approved: z.boolean(),
    reason: z
      .string()
      .max(MAX_REJECTION_REASON_LENGTH * 2)
      .optional(),
  }),
});

export type ChatAction =
  | { kind: 'message'; text: string }
  | { kind: 'resume' }
  | {
      kind: 'decision';
      approvalId: string;
      decision: { decision: 'approve' | 'reject'; inputHash: string; reason?: string };
    };

export function chatActionOf(request: ChatRequest): ChatAction {
  if (request.trigger === 'regenerate-message') return { kind: 'resume' };
  const last = request.messages.at(-1);
  if (last?.role === 'user') {
    const text = last.parts
      .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
      .join('\n')
      .trim();
    if (!text) throw new ServiceError(400, 'invalid_request', 'The message has no text.');
    if (text.length > MAX_MESSAGE_LENGTH) {
      throw new ServiceError(
        400,
        'invalid_request',
        `A message holds at most ${MAX_MESSAGE_LENGTH} characters.`,
      );
    }
    return { kind: 'message', text };
  }
  const answered = last?.parts.find(
    (part) =>
      (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) && part.state === 'approval-responded',
  );
  const answer = approvalAnswerSchema.safeParse(answered);
  if (!answer.success) {
    throw new ServiceError(
      400,
      'invalid_request',
      'Send a new user message, an answer to an approval request, or regenerate the last answer.',
    );
  }
  const { approval, input } = answer.data;
  return {
    kind: 'decision',
    approvalId: approval.id,
    decision: {
      decision: approval.approved ? 'approve' : 'reject',
      inputHash: hashToolInput(input ?? null),
      ...(approval.reason === undefined ? {} : { reason: approval.reason }),
    },
  };
}
