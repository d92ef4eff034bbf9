/**
 * The journal of meeting sends (`meeting_sends`, one row per idempotency key): its reads and the
 * compare-and-set writes by which one attempt at a time holds a row. The rules that decide what
 * to write are in next-send-action.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '../../accounts/types.ts';
import { preparedInsert, preparedQuery } from '../../store/prepared-query.ts';
import type { Database, MeetingSendsTable } from '../../store/schema.ts';
import type { MeetingContext } from '../meeting-runtime.ts';
import { type SendView, sendViewOf } from './send-view.ts';

export type SendRow = Selectable<MeetingSendsTable>;

/** Every column of the journal, in the order a new row is written. */
const SEND_COLUMNS = [
  'id',
  'idempotency_key',
  'user_id',
  'meeting_id',
  'item_id',
  'kind',
  'object_type',
  'connection_id',
  'salesforce_user_id',
  'record_type',
  'record_id',
  'request_hash',
  'status',
  'attempt_id',
  'attempts',
  'first_sent_at',
  'attempt_started_at',
  'lease_until',
  'salesforce_id',
  'salesforce_url',
  'error_code',
  'created_at',
  'completed_at',
  'owner_instance',
  'lookup_title',
] as const satisfies ReadonlyArray<keyof SendRow>;
// A column added to the table and not listed above fails to compile here.
const everyColumnListed: Exclude<keyof SendRow, (typeof SEND_COLUMNS)[number]> extends never ? true : never =
  true;
void everyColumnListed;

// The statements of every send, compiled once (send path CPU: Kysely compiles each query anew).
const insertSend = preparedInsert<'meeting_sends', SendRow>('meeting_sends', SEND_COLUMNS);
const completeSend = preparedQuery(
  7,
  (
    db,
    rowId: string,
    attemptId: string,
    status: SendRow['status'],
    salesforceId: string | null,
    salesforceUrl: string | null,
    errorCode: string | null,
    completedAt: string | null,
  ) =>
    db
      .updateTable('meeting_sends')
      .set({
        status,
        salesforce_id: salesforceId,
        salesforce_url: salesforceUrl,
        error_code: errorCode,
        completed_at: completedAt,
      })
      .where('id', '=', rowId)
      .where('attempt_id', '=', attemptId),
);

export async function readSendRow(service: MeetingContext, key: string): Promise<SendRow | undefined> {
  return service.store.db
    .selectFrom('meeting_sends')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function readSendRowById(service: MeetingContext, sendId: string): Promise<SendRow | undefined> {
  return service.store.db.selectFrom('meeting_sends').selectAll().where('id', '=', sendId).executeTakeFirst();
}

/** The send as its answer shows it, with the sender's name. */
export async function readSendView(service: MeetingContext, sendId: string): Promise<SendView> {
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

/** Writes the journal row (before Salesforce is called); false when the key already has one. */
export async function insertSendRow(service: MeetingContext, row: SendRow): Promise<boolean> {
  try {
    await insertSend.execute(service.store.db, row);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // a duplicate got there first: answer as it does
    throw error;
  }
}

/** Takes the row over from `row` (compare-and-set on attempt_id); null when someone else did. */
export async function claimSendRow(
  service: MeetingContext,
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
      owner_instance: service.meetings.instanceId,
      lease_until: new Date(now + service.meetings.settleMs).toISOString(),
      ...changes,
    })
    .where('id', '=', row.id)
    .where('attempt_id', '=', row.attempt_id)
    .where('status', '=', row.status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { attemptId } : null;
}

/** Completes the holder's attempt; false when the lease was lost to someone else meanwhile. */
export async function finishSendRow(
  service: MeetingContext,
  rowId: string,
  attemptId: string,
  changes: Partial<SendRow>,
  /** A transaction to write in (the completion commits with its audit row); the store by default. */
  executor: Kysely<Database> = service.store.db,
): Promise<boolean> {
  const result = await executor
    .updateTable('meeting_sends')
    .set(changes)
    .where('id', '=', rowId)
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The holder's completion of a write Salesforce answered: as finishSendRow, in one prepared statement. */
export async function completeSendRow(
  executor: Kysely<Database>,
  rowId: string,
  attemptId: string,
  completion: Pick<SendRow, 'status' | 'salesforce_id' | 'salesforce_url' | 'error_code' | 'completed_at'>,
): Promise<boolean> {
  const { status, salesforce_id, salesforce_url, error_code, completed_at } = completion;
  const result = await completeSend.execute(
    executor,
    rowId,
    attemptId,
    status,
    salesforce_id,
    salesforce_url,
    error_code,
    completed_at,
  );
  return Number(result.numAffectedRows) === 1;
}

/**
 * Runs the holder's work (the Salesforce write, lookups) while renewing its lease on the journal
 * row, so a slow call never lets another instance take the row over while it is still running.
 */
export async function holdingLease<T>(
  service: MeetingContext,
  rowId: string,
  attemptId: string,
  work: () => Promise<T>,
): Promise<T> {
  const { settleMs } = service.meetings;
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
