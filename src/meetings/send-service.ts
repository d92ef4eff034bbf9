/**
 * Sending a meeting item to Salesforce, exactly once per idempotency key.
 *
 * The journal (`meeting_sends`, one row per key, unique in the workspace) is written BEFORE
 * Salesforce is called and completed after. Its states:
 *  - `pending`   an attempt holds the row until `lease_until` (its Salesforce call is under way);
 *  - `unknown`   the last attempt ended without knowing whether Salesforce created the record
 *                (connection dropped, 5xx) — or the process holding it died (a `pending` row whose
 *                lease ran out is treated the same way);
 *  - `succeeded` the record exists: its id and link are kept, and every retry answers them;
 *  - `failed`    Salesforce certainly created nothing (it refused, or a lookup after the settle
 *                time found nothing): a retry with the same key may send again.
 *
 * An unknown outcome is resolved by looking the record up by the marker written into it
 * (`markerFor`): found → succeeded. Not found is only conclusive once MEETING_SEND_SETTLE_MS has
 * passed since we stopped waiting for the write (a request we stopped waiting for may still be
 * running at Salesforce; the write is aborted after MEETING_SEND_WRITE_TIMEOUT_MS, and the holder
 * renews its lease while it runs, so no other instance takes a running send over); before that the caller is told to retry later, and nothing is sent again. Only a
 * person's retry ever sends again; the background resolution (at startup, and after an unknown
 * outcome) only looks up.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isUniqueViolation } from '../accounts/types.ts';
import type { Actor } from '../core/actor.ts';
import { conflict, ServiceError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { SalesforceApiError, SalesforceConnectionError } from '../salesforce/errors.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';
import type { AuditSurface, MeetingSendsTable } from '../store/schema.ts';
import { lightningRecordUrl } from './lightning-url.ts';
import { meetingRuntimeOf } from './meeting-runtime.ts';
import { assertVisibleItem, type SendView, sendViewOf } from './meeting-store.ts';
import type { LinkableRecordType } from './record-types.ts';
import {
  buildMarkerLookup,
  buildSendRequest,
  escapeNoteHtml,
  findMarkedRecordId,
  mapSalesforceErrors,
  markerFor,
  noteContentHasMarker,
  type ReferenceCandidate,
  type SalesforceError,
  type SendError,
  type SendRequest,
  sameSalesforceId,
} from './salesforce-payloads.ts';
import { type ConnectedClient, cachedNoteFormat, connectedClient } from './send-flow.ts';
import { type NoteFormat, SEND_KINDS, type SendKind, sendObjectFor } from './send-form.ts';

type SendRow = Selectable<MeetingSendsTable>;

export const sendInputSchema = z.strictObject({
  connectionId: z.string().min(1).max(64),
  kind: z.enum(SEND_KINDS),
  values: z.record(z.string(), z.union([z.string().max(40_000), z.number(), z.null()])).default({}),
  /** The linked record; exactly one is valid (more are refused per field, not by the schema). */
  records: z.array(z.strictObject({ type: z.string().max(40), id: z.string().max(40) })).max(10),
  /** Made by the client once per Create click and reused on retries of that click. */
  idempotencyKey: z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
});
export type SendInput = z.infer<typeof sendInputSchema>;

export interface SendAnswer {
  /** `created`: this call created the record; `existing`: an earlier call with the key did. */
  outcome: 'created' | 'existing';
  send: SendView;
}

/** Salesforce refused the request as a whole (e.g. a composite rolled back): nothing was created. */
class SendRejected extends Error {
  readonly errors: SalesforceError[];
  constructor(errors: SalesforceError[]) {
    super(errors[0]?.message ?? 'Salesforce refused the request.');
    this.errors = errors;
  }
}

/** How long a duplicate waits for another process's attempt before answering `send_in_progress`. */
const MAX_WAIT_MS = 15_000;
const POLL_MS = 20;
const MAX_ROUNDS = 100;

function invalidSend(errors: SendError[]): ServiceError {
  const first = errors[0];
  return new ServiceError(422, 'invalid_send', first ? first.message : 'The form is not valid.', { errors });
}

function keyReused(): ServiceError {
  return new ServiceError(
    409,
    'idempotency_key_reused',
    'This idempotency key was already used for a different send: make a new one.',
  );
}

function outcomeUnknown(row: SendRow, retryAfterSeconds: number): ServiceError {
  return new ServiceError(
    503,
    'send_outcome_unknown',
    'Salesforce did not confirm whether it created the record. Retry with the same idempotency key: ' +
      'the retry finds the record if it was created, and never creates a second one.',
    { sendId: row.id, retryAfterSeconds },
  );
}

function requestHashOf(input: SendInput, meetingId: string, itemId: string, noteFormat: NoteFormat): string {
  const values = Object.entries(input.values).sort(([left], [right]) => (left < right ? -1 : 1));
  const canonical = JSON.stringify([
    meetingId,
    itemId,
    input.connectionId,
    input.kind,
    values,
    input.records,
    noteFormat,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The marker ties the record to the key, scoped to the user who sent it. */
function markerOf(row: Pick<SendRow, 'user_id' | 'idempotency_key'>): string {
  return markerFor(`${row.user_id}:${row.idempotency_key}`);
}

function isDefiniteFailure(error: unknown): boolean {
  if (error instanceof SendRejected) return true;
  // Salesforce answered 4xx: it refused and wrote nothing. A 5xx may come after a commit.
  if (error instanceof SalesforceApiError) return error.status < 500;
  // Refresh failures and refused sessions happen before Salesforce processes the write.
  if (error instanceof SalesforceConnectionError) return error.code !== 'salesforce_unreachable';
  return false;
}

async function readRow(service: ServiceContext, key: string): Promise<SendRow | undefined> {
  return service.store.db
    .selectFrom('meeting_sends')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

async function readView(service: ServiceContext, sendId: string): Promise<SendView> {
  const row = await service.store.db
    .selectFrom('meeting_sends')
    .leftJoin('users', 'users.id', 'meeting_sends.user_id')
    .selectAll('meeting_sends')
    .select(['users.name as sender_name', 'users.email as sender_email'])
    .where('meeting_sends.id', '=', sendId)
    .executeTakeFirstOrThrow();
  return sendViewOf(
    row,
    row.sender_name && row.sender_email ? { name: row.sender_name, email: row.sender_email } : null,
  );
}

/** Takes the row over from `expected` (compare-and-set on attempt_id); false when someone else did. */
async function claim(
  service: ServiceContext,
  row: SendRow,
  changes: Partial<SendRow>,
): Promise<{ attemptId: string } | null> {
  const attemptId = randomUUID();
  const now = service.now();
  const result = await service.store.db
    .updateTable('meeting_sends')
    .set({
      status: 'pending',
      attempt_id: attemptId,
      lease_until: new Date(now + meetingRuntimeOf(service).settleMs).toISOString(),
      ...changes,
    })
    .where('id', '=', row.id)
    .where('attempt_id', '=', row.attempt_id)
    .where('status', '=', row.status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { attemptId } : null;
}

/** Completes the holder's attempt; false when the lease was lost to someone else meanwhile. */
async function finish(
  service: ServiceContext,
  rowId: string,
  attemptId: string,
  changes: Partial<SendRow>,
): Promise<boolean> {
  const result = await service.store.db
    .updateTable('meeting_sends')
    .set(changes)
    .where('id', '=', rowId)
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

interface Audit {
  actorUserId: string;
  surface: AuditSurface;
  /** The person sending (the row's user), so a completed send is answered without reading it back. */
  sender?: { name: string; email: string };
}

async function auditSend(
  service: ServiceContext,
  actor: Audit,
  action: 'meeting.send' | 'meeting.send.replayed' | 'meeting.send.resolved',
  row: Pick<
    SendRow,
    'id' | 'meeting_id' | 'item_id' | 'kind' | 'record_type' | 'connection_id' | 'object_type'
  >,
  outcome: 'success' | 'failure',
  extra: { recordIds?: string[]; errorCode?: string | null; attempt?: number } = {},
): Promise<void> {
  await service.audit.record({
    actorUserId: actor.actorUserId,
    connectionId: row.connection_id,
    surface: actor.surface,
    action,
    objectType: row.object_type,
    recordIds: extra.recordIds ?? [],
    outcome,
    errorCode: extra.errorCode ?? null,
    detail: {
      meetingId: row.meeting_id,
      itemId: row.item_id,
      sendId: row.id,
      kind: row.kind,
      recordType: row.record_type,
      ...(extra.attempt !== undefined ? { attempt: extra.attempt } : {}),
    },
  });
}

/** The Salesforce write of one send: one create, or one composite for an Enhanced Note. */
async function perform(client: SalesforceClient, request: SendRequest, timeoutMs: number): Promise<string> {
  // The send audits itself with its real outcome (validation, composite sub-results, unknown
  // outcomes and their resolution), so the client's write audit would only repeat it.
  const decision = { kind: 'audited-by-caller', action: 'meeting.send' } as const;
  // Aborted after timeoutMs (MEETING_SEND_WRITE_TIMEOUT_MS): its outcome is then unknown, and the
  // settle time counts from then at the latest (see settleAtOf).
  if (request.operation === 'create') {
    return (await client.create(request.object, request.body, decision, { timeoutMs })).id;
  }
  const response = await client.composite(
    request.composite,
    decision,
    { objectType: 'ContentNote' },
    { timeoutMs },
  );
  const entries = response.compositeResponse;
  const failed = entries.filter((entry) => entry.httpStatusCode >= 300);
  if (failed.length > 0) {
    const errors: SalesforceError[] = failed.flatMap((entry) =>
      Array.isArray(entry.body) ? (entry.body as SalesforceError[]) : [],
    );
    throw new SendRejected(errors);
  }
  const note = entries.find((entry) => entry.referenceId === 'note');
  const id = (note?.body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new Error('The composite answered without the note id.');
  return id;
}

/** Whether Salesforce has the record this send may have created: its id, or null. */
async function lookUp(client: SalesforceClient, row: SendRow): Promise<string | null> {
  const marker = markerOf(row);
  const lookup = buildMarkerLookup({
    kind: row.kind as SendKind,
    noteFormat: row.object_type === 'Note' ? 'classic' : 'enhanced',
    record: { type: row.record_type as LinkableRecordType, id: row.record_id },
    connectedUserId: row.salesforce_user_id,
    sentAt: new Date(row.first_sent_at),
  });
  const result =
    lookup.endpoint === 'queryAll' ? await client.queryAll(lookup.soql) : await client.query(lookup.soql);
  if (lookup.textField !== null) return findMarkedRecordId(result.records, lookup, marker);
  for (const candidate of result.records) {
    const id = String(candidate[lookup.idField]);
    const note = await client.retrieve('ContentNote', id, ['Content']);
    const content = note.Content;
    if (typeof content !== 'string') continue;
    // Salesforce answers a blob field with its URL; the emulator with the base64 itself.
    if (content.startsWith('/services/data/')) {
      if ((await client.readBlobText(content)).includes(escapeNoteHtml(marker))) return id;
    } else if (noteContentHasMarker(content, marker)) return id;
  }
  return null;
}

function recordUrl(instanceUrl: string, row: Pick<SendRow, 'object_type'>, id: string): string {
  return lightningRecordUrl(instanceUrl, row.object_type, id);
}

/**
 * Sends one meeting item (an explicit user action: the only way anything reaches Salesforce).
 * Answers the send; throws 422 `invalid_send` with per-field errors, 503 `send_outcome_unknown`,
 * 409 `send_in_progress` or `idempotency_key_reused`.
 */
export async function sendItem(
  service: ServiceContext,
  user: Actor,
  meetingId: string,
  itemId: string,
  input: SendInput,
): Promise<SendAnswer> {
  const { store } = service;
  const runtime = meetingRuntimeOf(service);
  const actor: Audit = {
    actorUserId: user.id,
    surface: user.surface,
    sender: { name: user.name, email: user.email },
  };
  // Independent reads, run together (on PostgreSQL they overlap); the meeting's answer goes first.
  // The client is made once (no Salesforce call yet) and serves the write and any lookup.
  const [visible, connectedResult, noteFormatResult] = await Promise.allSettled([
    assertVisibleItem(store, user, meetingId, itemId),
    connectedClient(service, user, input.connectionId),
    cachedNoteFormat(service),
  ]);
  if (visible.status === 'rejected') throw visible.reason;
  if (connectedResult.status === 'rejected') throw connectedResult.reason;
  if (noteFormatResult.status === 'rejected') throw noteFormatResult.reason;
  const connected = connectedResult.value;
  const noteFormat = noteFormatResult.value;
  const connection = {
    id: connected.connectionId,
    salesforce_org_id: connected.scope.orgId,
    salesforce_user_id: connected.scope.salesforceUserId,
  };
  const object = sendObjectFor(input.kind, noteFormat);
  const requestHash = requestHashOf(input, meetingId, itemId, noteFormat);
  const key = input.idempotencyKey;
  const scope = { orgId: connection.salesforce_org_id, salesforceUserId: connection.salesforce_user_id };

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
  const refuseInvalid = async (error: unknown, row?: Pick<SendRow, 'id'>) => {
    if (error instanceof ServiceError && error.code === 'invalid_send') {
      await auditSend(
        service,
        actor,
        'meeting.send',
        {
          id: row?.id ?? '',
          meeting_id: meetingId,
          item_id: itemId,
          kind: input.kind,
          record_type: input.records.map((record) => record.type).join(','),
          connection_id: connection.id,
          object_type: object,
        },
        'failure',
        { errorCode: 'invalid_send' },
      );
    }
    throw error;
  };

  const newRow = (request: SendRequest): SendRow => {
    const now = service.now();
    const at = new Date(now).toISOString();
    const row: SendRow = {
      id: newId(now),
      idempotency_key: key,
      user_id: user.id,
      meeting_id: meetingId,
      item_id: itemId,
      connection_id: connection.id,
      salesforce_user_id: connection.salesforce_user_id,
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
    return row;
  };
  /** Writes the journal row (before Salesforce is called); false when the key already has one. */
  const insertRow = async (row: SendRow): Promise<boolean> => {
    try {
      await store.db.insertInto('meeting_sends').values(row).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false; // a duplicate got there first: answer as it does
      throw error;
    }
  };
  const startWrite = (row: SendRow, request: SendRequest) =>
    track(runtime.inFlight, key, () =>
      holdingLease(service, row.id, row.attempt_id, () =>
        attemptWrite(service, connected, actor, row, row.attempt_id, request),
      ),
    );

  // Most sends carry a new key: insert straight away rather than reading first. The unique key
  // still decides between concurrent duplicates; a key that exists goes through the loop below.
  const firstBuild = tryBuild(build);
  if (firstBuild.ok) {
    const row = newRow(firstBuild.request);
    if (await insertRow(row)) return startWrite(row, firstBuild.request);
  }

  let waitedMs = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const existing = await readRow(service, key);
    if (!existing) {
      let request: SendRequest;
      try {
        request = build();
      } catch (error) {
        return refuseInvalid(error);
      }
      const row = newRow(request);
      if (!(await insertRow(row))) continue;
      return startWrite(row, request);
    }

    if (existing.user_id !== user.id) {
      throw conflict('This idempotency key is already in use: make a new one for a new send.');
    }
    if (existing.meeting_id !== meetingId || existing.item_id !== itemId) {
      // Even a failed key stays tied to its item: the journal row is that item's record of the send.
      throw keyReused();
    }
    if (existing.status === 'failed') {
      let request: SendRequest;
      try {
        request = build();
      } catch (error) {
        return refuseInvalid(error, existing);
      }
      const now = new Date(service.now()).toISOString();
      const changes = {
        request_hash: requestHash,
        record_type: request.record.type,
        record_id: request.record.id,
        kind: input.kind,
        object_type: object,
        connection_id: connection.id,
        salesforce_user_id: connection.salesforce_user_id,
        attempts: existing.attempts + 1,
        attempt_started_at: now,
        // Nothing was created before: the lookup window of this attempt starts now.
        first_sent_at: now,
        error_code: null,
        completed_at: null,
      };
      const claimed = await claim(service, existing, changes);
      if (!claimed) continue;
      const row: SendRow = { ...existing, ...changes, status: 'pending', attempt_id: claimed.attemptId };
      return track(runtime.inFlight, key, () =>
        holdingLease(service, row.id, claimed.attemptId, () =>
          attemptWrite(service, connected, actor, row, claimed.attemptId, request),
        ),
      );
    }
    if (existing.request_hash !== requestHash) throw keyReused();
    if (existing.status === 'succeeded') {
      await auditSend(service, actor, 'meeting.send.replayed', existing, 'success', {
        recordIds: existing.salesforce_id ? [existing.salesforce_id] : [],
      });
      return { outcome: 'existing', send: await readView(service, existing.id) };
    }

    // pending or unknown
    const inProcess = runtime.inFlight.get(key);
    if (inProcess) {
      await inProcess.catch(() => undefined);
      continue;
    }
    const now = service.now();
    const leaseUntil = existing.lease_until ? Date.parse(existing.lease_until) : 0;
    if (existing.status === 'pending' && leaseUntil > now) {
      // Another process is sending it: wait for its answer, within reason.
      if (waitedMs >= MAX_WAIT_MS) {
        throw new ServiceError(
          409,
          'send_in_progress',
          'This send is still in progress: retry in a moment.',
          {
            sendId: existing.id,
            retryAfterSeconds: 1,
          },
        );
      }
      await sleep(POLL_MS);
      waitedMs += POLL_MS;
      continue;
    }
    const claimed = await claim(service, existing, {});
    if (!claimed) continue;
    return track(runtime.inFlight, key, () =>
      holdingLease(service, existing.id, claimed.attemptId, () =>
        resolveForRetry(service, connected, actor, existing, claimed.attemptId, build),
      ),
    );
  }
  throw new ServiceError(409, 'send_in_progress', 'This send is still in progress: retry in a moment.');
}

function tryBuild(build: () => SendRequest): { ok: true; request: SendRequest } | { ok: false } {
  try {
    return { ok: true, request: build() };
  } catch {
    // Refused as invalid: the loop reads the row first, so a replay of a sent key still answers it.
    return { ok: false };
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Registers the holder's work so duplicates in this process wait for it instead of polling. */
function track<T>(inFlight: Map<string, Promise<unknown>>, key: string, work: () => Promise<T>): Promise<T> {
  const promise = work().finally(() => {
    if (inFlight.get(key) === promise) inFlight.delete(key);
  });
  inFlight.set(key, promise);
  return promise;
}

/**
 * When a lookup that finds nothing proves the attempt created nothing: the settle time after we
 * stopped waiting for its write, which is at the latest the write timeout after the attempt began.
 */
function settleAtOf(
  service: ServiceContext,
  row: Pick<SendRow, 'status' | 'attempt_started_at' | 'completed_at'>,
): number {
  const runtime = meetingRuntimeOf(service);
  const latest = Date.parse(row.attempt_started_at) + runtime.writeTimeoutMs;
  // An `unknown` row keeps in completed_at when its holder stopped waiting; a holder that died
  // stopped waiting at the latest when its write would have timed out.
  const stopped = row.status === 'unknown' && row.completed_at ? Date.parse(row.completed_at) : latest;
  return Math.min(stopped, latest) + runtime.settleMs;
}

/**
 * Runs the holder's work (the Salesforce write, lookups) while renewing its lease on the journal
 * row, so a slow call never lets another instance take the row over while it is still running.
 */
async function holdingLease<T>(
  service: ServiceContext,
  rowId: string,
  attemptId: string,
  work: () => Promise<T>,
): Promise<T> {
  const { settleMs } = meetingRuntimeOf(service);
  const timer = setInterval(
    () => {
      service.store.db
        .updateTable('meeting_sends')
        .set({ lease_until: new Date(service.now() + settleMs).toISOString() })
        .where('id', '=', rowId)
        .where('attempt_id', '=', attemptId)
        .where('status', '=', 'pending')
        .execute()
        .catch((error: unknown) => {
          service.logger.warn({ sendId: rowId, err: error }, 'meeting send: could not renew the lease');
        });
    },
    Math.max(10, Math.floor(settleMs / 3)),
  );
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The holder's Salesforce write and its completion in the journal. */
async function attemptWrite(
  service: ServiceContext,
  connected: ConnectedClient,
  actor: Audit,
  row: SendRow,
  attemptId: string,
  request: SendRequest,
): Promise<SendAnswer> {
  const { client, instanceUrl } = connected;
  try {
    const id = await perform(client, request, meetingRuntimeOf(service).writeTimeoutMs);
    const completion = {
      status: 'succeeded' as const,
      salesforce_id: id,
      salesforce_url: recordUrl(instanceUrl, row, id),
      error_code: null,
      completed_at: new Date(service.now()).toISOString(),
    };
    // Independent writes after the record exists: the journal completion and the audit row.
    const [finished] = await Promise.all([
      finish(service, row.id, attemptId, completion),
      auditSend(service, actor, 'meeting.send', row, 'success', { recordIds: [id], attempt: row.attempts }),
    ]);
    // Our completion stands: answer from memory. Lost to another holder: answer what it wrote.
    const send =
      finished && actor.sender
        ? sendViewOf({ ...row, ...completion, attempt_id: attemptId }, actor.sender)
        : await readView(service, row.id);
    return { outcome: 'created', send };
  } catch (error) {
    const stoppedAt = service.now();
    if (isDefiniteFailure(error)) {
      const salesforceErrors: SalesforceError[] =
        error instanceof SendRejected
          ? error.errors
          : error instanceof SalesforceApiError
            ? [
                {
                  message: error.message.replace(/^Salesforce: /, ''),
                  errorCode: error.salesforceErrorCode,
                  fields: error.fields,
                },
              ]
            : [];
      const errorCode =
        salesforceErrors[0]?.errorCode ?? (error instanceof ServiceError ? error.code : 'error');
      await finish(service, row.id, attemptId, {
        status: 'failed',
        error_code: errorCode,
        completed_at: new Date(service.now()).toISOString(),
      });
      await auditSend(service, actor, 'meeting.send', row, 'failure', { errorCode, attempt: row.attempts });
      // A Salesforce refusal that is about the request (validation, access) goes back on the form.
      if (salesforceErrors.length > 0 && !(error instanceof SalesforceApiError && error.retryable)) {
        throw invalidSend(
          mapSalesforceErrors(
            salesforceErrors,
            row.kind as SendKind,
            row.object_type === 'Note' ? 'classic' : 'enhanced',
            await referenceCandidates(service, connected, request, salesforceErrors),
          ),
        );
      }
      throw error;
    }
    // Unknown outcome. A lookup now can prove the record exists (never that it does not).
    await auditSend(service, actor, 'meeting.send', row, 'failure', {
      errorCode: 'outcome_unknown',
      attempt: row.attempts,
    });
    service.logger.warn(
      { sendId: row.id, err: error },
      'meeting send: Salesforce did not confirm; looking the record up',
    );
    return settleUnknown(service, actor, row, attemptId, client, instanceUrl, stoppedAt);
  }
}

/**
 * The ids of the payload a fieldless INVALID_CROSS_REFERENCE_KEY / INACTIVE_OWNER_OR_USER may be
 * about: the linked record, and the owner unless it is the connected user (whose session made the
 * call). With both in the payload the org's active users tell them apart — from the cache, or with
 * one read on this refusal path only (it also refreshes the list the form offers).
 */
async function referenceCandidates(
  service: ServiceContext,
  connected: ConnectedClient,
  request: SendRequest,
  errors: readonly SalesforceError[],
): Promise<ReferenceCandidate[]> {
  const record: ReferenceCandidate = { field: 'record', id: request.record.id, user: false };
  const ownerId = request.operation === 'create' ? request.body.OwnerId : undefined;
  if (typeof ownerId !== 'string') return [record];
  if (sameSalesforceId(ownerId, connected.scope.salesforceUserId)) {
    return [record, { field: 'ownerId', id: ownerId, user: true, known: 'valid' }];
  }
  const fieldless = errors.some(
    (error) => (error.fields ?? []).length === 0 && error.errorCode === 'INVALID_CROSS_REFERENCE_KEY',
  );
  const owner: ReferenceCandidate = { field: 'ownerId', id: ownerId, user: true };
  if (!fieldless) return [record, owner];
  const cache = meetingRuntimeOf(service).describeCache;
  let users = cache.peekActiveUsers(connected.scope);
  if (!users) {
    try {
      users = await cache.activeUsers(connected.client, connected.scope);
    } catch (error) {
      service.logger.warn({ err: error }, 'meeting send: could not read the active users to place an error');
      return [record, owner];
    }
  }
  const active = users.some((user) => sameSalesforceId(user.Id, ownerId));
  return [record, { ...owner, known: active ? 'valid' : 'invalid' }];
}

/** A lookup found the record an earlier attempt created: the send succeeded, audited as resolved. */
async function resolvedAsFound(
  service: ServiceContext,
  actor: Audit,
  row: SendRow,
  attemptId: string,
  instanceUrl: string,
  found: string,
  completedAt: string,
): Promise<void> {
  await finish(service, row.id, attemptId, {
    status: 'succeeded',
    salesforce_id: found,
    salesforce_url: recordUrl(instanceUrl, row, found),
    error_code: null,
    completed_at: completedAt,
  });
  await auditSend(service, actor, 'meeting.send.resolved', row, 'success', { recordIds: [found] });
}

/**
 * After an attempt whose outcome is unknown: looks the record up; found → succeeded, else the row
 * becomes `unknown` (completed_at: when we stopped waiting for the write; the settle time counts
 * from it) and the caller is told to retry. A background resolution is scheduled for when the
 * settle time has passed.
 */
async function settleUnknown(
  service: ServiceContext,
  actor: Audit,
  row: SendRow,
  attemptId: string,
  client: SalesforceClient,
  instanceUrl: string,
  stoppedAt: number,
): Promise<SendAnswer> {
  let found: string | null = null;
  try {
    found = await lookUp(client, row);
  } catch (error) {
    service.logger.warn({ sendId: row.id, err: error }, 'meeting send: the marker lookup failed');
  }
  if (found) {
    await resolvedAsFound(
      service,
      actor,
      row,
      attemptId,
      instanceUrl,
      found,
      new Date(service.now()).toISOString(),
    );
    return { outcome: 'created', send: await readView(service, row.id) };
  }
  const now = service.now();
  const unknown = {
    status: 'unknown' as const,
    error_code: 'outcome_unknown',
    lease_until: new Date(now).toISOString(),
    completed_at: new Date(stoppedAt).toISOString(),
  };
  await finish(service, row.id, attemptId, unknown);
  const settleAt = settleAtOf(service, { ...row, ...unknown });
  scheduleResolution(service, row.id, settleAt - now);
  throw outcomeUnknown(row, Math.max(1, Math.ceil((settleAt - now) / 1000)));
}

/** A person's retry of a send whose outcome is unknown (or whose holder died). */
async function resolveForRetry(
  service: ServiceContext,
  connected: ConnectedClient,
  actor: Audit,
  row: SendRow,
  attemptId: string,
  build: () => SendRequest,
): Promise<SendAnswer> {
  const { client, instanceUrl } = connected;
  let found: string | null;
  try {
    found = await lookUp(client, row);
  } catch (error) {
    await finish(service, row.id, attemptId, {
      status: 'unknown',
      lease_until: new Date(service.now()).toISOString(),
    });
    throw error;
  }
  if (found) {
    await resolvedAsFound(
      service,
      actor,
      row,
      attemptId,
      instanceUrl,
      found,
      new Date(service.now()).toISOString(),
    );
    return { outcome: 'existing', send: await readView(service, row.id) };
  }
  const now = service.now();
  const { settleMs } = meetingRuntimeOf(service);
  const settleAt = settleAtOf(service, row);
  if (now < settleAt) {
    await finish(service, row.id, attemptId, {
      status: 'unknown',
      lease_until: new Date(now).toISOString(),
      attempt_started_at: row.attempt_started_at,
    });
    throw outcomeUnknown(row, Math.max(1, Math.ceil((settleAt - now) / 1000)));
  }
  // Settled and not there: the earlier attempt created nothing. The person asked again: send.
  let request: SendRequest;
  try {
    request = build();
  } catch (error) {
    await finish(service, row.id, attemptId, {
      status: 'failed',
      error_code: 'invalid_send',
      completed_at: new Date(now).toISOString(),
    });
    throw error;
  }
  const at = new Date(now).toISOString();
  const next = { ...row, attempts: row.attempts + 1, attempt_started_at: at, completed_at: null };
  await finish(service, row.id, attemptId, {
    attempts: next.attempts,
    attempt_started_at: at,
    lease_until: new Date(now + settleMs).toISOString(),
    completed_at: null,
  });
  return attemptWrite(service, connected, actor, next, attemptId, request);
}

// ---------------------------------------------------------------------------------------------
// Background resolution: at startup, and after an unknown outcome. Looks up only; never sends.
// ---------------------------------------------------------------------------------------------

function scheduleResolution(service: ServiceContext, sendId: string, delayMs: number): void {
  const runtime = meetingRuntimeOf(service);
  if (runtime.stopped) return;
  const timer = setTimeout(
    () => {
      runtime.timers.delete(timer);
      resolveInBackground(service, sendId).catch((error: unknown) => {
        service.logger.warn({ sendId, err: error }, 'meeting send: background resolution failed');
      });
    },
    Math.max(0, delayMs),
  );
  timer.unref();
  runtime.timers.add(timer);
}

/** Schedules the resolution of every send left pending or unknown (called at startup). */
export async function resolveUnfinishedSends(service: ServiceContext): Promise<number> {
  const rows = await service.store.db
    .selectFrom('meeting_sends')
    .select(['id', 'status', 'lease_until', 'attempt_started_at', 'completed_at'])
    .where('status', 'in', ['pending', 'unknown'])
    .execute();
  const now = service.now();
  for (const row of rows) {
    const leaseUntil = row.lease_until ? Date.parse(row.lease_until) : 0;
    const readyAt = Math.max(leaseUntil, settleAtOf(service, row));
    scheduleResolution(service, row.id, readyAt - now);
  }
  return rows.length;
}

const RETRY_RESOLUTION_MS = 60_000;

export async function resolveInBackground(
  service: ServiceContext,
  sendId: string,
): Promise<SendRow['status']> {
  const runtime = meetingRuntimeOf(service);
  const row = await service.store.db
    .selectFrom('meeting_sends')
    .selectAll()
    .where('id', '=', sendId)
    .executeTakeFirst();
  if (!row || row.status === 'succeeded' || row.status === 'failed') return row?.status ?? 'failed';
  if (runtime.inFlight.has(row.idempotency_key)) return row.status;
  const now = service.now();
  const leaseUntil = row.lease_until ? Date.parse(row.lease_until) : 0;
  const settleAt = settleAtOf(service, row);
  if ((row.status === 'pending' && leaseUntil > now) || settleAt > now) {
    scheduleResolution(service, sendId, Math.max(leaseUntil, settleAt) - now);
    return row.status;
  }
  const claimed = await claim(service, row, {});
  if (!claimed) return row.status;
  const user = await service.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  const actor: Audit = { actorUserId: row.user_id, surface: 'system' };
  const giveBack = async () => {
    await finish(service, row.id, claimed.attemptId, {
      status: 'unknown',
      lease_until: new Date(service.now()).toISOString(),
    });
    scheduleResolution(service, row.id, RETRY_RESOLUTION_MS);
    return 'unknown' as const;
  };
  if (!user) return giveBack();
  const work = async (): Promise<SendRow['status']> => {
    let found: string | null;
    let instanceUrl: string;
    try {
      const connected = await connectedClient(
        service,
        {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          surface: 'system',
          sessionId: null,
        },
        row.connection_id,
      );
      instanceUrl = connected.instanceUrl;
      found = await lookUp(connected.client, row);
    } catch (error) {
      service.logger.warn(
        { sendId, err: error },
        'meeting send: could not look the record up; will try again',
      );
      return giveBack();
    }
    const at = new Date(service.now()).toISOString();
    if (found) {
      await resolvedAsFound(service, actor, row, claimed.attemptId, instanceUrl, found, at);
      return 'succeeded';
    }
    await finish(service, row.id, claimed.attemptId, {
      status: 'failed',
      error_code: 'not_sent',
      completed_at: at,
    });
    await auditSend(service, actor, 'meeting.send.resolved', row, 'failure', { errorCode: 'not_sent' });
    return 'failed';
  };
  return track(runtime.inFlight, row.idempotency_key, () =>
    holdingLease(service, row.id, claimed.attemptId, work),
  );
}
