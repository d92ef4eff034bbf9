/**
 * The background resolution of sends whose outcome is unknown: at startup for every unfinished
 * row, and after an unknown outcome once its settle time has passed. It looks up only and never
 * sends: only a person's retry sends again.
 */

import type { Actor } from '../../core/actor.ts';
import { connectedClient } from '../connected-client.ts';
import { lightningRecordUrl } from '../lightning-url.ts';
import { type MeetingContext, trackInFlight } from '../meeting-runtime.ts';
import { errorSummary } from './error-summary.ts';
import { nextResolutionAction, resolutionReadyAt, type SendTiming } from './next-send-action.ts';
import { auditSend, type SendAuditActor } from './send-audit.ts';
import { claimSendRow, finishSendRow, holdingLease, readSendRowById, type SendRow } from './send-journal.ts';
import { findSentRecord } from './sent-record-lookup.ts';

/** When a resolution that could not look the record up tries again. */
const RETRY_RESOLUTION_MS = 60_000;

export function timingOf(service: MeetingContext): Pick<SendTiming, 'settleMs' | 'writeTimeoutMs'> {
  return { settleMs: service.meetings.settleMs, writeTimeoutMs: service.meetings.writeTimeoutMs };
}

/** A lookup found the record an earlier attempt created: the send succeeded, audited as resolved. */
export async function recordFound({
  service,
  actor,
  row,
  attemptId,
  instanceUrl,
  found,
  at,
}: {
  service: MeetingContext;
  actor: SendAuditActor;
  row: SendRow;
  attemptId: string;
  instanceUrl: string;
  found: string;
  at: string;
}): Promise<void> {
  await finishSendRow(service, row.id, attemptId, {
    status: 'succeeded',
    salesforce_id: found,
    salesforce_url: lightningRecordUrl(instanceUrl, row.object_type, found),
    error_code: null,
    completed_at: at,
  });
  await auditSend(service, actor, 'meeting.send.resolved', row, 'success', { recordIds: [found] });
}

export function scheduleResolution(service: MeetingContext, sendId: string, delayMs: number): void {
  const runtime = service.meetings;
  if (runtime.stopped) return;
  const timer = setTimeout(
    () => {
      runtime.timers.delete(timer);
      resolveInBackground(service, sendId).catch((error: unknown) => {
        service.logger.warn(
          { sendId, error: errorSummary(error) },
          'meeting send: background resolution failed',
        );
      });
    },
    Math.max(0, delayMs),
  );
  timer.unref();
  runtime.timers.add(timer);
}

/** Schedules the resolution of every send left pending or unknown (called at startup). */
export async function resolveUnfinishedSends(service: MeetingContext): Promise<number> {
  const rows = await service.store.db
    .selectFrom('meeting_sends')
    .select(['id', 'status', 'lease_until', 'attempt_started_at', 'completed_at'])
    .where('status', 'in', ['pending', 'unknown'])
    .execute();
  const now = service.now();
  for (const row of rows) {
    scheduleResolution(service, row.id, resolutionReadyAt(row, timingOf(service)) - now);
  }
  return rows.length;
}

/** How many rows one sweep of the resolver takes on (the next sweep takes the rest). */
const SWEEP_BATCH = 50;

/**
 * Every instance's periodic resolver: every MEETING_SEND_RESOLVER_INTERVAL_MS it takes over the
 * sends whose holder stopped renewing its lease (an instance that died and is not replaced) and the
 * unknown ones that have settled, and looks them up. Safe on several instances at once: a row is
 * taken by compare-and-set on its attempt, so one resolver looks it up and the others skip it.
 */
export function startSendResolver(service: MeetingContext): void {
  const runtime = service.meetings;
  const next = () => {
    if (runtime.stopped) return;
    const timer = setTimeout(() => {
      runtime.timers.delete(timer);
      sweepUnfinishedSends(service)
        .catch((error: unknown) => {
          service.logger.warn({ error: errorSummary(error) }, 'meeting send: the resolver sweep failed');
        })
        .finally(next);
    }, runtime.resolverIntervalMs);
    timer.unref();
    runtime.timers.add(timer);
  };
  next();
}

/** One sweep: resolves the unfinished sends that are ready; answers how many it looked at. */
export async function sweepUnfinishedSends(service: MeetingContext): Promise<number> {
  const now = service.now();
  const nowText = new Date(now).toISOString();
  const rows = await service.store.db
    .selectFrom('meeting_sends')
    .select(['id', 'idempotency_key', 'status', 'lease_until', 'attempt_started_at', 'completed_at'])
    .where((where) =>
      where.or([
        where('status', '=', 'unknown'),
        where.and([where('status', '=', 'pending'), where('lease_until', '<', nowText)]),
      ]),
    )
    .orderBy('lease_until')
    .limit(SWEEP_BATCH)
    .execute();
  const ready = rows.filter(
    (row) =>
      !service.meetings.inFlight.has(row.idempotency_key) && resolutionReadyAt(row, timingOf(service)) <= now,
  );
  // One at a time: a sweep never floods Salesforce with lookups.
  for (const row of ready) await resolveInBackground(service, row.id);
  return ready.length;
}

export async function resolveInBackground(
  service: MeetingContext,
  sendId: string,
): Promise<SendRow['status']> {
  const row = await readSendRowById(service, sendId);
  const now = service.now();
  const next = nextResolutionAction({
    journalRow: row,
    heldHere: row !== undefined && service.meetings.inFlight.has(row.idempotency_key),
    now,
    timing: timingOf(service),
  });
  if (!row || next.action === 'done') return row?.status ?? 'failed';
  if (next.action === 'skip') return row.status;
  if (next.action === 'later') {
    scheduleResolution(service, sendId, next.at - now);
    return row.status;
  }
  const claimed = await claimSendRow(service, row, {});
  if (!claimed) return row.status;
  return trackInFlight(service.meetings, row.idempotency_key, () =>
    holdingLease(service, row.id, claimed.attemptId, () => lookUpAndSettle(service, row, claimed.attemptId)),
  );
}

/** The claimed row's lookup: found → succeeded; not found (settled) → failed `not_sent`. */
async function lookUpAndSettle(
  service: MeetingContext,
  row: SendRow,
  attemptId: string,
): Promise<SendRow['status']> {
  const actor: SendAuditActor = { actorUserId: row.user_id, surface: 'system' };
  const giveBack = async () => {
    await finishSendRow(service, row.id, attemptId, {
      status: 'unknown',
      lease_until: new Date(service.now()).toISOString(),
    });
    scheduleResolution(service, row.id, RETRY_RESOLUTION_MS);
    return 'unknown' as const;
  };
  const user = await service.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  if (!user) return giveBack();
  let found: string | null;
  let instanceUrl: string;
  try {
    const sender: Actor = {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      surface: 'system',
      sessionId: null,
    };
    const connected = await connectedClient(service, sender, row.connection_id);
    instanceUrl = connected.instanceUrl;
    found = await findSentRecord(connected.client, row, timingOf(service));
  } catch (error) {
    service.logger.warn(
      { sendId: row.id, salesforce: errorSummary(error) },
      'meeting send: could not look the record up; will try again',
    );
    return giveBack();
  }
  const at = new Date(service.now()).toISOString();
  if (found) {
    await recordFound({ service, actor, row, attemptId, instanceUrl, found, at });
    return 'succeeded';
  }
  await finishSendRow(service, row.id, attemptId, {
    status: 'failed',
    error_code: 'not_sent',
    completed_at: at,
  });
  await auditSend(service, actor, 'meeting.send.resolved', row, 'failure', { errorCode: 'not_sent' });
  return 'failed';
}
