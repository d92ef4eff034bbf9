import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/agent/canonical-json.ts';
import {
  type ApprovalRequest,
  createApprovalRequest,
  decideApproval,
  hashToolInput,
  rejectionToolResult,
} from '../../../src/agent/turns/decide-approval.ts';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const later = (milliseconds: number) => new Date(NOW.getTime() + milliseconds);
const INPUT = {
  object: 'Opportunity',
  id: '0068d00000000001AAA',
  fields: { StageName: 'Closed Won', Amount: 5000 },
};

function pending(): ApprovalRequest {
  return createApprovalRequest({
    conversationId: 'conv_1',
    userId: 'user_alice',
    toolCallId: 'call_1',
    toolName: 'update_record',
    input: INPUT,
    now: NOW,
    ttlMs: 60_000,
  });
}

const decision = (overrides: Partial<Parameters<typeof decideApproval>[1]> = {}) => ({
  userId: 'user_alice',
  decision: 'approve' as const,
  toolCallId: 'call_1',
  inputHash: hashToolInput(INPUT),
  now: later(1000),
  ...overrides,
});

describe('canonical input hash', () => {
  it('ignores key order and whitespace, and sees every value change', () => {
    const reordered = {
      fields: { Amount: 5000, StageName: 'Closed Won' },
      id: INPUT.id,
      object: 'Opportunity',
    };
    expect(hashToolInput(reordered)).toBe(hashToolInput(INPUT));
    expect(hashToolInput({ ...INPUT, fields: { ...INPUT.fields, Amount: 5001 } })).not.toBe(
      hashToolInput(INPUT),
    );
    expect(hashToolInput(INPUT)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes canonical JSON and refuses values JSON cannot carry', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: null }], a: 'x', skip: undefined })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":1}]}',
    );
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ amount: 10n })).toThrow(TypeError);
  });
});

describe('decideApproval', () => {
  it('creates a pending request bound to the call and input', () => {
    expect(pending()).toEqual({
      conversationId: 'conv_1',
      userId: 'user_alice',
      toolCallId: 'call_1',
      toolName: 'update_record',
      inputHash: hashToolInput(INPUT),
      createdAt: NOW,
      expiresAt: later(60_000),
      status: 'pending',
      consumed: false,
    });
  });

  it('approves once: the request comes back approved and consumed', () => {
    const outcome = decideApproval(pending(), decision());
    expect(outcome).toEqual({
      outcome: 'approved',
      request: { ...pending(), status: 'approved', decidedAt: later(1000), consumed: true },
    });
  });

  it('answers a replay of the approval with the original decision, never a second execution', () => {
    const first = decideApproval(pending(), decision());
    if (first.outcome !== 'approved') throw new Error('expected approval');
    for (const replay of [
      decision(),
      decision({ decision: 'reject' }),
      decision({ now: later(2 * 60_000) }),
    ]) {
      expect(decideApproval(first.request, replay)).toMatchObject({
        outcome: 'error',
        code: 'already_decided',
        previous: { status: 'approved' },
      });
    }
  });

  it('rejects with the person’s reason and tells the model', () => {
    const outcome = decideApproval(pending(), decision({ decision: 'reject', reason: '  wrong amount  ' }));
    expect(outcome).toMatchObject({ outcome: 'rejected', reason: 'wrong amount' });
    if (outcome.outcome !== 'rejected') throw new Error('expected rejection');
    expect(outcome.request).toMatchObject({ status: 'rejected', reason: 'wrong amount', consumed: false });
    expect(rejectionToolResult(outcome.reason).message).toContain('wrong amount');
    expect(decideApproval(outcome.request, decision())).toMatchObject({
      code: 'already_decided',
      previous: { status: 'rejected', reason: 'wrong amount' },
    });
  });

  it('rejects without a reason', () => {
    const outcome = decideApproval(pending(), decision({ decision: 'reject', reason: '   ' }));
    expect(outcome).toMatchObject({ outcome: 'rejected', reason: undefined });
    expect(rejectionToolResult(undefined)).toEqual({
      ok: false,
      errorCode: 'REJECTED_BY_USER',
      message: 'The person declined this action. Do not retry it unless they ask.',
    });
  });

  it('expires at expiresAt, and stays expired', () => {
    const outcome = decideApproval(pending(), decision({ now: later(60_000) }));
    expect(outcome).toMatchObject({ outcome: 'error', code: 'expired', request: { status: 'expired' } });
    if (outcome.outcome !== 'error' || !outcome.request) throw new Error('expected expiry');
    expect(decideApproval(outcome.request, decision())).toMatchObject({ code: 'expired' });
    expect(decideApproval(pending(), decision({ now: later(59_999) }))).toMatchObject({
      outcome: 'approved',
    });
  });

  it('lets nobody else decide, and tells them nothing more', () => {
    const outcome = decideApproval(pending(), decision({ userId: 'user_mallory' }));
    expect(outcome).toEqual({
      outcome: 'error',
      code: 'not_your_approval',
      message: 'Only the person in this conversation can approve or reject this action.',
    });
    const approved = decideApproval(pending(), decision());
    if (approved.outcome !== 'approved') throw new Error('expected approval');
    expect(decideApproval(approved.request, decision({ userId: 'user_mallory' }))).toMatchObject({
      code: 'not_your_approval',
    });
  });

  it('refuses a decision for another call or a tampered input', () => {
    expect(decideApproval(pending(), decision({ toolCallId: 'call_2' }))).toMatchObject({ code: 'mismatch' });
    const tampered = hashToolInput({ ...INPUT, fields: { ...INPUT.fields, Amount: 1 } });
    expect(decideApproval(pending(), decision({ inputHash: tampered }))).toMatchObject({ code: 'mismatch' });
  });

  it('refuses a non-positive time to live', () => {
    expect(() =>
      createApprovalRequest({
        conversationId: 'c',
        userId: 'u',
        toolCallId: 't',
        toolName: 'create_record',
        input: {},
        now: NOW,
        ttlMs: 0,
      }),
    ).toThrow(RangeError);
  });
});
