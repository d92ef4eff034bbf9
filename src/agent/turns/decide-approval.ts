import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';

/**
 * The approval of a "Needs approval" tool call, as pure functions: the caller loads the request,
 * calls `decideApproval`, and stores the returned request. These functions decide; they cannot
 * make the store atomic, so the caller must save a decision only if the stored request is still
 * pending (compare-and-set on `status`) — that is what makes "Approve executes exactly once" hold
 * across instances, double clicks and replays. Whoever loses that race gets `already_decided`.
 *
 * A request is bound to one conversation, one person, one tool call and a SHA-256 of the call's
 * input in canonical JSON (keys sorted), so an approval cannot be moved to a different call or an
 * edited input, and key order does not matter.
 */

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface ApprovalRequest {
  conversationId: string;
  /** The person chatting: the only one who may decide. */
  userId: string;
  toolCallId: string;
  toolName: string;
  /** Hex SHA-256 of the canonical JSON of the tool input. */
  inputHash: string;
  createdAt: Date;
  expiresAt: Date;
  status: ApprovalStatus;
  decidedAt?: Date;
  reason?: string;
  /** True once an approval has been handed out for execution; it is never handed out again. */
  consumed: boolean;
}

export const DEFAULT_APPROVAL_TTL_MS = 15 * 60 * 1000;
export const MAX_REJECTION_REASON_LENGTH = 1000;

/** The hash an approval is bound to. Throws on input JSON cannot represent (see canonicalJson). */
export function hashToolInput(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

export function createApprovalRequest(options: {
  conversationId: string;
  userId: string;
  toolCallId: string;
  toolName: string;
  input: unknown;
  now: Date;
  ttlMs?: number;
}): ApprovalRequest {
  const ttlMs = options.ttlMs ?? DEFAULT_APPROVAL_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError('createApprovalRequest: ttlMs must be positive');
  return {
    conversationId: options.conversationId,
    userId: options.userId,
    toolCallId: options.toolCallId,
    toolName: options.toolName,
    inputHash: hashToolInput(options.input),
    createdAt: options.now,
    expiresAt: new Date(options.now.getTime() + ttlMs),
    status: 'pending',
    consumed: false,
  };
}

export interface ApprovalDecisionInput {
  userId: string;
  decision: 'approve' | 'reject';
  reason?: string;
  toolCallId: string;
  inputHash: string;
  now: Date;
}

export type ApprovalErrorCode = 'not_your_approval' | 'expired' | 'already_decided' | 'mismatch';

export type ApprovalOutcome =
  /** Execute the call now, exactly once; store `request`. */
  | { outcome: 'approved'; request: ApprovalRequest }
  /** Tell the model the person declined (with their reason); store `request`. */
  | { outcome: 'rejected'; request: ApprovalRequest; reason: string | undefined }
  | {
      outcome: 'error';
      code: ApprovalErrorCode;
      message: string;
      /** For `already_decided`: the decision that was made first. For `expired`: the request to store. */
      previous?: { status: ApprovalStatus; reason?: string };
      request?: ApprovalRequest;
    };

export function isApprovalExpired(request: ApprovalRequest, now: Date): boolean {
  return now.getTime() >= request.expiresAt.getTime();
}

/**
 * Applies a person's Approve or Reject. The checks run in an order that leaks nothing: someone
 * else learns only that it is not theirs; a decision for a different call or input learns only
 * that it does not match; then replays, then expiry.
 */
export function decideApproval(request: ApprovalRequest, decision: ApprovalDecisionInput): ApprovalOutcome {
  if (decision.userId !== request.userId) {
    return {
      outcome: 'error',
      code: 'not_your_approval',
      message: 'Only the person in this conversation can approve or reject this action.',
    };
  }
  if (decision.toolCallId !== request.toolCallId || decision.inputHash !== request.inputHash) {
    return {
      outcome: 'error',
      code: 'mismatch',
      message: 'This decision is for a different action or a different input than the one awaiting approval.',
    };
  }
  if (request.status !== 'pending' || request.consumed) {
    if (request.status === 'expired') {
      return { outcome: 'error', code: 'expired', message: 'This approval request has expired.' };
    }
    return {
      outcome: 'error',
      code: 'already_decided',
      message: `This action was already ${request.status}.`,
      previous: {
        status: request.status,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
      },
    };
  }
  if (isApprovalExpired(request, decision.now)) {
    return {
      outcome: 'error',
      code: 'expired',
      message: 'This approval request has expired. Ask the agent to try again.',
      request: { ...request, status: 'expired', decidedAt: decision.now },
    };
  }
  if (decision.decision === 'approve') {
    return {
      outcome: 'approved',
      request: { ...request, status: 'approved', decidedAt: decision.now, consumed: true },
    };
  }
  const reason = cleanReason(decision.reason);
  return {
    outcome: 'rejected',
    reason,
    request: {
      ...request,
      status: 'rejected',
      decidedAt: decision.now,
      ...(reason === undefined ? {} : { reason }),
    },
  };
}

function cleanReason(reason: string | undefined): string | undefined {
  const trimmed = reason?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_REJECTION_REASON_LENGTH
    ? trimmed.slice(0, MAX_REJECTION_REASON_LENGTH)
    : trimmed;
}

/** What the model is told after a rejection: that the person declined, and why if they said. */
export function rejectionToolResult(reason: string | undefined): {
  ok: false;
  errorCode: 'REJECTED_BY_USER';
  message: string;
} {
  return {
    ok: false,
    errorCode: 'REJECTED_BY_USER',
    message: reason
      ? `The person declined this action. Their reason: ${reason}`
      : 'The person declined this action. Do not retry it unless they ask.',
  };
}
