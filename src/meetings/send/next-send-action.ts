/**
 * The exactly-once rules of a meeting send, as pure functions of the journal row, the request and
 * the clock (no I/O): what a send does next, what a lookup that found nothing proves, and what the
 * background resolution does with a row. The I/O that carries them out is in send-item.ts,
 * send-attempt.ts and send-resolution.ts.
 *
 * Journal states (`meeting_sends`, one row per idempotency key):
 *  - `pending`   an attempt holds the row until `lease_until` (its Salesforce call is under way);
 *  - `unknown`   the last attempt ended without knowing whether Salesforce created the record —
 *                or the process holding it died (a `pending` row whose lease ran out is the same);
 *  - `succeeded` the record exists: every retry answers it;
 *  - `failed`    Salesforce certainly created nothing: a retry with the same key may send again.
 */
import type { MeetingSendStatus } from '../../store/schema.ts';

/** The columns of a journal row the rules read. */
export interface SendJournalState {
  user_id: string;
  meeting_id: string;
  item_id: string;
  request_hash: string;
  status: MeetingSendStatus;
  lease_until: string | null;
  attempt_started_at: string;
  completed_at: string | null;
}

export interface SendTiming {
  /** MEETING_SEND_SETTLE_MS: how long after a write a lookup's "not found" becomes conclusive. */
  settleMs: number;
  /** MEETING_SEND_WRITE_TIMEOUT_MS: a write is aborted after this long. */
  writeTimeoutMs: number;
  /** How long a duplicate waits for another process's attempt before answering `send_in_progress`. */
  maxWaitMs: number;
}

/** The send being asked for, as far as the rules need it. */
export interface SendRequestState {
  userId: string;
  meetingId: string;
  itemId: string;
  requestHash: string;
  /** An attempt with this key is running in this process (its answer can be awaited). */
  heldHere: boolean;
  /** How long this request has already waited for another process's attempt. */
  waitedMs: number;
}

export type SendAction =
  /** No row for the key: write one and send. */
  | { action: 'insert' }
  /** Another user's key (409 `conflict`). */
  | { action: 'key-taken' }
  /** The key was used for another item or other values (409 `idempotency_key_reused`). */
  | { action: 'key-reused' }
  /** Salesforce created nothing last time: take the row over and send again. */
  | { action: 'retry' }
  /** Sent already: answer the record. */
  | { action: 'replay' }
  /** This process is running the send: await its answer, then decide again. */
  | { action: 'await-holder' }
  /** Another process holds a live lease: wait a moment, then decide again. */
  | { action: 'wait' }
  /** Waited long enough for another process (409 `send_in_progress`). */
  | { action: 'in-progress' }
  /** The outcome is unknown (or its holder died): take the row over and look the record up. */
  | { action: 'resolve' };

export function nextSendAction({
  journalRow,
  request,
  now,
  timing,
}: {
  journalRow: SendJournalState | undefined;
  request: SendRequestState;
  now: number;
  timing: SendTiming;
}): SendAction {
  if (!journalRow) return { action: 'insert' };
  if (journalRow.user_id !== request.userId) return { action: 'key-taken' };
  // Even a failed key stays tied to its item: the journal row is that item's record of the send.
  if (journalRow.meeting_id !== request.meetingId || journalRow.item_id !== request.itemId) {
    return { action: 'key-reused' };
  }
  if (journalRow.status === 'failed') return { action: 'retry' };
  if (journalRow.request_hash !== request.requestHash) return { action: 'key-reused' };
  if (journalRow.status === 'succeeded') return { action: 'replay' };
  // pending or unknown
  if (request.heldHere) return { action: 'await-holder' };
  if (journalRow.status === 'pending' && leaseUntilOf(journalRow) > now) {
    return request.waitedMs >= timing.maxWaitMs ? { action: 'in-progress' } : { action: 'wait' };
  }
  return { action: 'resolve' };
}

/**
 * When a lookup that finds nothing proves the attempt created nothing: the settle time after we
 * stopped waiting for its write, which is at the latest the write timeout after the attempt began.
 */
export function settleAtOf(
  row: Pick<SendJournalState, 'status' | 'attempt_started_at' | 'completed_at'>,
  timing: Pick<SendTiming, 'settleMs' | 'writeTimeoutMs'>,
): number {
  const latest = Date.parse(row.attempt_started_at) + timing.writeTimeoutMs;
  // An `unknown` row keeps in completed_at when its holder stopped waiting; a holder that died
  // stopped waiting at the latest when its write would have timed out.
  const stopped = row.status === 'unknown' && row.completed_at ? Date.parse(row.completed_at) : latest;
  return Math.min(stopped, latest) + timing.settleMs;
}

export type LookupMissAction =
  /** Settled and not there: the earlier attempt created nothing, and the person asked again. */
  | { action: 'resend' }
  /** Not settled: the record may still appear; nothing is sent, the caller retries later. */
  | { action: 'outcome-unknown'; settleAt: number; retryAfterSeconds: number };

/** A person's retry looked the record up and found nothing: send again, or not yet. */
export function afterLookupMiss({
  journalRow,
  now,
  timing,
}: {
  journalRow: Pick<SendJournalState, 'status' | 'attempt_started_at' | 'completed_at'>;
  now: number;
  timing: Pick<SendTiming, 'settleMs' | 'writeTimeoutMs'>;
}): LookupMissAction {
  const settleAt = settleAtOf(journalRow, timing);
  if (now >= settleAt) return { action: 'resend' };
  return { action: 'outcome-unknown', settleAt, retryAfterSeconds: retryAfterSeconds(settleAt, now) };
}

/** Whole seconds until `settleAt`, at least 1: what a client is told to wait. */
export function retryAfterSeconds(settleAt: number, now: number): number {
  return Math.max(1, Math.ceil((settleAt - now) / 1000));
}

export type ResolutionAction =
  /** Nothing to resolve: the row is gone or final. */
  | { action: 'done' }
  /** This process is running the send; its holder settles the row. */
  | { action: 'skip' }
  /** Too early to conclude (a live lease, or before the settle time): look again at `at`. */
  | { action: 'later'; at: number }
  /** Take the row over and look the record up; not found is conclusive. */
  | { action: 'look-up' };

/**
 * The background resolution (at startup, and after an unknown outcome) of one row. It only ever
 * looks up: only a person's retry sends again.
 */
export function nextResolutionAction({
  journalRow,
  heldHere,
  now,
  timing,
}: {
  journalRow:
    | Pick<SendJournalState, 'status' | 'lease_until' | 'attempt_started_at' | 'completed_at'>
    | undefined;
  heldHere: boolean;
  now: number;
  timing: Pick<SendTiming, 'settleMs' | 'writeTimeoutMs'>;
}): ResolutionAction {
  if (!journalRow || journalRow.status === 'succeeded' || journalRow.status === 'failed') {
    return { action: 'done' };
  }
  if (heldHere) return { action: 'skip' };
  const leaseUntil = leaseUntilOf(journalRow);
  const settleAt = settleAtOf(journalRow, timing);
  if ((journalRow.status === 'pending' && leaseUntil > now) || settleAt > now) {
    return { action: 'later', at: Math.max(leaseUntil, settleAt) };
  }
  return { action: 'look-up' };
}

/** When the background resolution of a row left unfinished should first look (at startup). */
export function resolutionReadyAt(
  row: Pick<SendJournalState, 'status' | 'lease_until' | 'attempt_started_at' | 'completed_at'>,
  timing: Pick<SendTiming, 'settleMs' | 'writeTimeoutMs'>,
): number {
  return Math.max(leaseUntilOf(row), settleAtOf(row, timing));
}

function leaseUntilOf(row: Pick<SendJournalState, 'lease_until'>): number {
  return row.lease_until ? Date.parse(row.lease_until) : 0;
}
