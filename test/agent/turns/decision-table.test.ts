import { describe, expect, it } from 'vitest';
import {
  type ApprovalDecisionInput,
  type ApprovalOutcome,
  type ApprovalRequest,
  createApprovalRequest,
  decideApproval,
  hashToolInput,
  MAX_REJECTION_REASON_LENGTH,
} from '../../../src/agent/turns/decide-approval.ts';
import { decisionRefusal } from '../../../src/agent/turns/decision-flow.ts';

/**
 * The approval decision as a table: every kind of request a person can meet (theirs or not, the
 * call shown or another, pending, decided, consumed or expired, before or after its expiry) against
 * Approve and Reject, with the one outcome each must give — and what each refusal means for the
 * API and the audit trail.
 */

const CREATED = new Date('2026-03-02T10:00:00.000Z');
const TTL_MS = 60_000;
const EXPIRES = new Date(CREATED.getTime() + TTL_MS);
const INPUT = { objectType: 'Task', id: '00T8d0000000001AAA', fields: { Priority: 'High' } };

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    ...createApprovalRequest({
      conversationId: 'conversation_1',
      userId: 'user_bob',
      toolCallId: 'call_1',
      toolName: 'update_record',
      input: INPUT,
      now: CREATED,
      ttlMs: TTL_MS,
    }),
    ...overrides,
  };
}

function decision(overrides: Partial<ApprovalDecisionInput> = {}): ApprovalDecisionInput {
  return {
    userId: 'user_bob',
    decision: 'approve',
    toolCallId: 'call_1',
    inputHash: hashToolInput(INPUT),
    now: new Date(CREATED.getTime() + 1000),
    ...overrides,
  };
}

const beforeExpiry = new Date(EXPIRES.getTime() - 1);
const afterExpiry = new Date(EXPIRES.getTime() + 1);
const decided = { decidedAt: CREATED };

type Expected =
  | { outcome: 'approved' }
  | { outcome: 'rejected'; reason: string | undefined }
  | { outcome: 'error'; code: string; previous?: { status: string; reason?: string }; expiresRequest?: true };

const table: Array<[string, Partial<ApprovalRequest>, Partial<ApprovalDecisionInput>, Expected]> = [
  ['approve, pending, in time', {}, {}, { outcome: 'approved' }],
  ['approve one millisecond before expiry', {}, { now: beforeExpiry }, { outcome: 'approved' }],
  [
    'reject with a reason (trimmed)',
    {},
    { decision: 'reject', reason: '  Wrong account  ' },
    { outcome: 'rejected', reason: 'Wrong account' },
  ],
  ['reject without a reason', {}, { decision: 'reject' }, { outcome: 'rejected', reason: undefined }],
  [
    'reject with a blank reason',
    {},
    { decision: 'reject', reason: '   ' },
    { outcome: 'rejected', reason: undefined },
  ],
  [
    'reject with an over-long reason (cut)',
    {},
    { decision: 'reject', reason: 'x'.repeat(MAX_REJECTION_REASON_LENGTH + 5) },
    { outcome: 'rejected', reason: 'x'.repeat(MAX_REJECTION_REASON_LENGTH) },
  ],
  ['someone else approves', {}, { userId: 'user_carol' }, { outcome: 'error', code: 'not_your_approval' }],
  [
    'someone else rejects',
    {},
    { userId: 'user_carol', decision: 'reject' },
    { outcome: 'error', code: 'not_your_approval' },
  ],
  [
    'someone else, another call, after expiry: still only "not yours"',
    {},
    { userId: 'user_carol', toolCallId: 'call_2', now: afterExpiry },
    { outcome: 'error', code: 'not_your_approval' },
  ],
  [
    'someone else, on an approved request',
    { status: 'approved', consumed: true, ...decided },
    { userId: 'user_carol' },
    { outcome: 'error', code: 'not_your_approval' },
  ],
  ['another tool call', {}, { toolCallId: 'call_2' }, { outcome: 'error', code: 'mismatch' }],
  [
    'an edited input',
    {},
    { inputHash: hashToolInput({ ...INPUT, fields: { Priority: 'Low' } }) },
    { outcome: 'error', code: 'mismatch' },
  ],
  [
    'an edited input, on an approved request: mismatch before replay',
    { status: 'approved', consumed: true, ...decided },
    { inputHash: '0'.repeat(64) },
    { outcome: 'error', code: 'mismatch' },
  ],
  [
    'an edited input, after expiry: mismatch before expiry',
    {},
    { inputHash: '0'.repeat(64), now: afterExpiry },
    { outcome: 'error', code: 'mismatch' },
  ],
  [
    'approve again after an approval',
    { status: 'approved', consumed: true, ...decided },
    {},
    { outcome: 'error', code: 'already_decided', previous: { status: 'approved' } },
  ],
  [
    'reject after an approval',
    { status: 'approved', consumed: true, ...decided },
    { decision: 'reject' },
    { outcome: 'error', code: 'already_decided', previous: { status: 'approved' } },
  ],
  [
    'approve after a rejection with a reason',
    { status: 'rejected', reason: 'No', ...decided },
    {},
    { outcome: 'error', code: 'already_decided', previous: { status: 'rejected', reason: 'No' } },
  ],
  [
    'approve after a rejection without a reason',
    { status: 'rejected', ...decided },
    {},
    { outcome: 'error', code: 'already_decided', previous: { status: 'rejected' } },
  ],
  [
    'a pending request already handed out',
    { consumed: true },
    {},
    { outcome: 'error', code: 'already_decided', previous: { status: 'pending' } },
  ],
  [
    'replay of an approval after expiry: replay before expiry',
    { status: 'approved', consumed: true, ...decided },
    { now: afterExpiry },
    { outcome: 'error', code: 'already_decided', previous: { status: 'approved' } },
  ],
  [
    'a request stored as expired',
    { status: 'expired', ...decided },
    {},
    { outcome: 'error', code: 'expired' },
  ],
  [
    'a request stored as expired, rejected in time',
    { status: 'expired', ...decided },
    { decision: 'reject' },
    { outcome: 'error', code: 'expired' },
  ],
  [
    'approve exactly at expiry',
    {},
    { now: EXPIRES },
    { outcome: 'error', code: 'expired', expiresRequest: true },
  ],
  [
    'approve after expiry',
    {},
    { now: afterExpiry },
    { outcome: 'error', code: 'expired', expiresRequest: true },
  ],
  [
    'reject after expiry',
    {},
    { decision: 'reject', now: afterExpiry },
    { outcome: 'error', code: 'expired', expiresRequest: true },
  ],
];

describe('decideApproval: the whole table', () => {
  it.each(table)('%s', (_name, requestOverrides, decisionOverrides, expected) => {
    const input = decision(decisionOverrides);
    const outcome = decideApproval(request(requestOverrides), input);
    expect(outcome.outcome).toBe(expected.outcome);
    if (expected.outcome === 'approved' && outcome.outcome === 'approved') {
      expect(outcome.request).toMatchObject({ status: 'approved', consumed: true, decidedAt: input.now });
    } else if (expected.outcome === 'rejected' && outcome.outcome === 'rejected') {
      expect(outcome.reason).toBe(expected.reason);
      expect(outcome.request).toMatchObject({ status: 'rejected', consumed: false, decidedAt: input.now });
      expect(outcome.request.reason).toBe(expected.reason);
    } else if (expected.outcome === 'error' && outcome.outcome === 'error') {
      expect(outcome.code).toBe(expected.code);
      expect(outcome.message).not.toBe('');
      expect(outcome.previous).toEqual(expected.previous);
      if (expected.expiresRequest) {
        expect(outcome.request).toMatchObject({ status: 'expired', decidedAt: input.now, consumed: false });
      } else {
        expect(outcome.request).toBeUndefined();
      }
    } else {
      throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
    }
  });

  it('never changes the request it is given', () => {
    const original = request();
    const copy = structuredClone(original);
    decideApproval(original, decision());
    decideApproval(original, decision({ decision: 'reject', reason: 'no' }));
    decideApproval(original, decision({ now: afterExpiry }));
    expect(original).toEqual(copy);
  });
});

type Refused = Extract<ApprovalOutcome, { outcome: 'error' }>;

describe('decisionRefusal: what each refusal means for the API and the trail', () => {
  it.each<[string, Refused, ReturnType<typeof decisionRefusal>]>([
    [
      'expired: the approval is expired, 410',
      { outcome: 'error', code: 'expired', message: 'This approval request has expired.' },
      {
        expire: true,
        audit: { action: 'agent.approval.expired', outcome: 'failure', errorCode: 'expired' },
        status: 410,
        code: 'approval_expired',
        message: 'This approval request has expired.',
      },
    ],
    [
      'not yours: 403, denied',
      { outcome: 'error', code: 'not_your_approval', message: 'Not yours.' },
      {
        expire: false,
        audit: { action: 'agent.approval.refused', outcome: 'denied', errorCode: 'not_your_approval' },
        status: 403,
        code: 'not_your_approval',
        message: 'Not yours.',
      },
    ],
    [
      'mismatch: 409, denied',
      { outcome: 'error', code: 'mismatch', message: 'Another call.' },
      {
        expire: false,
        audit: { action: 'agent.approval.refused', outcome: 'denied', errorCode: 'mismatch' },
        status: 409,
        code: 'mismatch',
        message: 'Another call.',
      },
    ],
    [
      'already decided: 409 with the first decision',
      {
        outcome: 'error',
        code: 'already_decided',
        message: 'Already approved.',
        previous: { status: 'approved' },
      },
      {
        expire: false,
        audit: { action: 'agent.approval.refused', outcome: 'denied', errorCode: 'already_decided' },
        status: 409,
        code: 'already_decided',
        message: 'Already approved.',
        details: { previous: { status: 'approved' } },
      },
    ],
  ])('%s', (_name, outcome, expected) => {
    expect(decisionRefusal(outcome)).toEqual(expected);
  });
});
