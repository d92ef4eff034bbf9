/**
 * Sending a meeting item to Salesforce, exactly once per idempotency key (an explicit user
 * action: the only way anything reaches Salesforce).
 *
 * The journal row is written BEFORE Salesforce is called and completed after (send-journal.ts);
 * what a request does with the row it finds is decided by nextSendAction (next-send-action.ts);
 * an unknown outcome is resolved by looking the record up by the marker written into it, and
 * "not found" is only conclusive once MEETING_SEND_SETTLE_MS has passed since we stopped waiting
 * for the write (send-attempt.ts). Only a person's retry ever sends again; the background
 * resolution (send-resolution.ts) only looks up.
 */
import type { Actor } from '../../core/actor.ts';
import type { MeetingContext } from '../meeting-runtime.ts';
import { trackInFlight } from '../meeting-runtime.ts';
import type { SendRequest } from '../payloads/send-request.ts';
import { nextSendAction, retryAfterSeconds, type SendTiming } from './next-send-action.ts';
import { attemptWrite, resolveForRetry } from './send-attempt.ts';
import { auditSend } from './send-audit.ts';
import {
  buildOrRefuse,
  buildRequest,
  draftSend,
  holderOf,
  lookupTitleOf,
  newSendRow,
  type SendDraft,
  sentAsOf,
} from './send-draft.ts';
import { keyReused, keyTaken, sendInProgress } from './send-errors.ts';
import type { SendAnswer, SendInput } from './send-input.ts';
import {
  claimSendRow,
  holdingLease,
  insertSendRow,
  readSendRow,
  readSendView,
  type SendRow,
} from './send-journal.ts';

/**
 * A duplicate never waits for another process's attempt (the server does not poll the journal for
 * it): it answers `send_in_progress` with a Retry-After straight away. Duplicates in this process
 * await the holder's promise instead.
 */
const MAX_WAIT_MS = 0;
const MAX_ROUNDS = 100;

/**
 * Sends one meeting item. Answers the send; throws 422 `invalid_send` with per-field errors, 503
 * `send_outcome_unknown`, 409 `send_in_progress` or `idempotency_key_reused`.
 */
export async function sendItem(
  service: MeetingContext,
  user: Actor,
  meetingId: string,
  itemId: string,
  input: SendInput,
): Promise<SendAnswer> {
  const draft = await draftSend(service, user, meetingId, itemId, input);
  // Most sends carry a new key: insert straight away rather than reading first. The unique key
  // still decides between concurrent duplicates; a key that exists goes through the rounds below.
  const firstBuild = tryBuild(draft);
  if (firstBuild && !service.meetings.inFlight.has(draft.key)) {
    const answer = await insertAndWrite(draft, newSendRow(draft, firstBuild), firstBuild);
    if (answer) return answer;
  }
  const { settleMs, writeTimeoutMs } = service.meetings;
  const timing: SendTiming = { settleMs, writeTimeoutMs, maxWaitMs: MAX_WAIT_MS };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { journalRow, heldHere } = await readRound(draft);
    const next = nextSendAction({
      journalRow,
      request: {
        userId: user.id,
        meetingId,
        itemId,
        requestHash: draft.requestHash,
        heldHere,
        waitedMs: 0,
      },
      now: service.now(),
      timing,
    });
    if (next.action === 'insert' || !journalRow) {
      // A request of this process is inserting this key right now: its answer is ours.
      const holder = service.meetings.inFlight.get(draft.key);
      if (holder) {
        await holder.catch(() => undefined);
        continue;
      }
      const request = await buildOrRefuse(draft);
      const answer = await insertAndWrite(draft, newSendRow(draft, request), request);
      if (answer) return answer;
      continue;
    }
    switch (next.action) {
      case 'key-taken':
        throw keyTaken();
      case 'key-reused':
        throw keyReused();
      case 'retry': {
        const answer = await retryFailed(draft, journalRow);
        if (answer) return answer;
        continue;
      }
      case 'replay':
        return replay(draft, journalRow);
      case 'await-holder':
        await service.meetings.inFlight.get(draft.key)?.catch(() => undefined);
        continue;
      case 'wait':
      case 'in-progress':
        throw sendInProgress({
          sendId: journalRow.id,
          retryAfterSeconds: retryAfterSeconds(
            journalRow.lease_until ? Date.parse(journalRow.lease_until) : service.now(),
            service.now(),
          ),
        });
      case 'resolve': {
        const answer = await resolveUnknown(draft, journalRow);
        if (answer) return answer;
        continue;
      }
    }
  }
  throw sendInProgress();
}

/**
 * The journal row, and whether this process runs the key's attempt — asked before the read as
 * well as after it: an attempt that finished during the read leaves a stale `pending` row and is
 * no longer in flight, which the after-read answer alone sent to 409 `send_in_progress` (1 of 20
 * concurrent duplicates on a loaded PostgreSQL run). Awaiting a finished holder just reads again.
 */
async function readRound(draft: SendDraft): Promise<{ journalRow: SendRow | undefined; heldHere: boolean }> {
  const { inFlight } = draft.service.meetings;
  const heldBeforeRead = inFlight.has(draft.key);
  const journalRow = await readSendRow(draft.service, draft.key);
  return { journalRow, heldHere: heldBeforeRead || inFlight.has(draft.key) };
}

/** Runs the holder's work, registered in this process and renewing its lease. */
function held<T>(draft: SendDraft, rowId: string, attemptId: string, work: () => Promise<T>): Promise<T> {
  return trackInFlight(draft.service.meetings, draft.key, () =>
    holdingLease(draft.service, rowId, attemptId, work),
  );
}

/**
 * Inserts the journal row and writes the record, registered as this process's attempt from before
 * the insert: a duplicate here that reads the new row in the moment after its insert awaits this
 * attempt instead of answering 409 `send_in_progress` (seen under 20 concurrent duplicates on
 * PostgreSQL). Null when the key is in the journal already (another request inserted it).
 */
function insertAndWrite(draft: SendDraft, row: SendRow, request: SendRequest): Promise<SendAnswer | null> {
  return trackInFlight(draft.service.meetings, draft.key, async () => {
    if (!(await insertSendRow(draft.service, row))) return null;
    return holdingLease(draft.service, row.id, row.attempt_id, () =>
      attemptWrite(holderOf(draft, row.attempt_id), row, request),
    );
  });
}

function writeHeld(draft: SendDraft, row: SendRow, request: SendRequest): Promise<SendAnswer> {
  return held(draft, row.id, row.attempt_id, () =>
    attemptWrite(holderOf(draft, row.attempt_id), row, request),
  );
}

/** A failed key sent again (Salesforce created nothing before); null when another request took the row. */
async function retryFailed(draft: SendDraft, existing: SendRow): Promise<SendAnswer | null> {
  const request = await buildOrRefuse(draft, existing);
  const now = new Date(draft.service.now()).toISOString();
  const changes = {
    request_hash: draft.requestHash,
    record_type: request.record.type,
    record_id: request.record.id,
    ...sentAsOf(draft),
    lookup_title: lookupTitleOf(request),
    attempts: existing.attempts + 1,
    attempt_started_at: now,
    // Nothing was created before: the lookup window of this attempt starts now.
    first_sent_at: now,
    error_code: null,
    completed_at: null,
  };
  const claimed = await claimSendRow(draft.service, existing, changes);
  if (!claimed) return null;
  const row: SendRow = { ...existing, ...changes, status: 'pending', attempt_id: claimed.attemptId };
  return writeHeld(draft, row, request);
}

/** Takes over a send whose outcome is unknown (or whose holder died); null when another request did. */
async function resolveUnknown(draft: SendDraft, existing: SendRow): Promise<SendAnswer | null> {
  const claimed = await claimSendRow(draft.service, existing, {});
  if (!claimed) return null;
  const holder = holderOf(draft, claimed.attemptId);
  return held(draft, existing.id, claimed.attemptId, () =>
    resolveForRetry(holder, existing, () => buildRequest(draft)),
  );
}

async function replay(draft: SendDraft, existing: SendRow): Promise<SendAnswer> {
  await auditSend(draft.service, draft.actor, 'meeting.send.replayed', existing, 'success', {
    recordIds: existing.salesforce_id ? [existing.salesforce_id] : [],
  });
  return { outcome: 'existing', send: await readSendView(draft.service, existing.id) };
}

function tryBuild(draft: SendDraft): SendRequest | null {
  try {
    return buildRequest(draft);
  } catch {
    // Refused as invalid: the rounds read the row first, so a replay of a sent key still answers it.
    return null;
  }
}
