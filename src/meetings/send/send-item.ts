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
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/actor.ts';
import { newId } from '../../core/ids.ts';
import { connectedClient } from '../connected-client.ts';
import { sendObjectFor } from '../form-fields.ts';
import { type MeetingContext, trackInFlight } from '../meeting-runtime.ts';
import { assertVisibleItem } from '../meeting-store.ts';
import { cachedNoteFormat } from '../note-format.ts';
import { buildSendRequest, type SendRequest } from '../payloads/send-request.ts';
import { nextSendAction } from './next-send-action.ts';
import { attemptWrite, resolveForRetry, type SendHolder } from './send-attempt.ts';
import { auditSend, type SendAuditActor } from './send-audit.ts';
import { invalidSend, isInvalidSend, keyReused, keyTaken, sendInProgress } from './send-errors.ts';
import { requestHashOf, type SendAnswer, type SendInput } from './send-input.ts';
import {
  claimSendRow,
  holdingLease,
  insertSendRow,
  readSendRow,
  readSendView,
  type SendRow,
} from './send-journal.ts';

/** How long a duplicate waits for another process's attempt before answering `send_in_progress`. */
const MAX_WAIT_MS = 15_000;
const POLL_MS = 20;
const MAX_ROUNDS = 100;

/** One send request, prepared: everything the rounds below need, read once. */
interface PreparedSend {
  service: MeetingContext;
  user: Actor;
  key: string;
  requestHash: string;
  /** The journal columns this request sets on a row it takes over. */
  sentAs: Pick<SendRow, 'kind' | 'object_type' | 'connection_id' | 'salesforce_user_id'>;
  actor: SendAuditActor;
  holderOf: (attemptId: string) => SendHolder;
  /** Validates the form (against the cached describe) and builds the Salesforce request; throws 422. */
  build: () => SendRequest;
  /** A new journal row for this request. */
  newRow: (request: SendRequest) => SendRow;
  /** Audits a refused form, then throws the refusal. */
  refuseInvalid: (error: unknown, row?: Pick<SendRow, 'id'>) => Promise<never>;
}

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
  const send = await prepareSend(service, user, meetingId, itemId, input);
  // Most sends carry a new key: insert straight away rather than reading first. The unique key
  // still decides between concurrent duplicates; a key that exists goes through the rounds below.
  const firstBuild = tryBuild(send.build);
  if (firstBuild) {
    const row = send.newRow(firstBuild);
    if (await insertSendRow(service, row)) return startWrite(send, row, firstBuild);
  }
  let waitedMs = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const journalRow = await readSendRow(service, send.key);
    const next = nextSendAction({
      journalRow,
      request: {
        userId: user.id,
        meetingId,
        itemId,
        requestHash: send.requestHash,
        heldHere: service.meetings.inFlight.has(send.key),
        waitedMs,
      },
      now: service.now(),
      timing: {
        settleMs: service.meetings.settleMs,
        writeTimeoutMs: service.meetings.writeTimeoutMs,
        maxWaitMs: MAX_WAIT_MS,
      },
    });
    switch (next.action) {
      case 'insert': {
        const request = await buildOrRefuse(send);
        const row = send.newRow(request);
        if (!(await insertSendRow(service, row))) continue;
        return startWrite(send, row, request);
      }
      case 'key-taken':
        throw keyTaken();
      case 'key-reused':
        throw keyReused();
      case 'retry': {
        const answer = await retryFailed(send, journalRow as SendRow);
        if (answer) return answer;
        continue;
      }
      case 'replay':
        return replay(send, journalRow as SendRow);
      case 'await-holder':
        await service.meetings.inFlight.get(send.key)?.catch(() => undefined);
        continue;
      case 'wait':
        await sleep(POLL_MS);
        waitedMs += POLL_MS;
        continue;
      case 'in-progress':
        throw sendInProgress({ sendId: (journalRow as SendRow).id, retryAfterSeconds: 1 });
      case 'resolve': {
        const row = journalRow as SendRow;
        const claimed = await claimSendRow(service, row, {});
        if (!claimed) continue;
        const holder = send.holderOf(claimed.attemptId);
        return trackInFlight(service.meetings, send.key, () =>
          holdInLease(holder, row.id, () => resolveForRetry(holder, row, send.build)),
        );
      }
    }
  }
  throw sendInProgress();
}

/** The reads a send needs, run together, and what is derived from them. */
async function prepareSend(
  service: MeetingContext,
  user: Actor,
  meetingId: string,
  itemId: string,
  input: SendInput,
): Promise<PreparedSend> {
  const runtime = service.meetings;
  // Independent reads, run together (on PostgreSQL they overlap); the meeting's answer goes first.
  // The client is made once (no Salesforce call yet) and serves the write and any lookup.
  const [visible, connectedResult, noteFormatResult] = await Promise.allSettled([
    assertVisibleItem(service.store, user, meetingId, itemId),
    connectedClient(service, user, input.connectionId),
    cachedNoteFormat(service),
  ]);
  if (visible.status === 'rejected') throw visible.reason;
  if (connectedResult.status === 'rejected') throw connectedResult.reason;
  if (noteFormatResult.status === 'rejected') throw noteFormatResult.reason;
  const connected = connectedResult.value;
  const noteFormat = noteFormatResult.value;
  const object = sendObjectFor(input.kind, noteFormat);
  const requestHash = requestHashOf(input, meetingId, itemId, noteFormat);
  const key = input.idempotencyKey;
  const scope = { orgId: connected.orgId, salesforceUserId: connected.salesforceUserId };
  const actor: SendAuditActor = {
    actorUserId: user.id,
    surface: user.surface,
    sender: { name: user.name, email: user.email },
  };
  const build = (): SendRequest => {
    const describe = runtime.describeCache.peek(scope, object);
    const built = buildSendRequest({
      kind: input.kind,
      values: input.values,
      records: input.records,
      idempotencyKey: `${user.id}:${key}`,
      apiVersion: service.salesforce.apiVersion,
      // Validated against the cached describe when there is one; a send never spends a call on it.
      describe: describe ? { [object]: describe } : undefined,
      activeUserIds: runtime.describeCache.peekActiveUsers(scope)?.map((active) => active.Id),
      noteFormat,
    });
    if (!built.ok) throw invalidSend(built.errors);
    return built.request;
  };
  const refuseInvalid = async (error: unknown, row?: Pick<SendRow, 'id'>): Promise<never> => {
    if (isInvalidSend(error)) {
      const refused = {
        id: row?.id ?? '',
        meeting_id: meetingId,
        item_id: itemId,
        kind: input.kind,
        record_type: input.records.map((record) => record.type).join(','),
        connection_id: connected.connectionId,
        object_type: object,
      };
      await auditSend(service, actor, 'meeting.send', refused, 'failure', { errorCode: 'invalid_send' });
    }
    throw error;
  };
  const newRow = (request: SendRequest): SendRow => {
    const now = service.now();
    const at = new Date(now).toISOString();
    return {
      id: newId(now),
      idempotency_key: key,
      user_id: user.id,
      meeting_id: meetingId,
      item_id: itemId,
      connection_id: connected.connectionId,
      salesforce_user_id: connected.salesforceUserId,
      kind: input.kind,
      object_type: object,
      record_type: request.record.type,
      record_id: request.record.id,
      request_hash: requestHash,
      status: 'pending',
      attempt_id: randomUUID(),
      attempts: 1,
      first_sent_at: at,
      attempt_started_at: at,
      lease_until: new Date(now + runtime.settleMs).toISOString(),
      salesforce_id: null,
      salesforce_url: null,
      error_code: null,
      created_at: at,
      completed_at: null,
    };
  };
  const holderOf = (attemptId: string): SendHolder => ({ service, connected, actor, attemptId });
  const sentAs = {
    kind: input.kind,
    object_type: object,
    connection_id: connected.connectionId,
    salesforce_user_id: connected.salesforceUserId,
  };
  return { service, user, key, requestHash, sentAs, actor, holderOf, build, newRow, refuseInvalid };
}

/** The request, or the audited refusal of an invalid form. */
async function buildOrRefuse(send: PreparedSend, row?: Pick<SendRow, 'id'>): Promise<SendRequest> {
  try {
    return send.build();
  } catch (error) {
    return send.refuseInvalid(error, row);
  }
}

function startWrite(send: PreparedSend, row: SendRow, request: SendRequest): Promise<SendAnswer> {
  const holder = send.holderOf(row.attempt_id);
  return trackInFlight(send.service.meetings, send.key, () =>
    holdInLease(holder, row.id, () => attemptWrite(holder, row, request)),
  );
}

function holdInLease<T>(holder: SendHolder, rowId: string, work: () => Promise<T>): Promise<T> {
  return holdingLease(holder.service, rowId, holder.attemptId, work);
}

/** A failed key sent again (Salesforce created nothing before); null when another request took the row. */
async function retryFailed(send: PreparedSend, existing: SendRow): Promise<SendAnswer | null> {
  const request = await buildOrRefuse(send, existing);
  const now = new Date(send.service.now()).toISOString();
  const changes = {
    request_hash: send.requestHash,
    record_type: request.record.type,
    record_id: request.record.id,
    ...send.sentAs,
    attempts: existing.attempts + 1,
    attempt_started_at: now,
    // Nothing was created before: the lookup window of this attempt starts now.
    first_sent_at: now,
    error_code: null,
    completed_at: null,
  };
  const claimed = await claimSendRow(send.service, existing, changes);
  if (!claimed) return null;
  const row: SendRow = { ...existing, ...changes, status: 'pending', attempt_id: claimed.attemptId };
  const holder = send.holderOf(claimed.attemptId);
  return trackInFlight(send.service.meetings, send.key, () =>
    holdInLease(holder, row.id, () => attemptWrite(holder, row, request)),
  );
}

async function replay(send: PreparedSend, existing: SendRow): Promise<SendAnswer> {
  await auditSend(send.service, send.actor, 'meeting.send.replayed', existing, 'success', {
    recordIds: existing.salesforce_id ? [existing.salesforce_id] : [],
  });
  return { outcome: 'existing', send: await readSendView(send.service, existing.id) };
}

function tryBuild(build: () => SendRequest): SendRequest | null {
  try {
    return build();
  } catch {
    // Refused as invalid: the rounds read the row first, so a replay of a sent key still answers it.
    return null;
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
