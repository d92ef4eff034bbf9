/** The exactly-once rules of a meeting send, as a table: journal row × request × clock → action. */
import { describe, expect, it } from 'vitest';
import {
  afterLookupMiss,
  nextResolutionAction,
  nextSendAction,
  retryAfterSeconds,
  type SendJournalState,
  type SendRequestState,
  settleAtOf,
} from '../../../src/meetings/send/next-send-action.ts';

const T0 = Date.parse('2027-02-01T16:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const timing = { settleMs: 30_000, writeTimeoutMs: 20_000, maxWaitMs: 15_000 };

function row(overrides: Partial<SendJournalState> = {}): SendJournalState {
  return {
    user_id: 'user-1',
    meeting_id: 'meeting-1',
    item_id: 'item-1',
    request_hash: 'hash-1',
    status: 'pending',
    lease_until: at(30_000),
    attempt_started_at: at(0),
    completed_at: null,
    ...overrides,
  };
}

const request: SendRequestState = {
  userId: 'user-1',
  meetingId: 'meeting-1',
  itemId: 'item-1',
  requestHash: 'hash-1',
  heldHere: false,
  waitedMs: 0,
};

describe('nextSendAction', () => {
  it.each<[string, SendJournalState | undefined, Partial<SendRequestState>, number, string]>([
    ['a new key is inserted', undefined, {}, 0, 'insert'],
    ["another user's key is refused as taken", row({ user_id: 'user-2' }), {}, 0, 'key-taken'],
    [
      "another user's key is taken even when failed",
      row({ user_id: 'user-2', status: 'failed' }),
      {},
      0,
      'key-taken',
    ],
    ['a key of another item is reused', row({ item_id: 'item-2' }), {}, 0, 'key-reused'],
    ['a key of another meeting is reused', row({ meeting_id: 'meeting-2' }), {}, 0, 'key-reused'],
    [
      'a failed key stays tied to its item',
      row({ status: 'failed', item_id: 'item-2' }),
      {},
      0,
      'key-reused',
    ],
    [
      'a failed key is sent again, even with other values',
      row({ status: 'failed', request_hash: 'other' }),
      {},
      0,
      'retry',
    ],
    [
      'a sent key with other values is reused',
      row({ status: 'succeeded', request_hash: 'other' }),
      {},
      0,
      'key-reused',
    ],
    ['a pending key with other values is reused', row({ request_hash: 'other' }), {}, 0, 'key-reused'],
    ['a sent key is replayed', row({ status: 'succeeded' }), {}, 0, 'replay'],
    ['a send running in this process is awaited', row(), { heldHere: true }, 0, 'await-holder'],
    [
      'an unknown send running in this process is awaited',
      row({ status: 'unknown' }),
      { heldHere: true },
      0,
      'await-holder',
    ],
    ["another process's live lease is waited for", row(), {}, 29_999, 'wait'],
    ['after waiting long enough: in progress', row(), { waitedMs: 15_000 }, 1_000, 'in-progress'],
    ['a lease that ran out (holder died) is resolved', row(), {}, 30_000, 'resolve'],
    ['a pending row without a lease is resolved', row({ lease_until: null }), {}, 0, 'resolve'],
    ['an unknown outcome is resolved, whatever its lease', row({ status: 'unknown' }), {}, 0, 'resolve'],
  ])('%s', (_, journalRow, overrides, offsetMs, action) => {
    expect(
      nextSendAction({ journalRow, request: { ...request, ...overrides }, now: T0 + offsetMs, timing }),
    ).toEqual({ action });
  });
});

describe('settleAtOf', () => {
  it('counts the settle time from when the write stopped, at the latest its timeout', () => {
    // A holder that died: its write would have timed out at start + 20 s.
    expect(settleAtOf(row(), timing)).toBe(T0 + 20_000 + 30_000);
    // An unknown outcome recorded when the holder stopped waiting (5 s in).
    expect(settleAtOf(row({ status: 'unknown', completed_at: at(5_000) }), timing)).toBe(T0 + 5_000 + 30_000);
    // A stop recorded after the timeout counts from the timeout.
    expect(settleAtOf(row({ status: 'unknown', completed_at: at(60_000) }), timing)).toBe(
      T0 + 20_000 + 30_000,
    );
    // completed_at of a pending row is not a stop.
    expect(settleAtOf(row({ status: 'pending', completed_at: at(5_000) }), timing)).toBe(T0 + 50_000);
  });
});

describe('afterLookupMiss', () => {
  const unknown = row({ status: 'unknown', completed_at: at(5_000) });

  it.each<[string, number, ReturnType<typeof afterLookupMiss>]>([
    [
      'just after the write: unknown, retry in the whole settle time',
      5_000,
      { action: 'outcome-unknown', settleAt: T0 + 35_000, retryAfterSeconds: 30 },
    ],
    [
      'a millisecond before settling: unknown, retry in 1 s',
      34_999,
      { action: 'outcome-unknown', settleAt: T0 + 35_000, retryAfterSeconds: 1 },
    ],
    [
      'partial seconds round up',
      33_500,
      { action: 'outcome-unknown', settleAt: T0 + 35_000, retryAfterSeconds: 2 },
    ],
    ['settled: send again', 35_000, { action: 'resend' }],
    ['long after: send again', 3_600_000, { action: 'resend' }],
  ])('%s', (_, offsetMs, expected) => {
    expect(afterLookupMiss({ journalRow: unknown, now: T0 + offsetMs, timing })).toEqual(expected);
  });

  it('tells a client to wait at least a second', () => {
    expect(retryAfterSeconds(T0, T0 + 10_000)).toBe(1);
    expect(retryAfterSeconds(T0 + 1, T0)).toBe(1);
    expect(retryAfterSeconds(T0 + 1_001, T0)).toBe(2);
  });
});

describe('nextResolutionAction (background: looks up only, never sends)', () => {
  it.each<[string, SendJournalState | undefined, boolean, number, ReturnType<typeof nextResolutionAction>]>([
    ['a row that is gone', undefined, false, 0, { action: 'done' }],
    ['a sent row', row({ status: 'succeeded' }), false, 0, { action: 'done' }],
    ['a failed row', row({ status: 'failed' }), false, 0, { action: 'done' }],
    ['a send running in this process', row({ status: 'unknown' }), true, 999_999, { action: 'skip' }],
    [
      'a live lease: after the lease and the settle time',
      row({ lease_until: at(60_000) }),
      false,
      0,
      { action: 'later', at: T0 + 60_000 },
    ],
    [
      'a lease that ran out before settling: at the settle time',
      row({ lease_until: at(10_000) }),
      false,
      10_000,
      { action: 'later', at: T0 + 50_000 },
    ],
    [
      'an unknown row before settling',
      row({ status: 'unknown', completed_at: at(5_000), lease_until: at(5_000) }),
      false,
      6_000,
      { action: 'later', at: T0 + 35_000 },
    ],
    [
      'an unknown row once settled',
      row({ status: 'unknown', completed_at: at(5_000), lease_until: at(5_000) }),
      false,
      35_000,
      { action: 'look-up' },
    ],
    ['a dead holder once settled', row({ lease_until: at(30_000) }), false, 50_000, { action: 'look-up' }],
  ])('%s', (_, journalRow, heldHere, offsetMs, expected) => {
    expect(nextResolutionAction({ journalRow, heldHere, now: T0 + offsetMs, timing })).toEqual(expected);
  });
});
