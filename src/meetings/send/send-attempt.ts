/**
 * One attempt of a send, by the process holding its journal row: the Salesforce write and its
 * completion; after an unknown outcome, the lookup that settles it; and a person's retry of a
 * send whose outcome is unknown (look up first, send again only once that is conclusive).
 */

import { transactionWithoutSync } from '../../store/database.ts';
import type { ConnectedClient } from '../connected-client.ts';
import type { SendKind } from '../form-fields.ts';
import { lightningRecordUrl } from '../lightning-url.ts';
import type { MeetingContext } from '../meeting-runtime.ts';
import {
  mapSalesforceErrors,
  type ReferenceCandidate,
  type SalesforceError,
} from '../payloads/salesforce-error-mapping.ts';
import type { SendRequest } from '../payloads/send-request.ts';
import { sameSalesforceId } from '../record-types.ts';
import { errorSummary } from './error-summary.ts';
import { afterLookupMiss, retryAfterSeconds, settleAtOf } from './next-send-action.ts';
import {
  failureCodeOf,
  isDefiniteFailure,
  isRefusalOfTheForm,
  salesforceErrorsOf,
  transientFailureOf,
  writeRecord,
} from './salesforce-write.ts';
import { auditSend, type SendAuditActor, sendAuditEvent } from './send-audit.ts';
import { invalidSend, outcomeUnknown, sendRetryable } from './send-errors.ts';
import type { SendAnswer } from './send-input.ts';
import { completeSendRow, finishSendRow, readSendView, type SendRow } from './send-journal.ts';
import { recordFound, scheduleResolution, timingOf } from './send-resolution.ts';
import { sendViewOf } from './send-view.ts';
import { findSentRecord } from './sent-record-lookup.ts';

/** The holder of a journal row: who sends, through which client, under which attempt. */
export interface SendHolder {
  service: MeetingContext;
  connected: ConnectedClient;
  actor: SendAuditActor;
  attemptId: string;
}

/** The holder's Salesforce write and its completion in the journal. */
export async function attemptWrite(
  holder: SendHolder,
  row: SendRow,
  request: SendRequest,
): Promise<SendAnswer> {
  const { service, connected, actor, attemptId } = holder;
  try {
    const id = await writeRecord(connected.client, request, service.meetings.writeTimeoutMs);
    const completion = {
      status: 'succeeded' as const,
      salesforce_id: id,
      salesforce_url: lightningRecordUrl(connected.instanceUrl, row.object_type, id),
      error_code: null,
      completed_at: new Date(service.now()).toISOString(),
    };
    // The journal completion and its audit row in one transaction, neither written without the
    // other, whose commit does not wait for a disk sync: a power loss that undoes it leaves the
    // synced `pending` row, which the resolver settles by finding the record (audited then as
    // meeting.send.resolved). One disk sync per send, the one before Salesforce is called.
    const event = sendAuditEvent(actor, 'meeting.send', row, 'success', {
      recordIds: [id],
      attempt: row.attempts,
    });
    const { finished, audited } = await transactionWithoutSync(service.store, async (transaction) => ({
      finished: await completeSendRow(transaction, row.id, attemptId, completion),
      audited: await service.audit.recordWithin(transaction, event),
    }));
    audited.committed();
    // Our completion stands: answer from memory. Lost to another holder: answer what it wrote.
    const send =
      finished && actor.sender
        ? sendViewOf({ ...row, ...completion, attempt_id: attemptId }, actor.sender)
        : await readSendView(service, row.id);
    return { outcome: 'created', send };
  } catch (error) {
    const stoppedAt = service.now();
    if (isDefiniteFailure(error)) return failDefinitely(holder, row, request, error);
    // Unknown outcome. A lookup now can prove the record exists (never that it does not).
    await auditSend(service, actor, 'meeting.send', row, 'failure', {
      errorCode: 'outcome_unknown',
      attempt: row.attempts,
    });
    service.logger.warn(
      { sendId: row.id, salesforce: errorSummary(error) },
      'meeting send: Salesforce did not confirm; looking the record up',
    );
    return settleUnknown(holder, row, stoppedAt);
  }
}

/** Salesforce certainly created nothing: the row fails, and a refusal of the form goes back on it. */
async function failDefinitely(
  holder: SendHolder,
  row: SendRow,
  request: SendRequest,
  error: unknown,
): Promise<never> {
  const { service, actor, attemptId } = holder;
  const salesforceErrors = salesforceErrorsOf(error);
  const errorCode = failureCodeOf(error, salesforceErrors);
  await finishSendRow(service, row.id, attemptId, {
    status: 'failed',
    error_code: errorCode,
    completed_at: new Date(service.now()).toISOString(),
  });
  await auditSend(service, actor, 'meeting.send', row, 'failure', { errorCode, attempt: row.attempts });
  const transient = transientFailureOf(error);
  if (transient) throw sendRetryable(row.id, transient.reason, transient.retryAfterSeconds);
  if (isRefusalOfTheForm(error, salesforceErrors)) {
    throw invalidSend(
      mapSalesforceErrors(
        salesforceErrors,
        row.kind as SendKind,
        row.object_type === 'Note' ? 'classic' : 'enhanced',
        await referenceCandidates(holder, request, salesforceErrors),
      ),
    );
  }
  throw error;
}

/**
 * The ids of the payload a fieldless INVALID_CROSS_REFERENCE_KEY / INACTIVE_OWNER_OR_USER may be
 * about: the linked record, and the owner unless it is the connected user (whose session made the
 * call). With both in the payload the org's active users tell them apart — from the cache, or with
 * one read on this refusal path only (it also refreshes the list the form offers).
 */
async function referenceCandidates(
  { service, connected }: SendHolder,
  request: SendRequest,
  errors: readonly SalesforceError[],
): Promise<ReferenceCandidate[]> {
  const record: ReferenceCandidate = { field: 'record', id: request.record.id, user: false };
  const ownerId = request.operation === 'create' ? request.body.OwnerId : undefined;
  if (typeof ownerId !== 'string') return [record];
  if (sameSalesforceId(ownerId, connected.salesforceUserId)) {
    return [record, { field: 'ownerId', id: ownerId, user: true, known: 'valid' }];
  }
  const fieldless = errors.some(
    (error) => (error.fields ?? []).length === 0 && error.errorCode === 'INVALID_CROSS_REFERENCE_KEY',
  );
  const owner: ReferenceCandidate = { field: 'ownerId', id: ownerId, user: true };
  if (!fieldless) return [record, owner];
  const cache = service.meetings.describeCache;
  const scope = { orgId: connected.orgId, salesforceUserId: connected.salesforceUserId };
  let users = cache.peekActiveUsers(scope);
  if (!users) {
    try {
      users = await cache.activeUsers(connected.client, scope);
    } catch (error) {
      service.logger.warn(
        { salesforce: errorSummary(error) },
        'meeting send: could not read the active users to place an error',
      );
      return [record, owner];
    }
  }
  const active = users.some((user) => sameSalesforceId(user.Id, ownerId));
  return [record, { ...owner, known: active ? 'valid' : 'invalid' }];
}

/**
 * After an attempt whose outcome is unknown: looks the record up; found → succeeded, else the row
 * becomes `unknown` (completed_at: when we stopped waiting for the write; the settle time counts
 * from it) and the caller is told to retry. A background resolution is scheduled for when the
 * settle time has passed.
 */
async function settleUnknown(holder: SendHolder, row: SendRow, stoppedAt: number): Promise<SendAnswer> {
  const { service, connected, actor, attemptId } = holder;
  let found: string | null = null;
  try {
    found = await findSentRecord(connected.client, row, timingOf(service));
  } catch (error) {
    service.logger.warn(
      { sendId: row.id, salesforce: errorSummary(error) },
      'meeting send: the marker lookup failed',
    );
  }
  if (found) {
    const at = new Date(service.now()).toISOString();
    await recordFound({ service, actor, row, attemptId, instanceUrl: connected.instanceUrl, found, at });
    return { outcome: 'created', send: await readSendView(service, row.id) };
  }
  const now = service.now();
  const unknown = {
    status: 'unknown' as const,
    error_code: 'outcome_unknown',
    lease_until: new Date(now).toISOString(),
    completed_at: new Date(stoppedAt).toISOString(),
  };
  await finishSendRow(service, row.id, attemptId, unknown);
  const settleAt = settleAtOf({ ...row, ...unknown }, timingOf(service));
  scheduleResolution(service, row.id, settleAt - now);
  throw outcomeUnknown(row.id, retryAfterSeconds(settleAt, now));
}

/** A person's retry of a send whose outcome is unknown (or whose holder died). */
export async function resolveForRetry(
  holder: SendHolder,
  row: SendRow,
  build: () => SendRequest,
): Promise<SendAnswer> {
  const { service, connected, actor, attemptId } = holder;
  let found: string | null;
  try {
    found = await findSentRecord(connected.client, row, timingOf(service));
  } catch (error) {
    await finishSendRow(service, row.id, attemptId, {
      status: 'unknown',
      lease_until: new Date(service.now()).toISOString(),
    });
    throw error;
  }
  if (found) {
    const at = new Date(service.now()).toISOString();
    await recordFound({ service, actor, row, attemptId, instanceUrl: connected.instanceUrl, found, at });
    return { outcome: 'existing', send: await readSendView(service, row.id) };
  }
  const now = service.now();
  const miss = afterLookupMiss({ journalRow: row, now, timing: timingOf(service) });
  if (miss.action === 'outcome-unknown') {
    await finishSendRow(service, row.id, attemptId, {
      status: 'unknown',
      lease_until: new Date(now).toISOString(),
      attempt_started_at: row.attempt_started_at,
    });
    throw outcomeUnknown(row.id, miss.retryAfterSeconds);
  }
  return resendAfterMiss(holder, row, build, now);
}

/** Settled and not there: the earlier attempt created nothing. The person asked again: send. */
async function resendAfterMiss(
  holder: SendHolder,
  row: SendRow,
  build: () => SendRequest,
  now: number,
): Promise<SendAnswer> {
  const { service, attemptId } = holder;
  let request: SendRequest;
  try {
    request = build();
  } catch (error) {
    await finishSendRow(service, row.id, attemptId, {
      status: 'failed',
      error_code: 'invalid_send',
      completed_at: new Date(now).toISOString(),
    });
    throw error;
  }
  const at = new Date(now).toISOString();
  const next = { ...row, attempts: row.attempts + 1, attempt_started_at: at, completed_at: null };
  await finishSendRow(service, row.id, attemptId, {
    attempts: next.attempts,
    attempt_started_at: at,
    lease_until: new Date(now + service.meetings.settleMs).toISOString(),
    completed_at: null,
  });
  return attemptWrite(holder, next, request);
}
