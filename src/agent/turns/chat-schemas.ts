import { z } from 'zod';
import { MAX_REJECTION_REASON_LENGTH } from './decide-approval.ts';

/** The inputs of the chat API, as the surfaces parse them. */

export const MAX_MESSAGE_LENGTH = 20_000;

export const sendMessageSchema = z.strictObject({ text: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH) });
export const createConversationSchema = z.strictObject({
  agentId: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200).optional(),
});
export const decisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** The hash shown with the approval request: the decision is for exactly that input. */
  inputHash: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z
    .string()
    .max(MAX_REJECTION_REASON_LENGTH * 2)
    .optional(),
});
