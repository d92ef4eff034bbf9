/**
 * One send request, prepared: the reads it needs (run together), and what is derived from them —
 * the Salesforce request, the journal row it writes, the holder of an attempt.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/actor.ts';
import { newId } from '../../core/ids.ts';
import { type ConnectedClient, connectedClient } from '../connected-client.ts';
import { type NoteFormat, type SendObject, sendObjectFor } from '../form-fields.ts';
import type { MeetingContext } from '../meeting-runtime.ts';
import { cachedNoteFormat } from '../note-format.ts';
import { buildSendRequest, type SendRequest } from '../payloads/send-request.ts';
import { assertVisibleItem } from '../visible-meetings.ts';
import type { SendHolder } from './send-attempt.ts';
import { auditSend, type SendAuditActor } from './send-audit.ts';
import { invalidSend, isInvalidSend } from './send-errors.ts';
import { requestHashOf, type SendInput } from './send-input.ts';
import type { SendRow } from './send-journal.ts';

export interface SendDraft {
  service: MeetingContext;
  user: Actor;
  meetingId: string;
  itemId: string;
  input: SendInput;
  connected: ConnectedClient;
  noteFormat: NoteFormat;
  object: SendObject;
  requestHash: string;
  /** The idempotency key. */
  key: string;
  actor: SendAuditActor;
}

/** The reads a send needs, run together, and what is derived from them. */
export async function draftSend(
  service: MeetingContext,
  user: Actor,
  meetingId: string,
  itemId: string,
  input: SendInput,
): Promise<SendDraft> {
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
  const noteFormat = noteFormatResult.value;
  return {
    service,
    user,
    meetingId,
    itemId,
    input,
    connected: connectedResult.value,
    noteFormat,
    object: sendObjectFor(input.kind, noteFormat),
    requestHash: requestHashOf(input, meetingId, itemId, noteFormat),
    key: input.idempotencyKey,
    actor: { actorUserId: user.id, surface: user.surface, sender: { name: user.name, email: user.email } },
  };
}

/** Validates the form (against the cached describe) and builds the Salesforce request; throws 422. */
export function buildRequest(draft: SendDraft): SendRequest {
  const { service, connected, object, input } = draft;
  const cache = service.meetings.describeCache;
  const scope = { orgId: connected.orgId, salesforceUserId: connected.salesforceUserId };
  const describe = cache.peek(scope, object);
  const built = buildSendRequest({
    kind: input.kind,
    values: input.values,
    records: input.records,
    idempotencyKey: `${draft.user.id}:${draft.key}`,
    apiVersion: service.salesforce.apiVersion,
    // Validated against the cached describe when there is one; a send never spends a call on it.
    describe: describe ? { [object]: describe } : undefined,
    activeUserIds: cache.peekActiveUsers(scope)?.map((active) => active.Id),
    noteFormat: draft.noteFormat,
  });
  if (!built.ok) throw invalidSend(built.errors);
  return built.request;
}

/** The request, or the audited refusal of an invalid form. */
export async function buildOrRefuse(draft: SendDraft, row?: Pick<SendRow, 'id'>): Promise<SendRequest> {
  try {
    return buildRequest(draft);
  } catch (error) {
    if (isInvalidSend(error)) {
      const refused = {
        id: row?.id ?? '',
        meeting_id: draft.meetingId,
        item_id: draft.itemId,
        kind: draft.input.kind,
        record_type: draft.input.records.map((record) => record.type).join(','),
        connection_id: draft.connected.connectionId,
        object_type: draft.object,
      };
      await auditSend(draft.service, draft.actor, 'meeting.send', refused, 'failure', {
        errorCode: 'invalid_send',
      });
    }
    throw error;
  }
}

/** The journal columns this request sets on a row it writes or takes over. */
export function sentAsOf(
  draft: SendDraft,
): Pick<SendRow, 'kind' | 'object_type' | 'connection_id' | 'salesforce_user_id'> {
  return {
    kind: draft.input.kind,
    object_type: draft.object,
    connection_id: draft.connected.connectionId,
    salesforce_user_id: draft.connected.salesforceUserId,
  };
}

/** A new journal row for this request, pending under its first attempt. */
export function newSendRow(draft: SendDraft, request: SendRequest): SendRow {
  const now = draft.service.now();
  const at = new Date(now).toISOString();
  return {
    id: newId(now),
    idempotency_key: draft.key,
    user_id: draft.user.id,
    meeting_id: draft.meetingId,
    item_id: draft.itemId,
    ...sentAsOf(draft),
    record_type: request.record.type,
    record_id: request.record.id,
    request_hash: draft.requestHash,
    status: 'pending',
    attempt_id: randomUUID(),
    attempts: 1,
    first_sent_at: at,
    attempt_started_at: at,
    lease_until: new Date(now + draft.service.meetings.settleMs).toISOString(),
    salesforce_id: null,
    salesforce_url: null,
    error_code: null,
    created_at: at,
    completed_at: null,
    owner_instance: draft.service.meetings.instanceId,
    lookup_title: lookupTitleOf(request),
  };
}

export function holderOf(draft: SendDraft, attemptId: string): SendHolder {
  return { service: draft.service, connected: draft.connected, actor: draft.actor, attemptId };
}

/** The title an Enhanced Note is sent with: its lookup reads only the notes of that title. */
export function lookupTitleOf(request: SendRequest): string | null {
  if (request.operation !== 'composite') return null;
  const title = request.composite.compositeRequest.find((sub) => sub.referenceId === 'note')?.body;
  const value = (title as { Title?: unknown } | undefined)?.Title;
  return typeof value === 'string' ? value : null;
}
