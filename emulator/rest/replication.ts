/**
 * The data replication resources: `GET …/sobjects/T/updated/?start=&end=` lists the ids of records
 * created or changed in the window (by SystemModstamp), `GET …/sobjects/T/deleted/?start=&end=`
 * the records deleted in it (deletedDate is the SystemModstamp the delete stamped). As documented:
 * seconds are ignored, start must precede end, updated reaches back 30 days and deleted 15, at most
 * 600,000 ids, only records the caller may see.
 */
import { formatDateTime, parseDateTime } from '../core/datetime.ts';
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { resolveObject } from '../records/dml.ts';
import type { StoredRecord } from '../schema/types.ts';
import type { DataRequest, DataResponse } from './types.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const UPDATED_DAYS = 30;
const DELETED_DAYS = 15;
const MAX_IDS = 600_000;

function replicationError(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', message);
}

/** A start or end parameter, its seconds dropped. A `+` left unencoded in the URL arrives as a space. */
function readDate(request: DataRequest, name: 'start' | 'end'): number {
  const raw = request.query.get(name);
  if (raw === null || raw.trim() === '') {
    throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `The ${name} parameter is required.`);
  }
  const parsed = parseDateTime(raw.trim().replace(/ (\d{2}:?\d{2})$/, '+$1'));
  if (parsed === undefined) throw replicationError(`${name} is not a valid dateTime: ${raw}`);
  return Math.floor(parsed / MINUTE) * MINUTE;
}

interface Window {
  start: number;
  /** The end of what the answer covers: the end asked for, or now when that is later. */
  latestCovered: number;
}

function readWindow(org: Org, request: DataRequest, days: number): Window {
  const start = readDate(request, 'start');
  const end = readDate(request, 'end');
  if (start >= end) throw replicationError('startDate must chronologically precede endDate');
  const now = org.clock.now();
  const oldest = Math.floor(now / DAY) * DAY - days * DAY;
  if (start < oldest) {
    throw replicationError(
      `startDate cannot be more than ${days} days ago (the earliest is ${formatDateTime(oldest)})`,
    );
  }
  return { start, latestCovered: Math.min(end, Math.floor(now / MINUTE) * MINUTE) };
}

function stampOf(record: StoredRecord): number {
  const stamp = record.SystemModstamp ?? record.LastModifiedDate;
  return typeof stamp === 'string' ? (parseDateTime(stamp) ?? 0) : 0;
}

/** The caller's records of the object whose SystemModstamp lies in the window, deleted or live as asked. */
function recordsInWindow(
  org: Org,
  request: DataRequest,
  objectName: string,
  window: Window,
  deleted: boolean,
): StoredRecord[] {
  const access = org.security.forUser(request.session.userId);
  const object = resolveObject(org, objectName, access);
  const found: StoredRecord[] = [];
  for (const record of org.store.table(object.name).records.values()) {
    if ((record.IsDeleted === true) !== deleted) continue;
    const stamp = stampOf(record);
    if (stamp < window.start || stamp >= window.latestCovered) continue;
    if (!access.canRead(object.name, record)) continue;
    found.push(record);
    if (found.length > MAX_IDS) {
      throw new SalesforceApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        `More than ${MAX_IDS} ids found: choose start and end dates closer together`,
      );
    }
  }
  return found.sort((left, right) => stampOf(left) - stampOf(right));
}

export function handleUpdated(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const window = readWindow(org, request, UPDATED_DAYS);
  const records = recordsInWindow(org, request, params.type, window, false);
  return {
    status: 200,
    body: {
      ids: records.map((record) => record.Id),
      latestDateCovered: formatDateTime(window.latestCovered),
    },
  };
}

export function handleDeleted(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const window = readWindow(org, request, DELETED_DAYS);
  const records = recordsInWindow(org, request, params.type, window, true);
  // Nothing is ever purged from the emulator's recycle bin: everything since the org began is available.
  const organization = org.store.get('Organization', org.id);
  const orgCreated =
    typeof organization?.CreatedDate === 'string' ? parseDateTime(organization.CreatedDate) : 0;
  return {
    status: 200,
    body: {
      deletedRecords: records.map((record) => ({
        id: record.Id,
        deletedDate: formatDateTime(stampOf(record)),
      })),
      earliestDateAvailable: formatDateTime(Math.floor((orgCreated ?? 0) / MINUTE) * MINUTE),
      latestDateCovered: formatDateTime(window.latestCovered),
    },
  };
}
