/**
 * Conditional requests on sObject Rows, as Salesforce's REST API documents them: an ETag and
 * Last-Modified on every record read; `If-None-Match` and `If-Modified-Since` answer a GET with 304
 * when the record is unchanged; `If-Match`, `If-None-Match` and `If-Unmodified-Since` refuse a
 * write with 412 (nothing written) when the record changed under the caller.
 */
import { createHash } from 'node:crypto';
import { formatHttpDate, parseDateTime } from '../core/datetime.ts';
import { SalesforceApiError } from '../core/errors.ts';
import type { StoredRecord } from '../schema/types.ts';
import type { DataRequest } from './types.ts';

/** A strong ETag: a hash of the record's stored values, so any change to any field changes it. */
export function recordETag(record: StoredRecord): string {
  const digest = createHash('sha1').update(JSON.stringify(record)).digest('base64');
  return `"${digest}"`;
}

function lastModifiedOf(record: StoredRecord): number {
  const stamp =
    typeof record.LastModifiedDate === 'string' ? parseDateTime(record.LastModifiedDate) : undefined;
  // HTTP dates have whole seconds: compare at that precision, or a record would always look newer.
  return Math.floor((stamp ?? 0) / 1000) * 1000;
}

/** The validators a record read answers with. */
export function recordValidators(record: StoredRecord): Record<string, string> {
  return { ETag: recordETag(record), 'Last-Modified': formatHttpDate(lastModifiedOf(record)) };
}

function invalidHeader(name: string, value: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_HEADER_TYPE', `Invalid value for the ${name} header: ${value}`);
}

/**
 * `"a", "b"` or `*` into its entity tags, or undefined when malformed. Salesforce's own tags carry
 * `-gzip` when the response was compressed; the same representation matches without it.
 */
function parseETagList(value: string): string[] | '*' | undefined {
  if (value.trim() === '*') return '*';
  const tags: string[] = [];
  for (const part of value.split(',')) {
    const match = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(part);
    if (!match) return undefined;
    tags.push(match[1].replace(/-gzip$/, ''));
  }
  return tags;
}

function matches(tags: string[] | '*', record: StoredRecord): boolean {
  if (tags === '*') return true;
  return tags.includes(recordETag(record).slice(1, -1));
}

function parseHttpDate(name: string, value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidHeader(name, value);
  return time;
}

function preconditionFailed(message: string): SalesforceApiError {
  return new SalesforceApiError(412, 'PRECONDITION_FAILED', message);
}

/** For a GET of a record: whether the caller's copy is current (answer 304 instead of the record). */
export function isNotModified(request: DataRequest, record: StoredRecord): boolean {
  const noneMatch = request.headers.get('if-none-match');
  if (noneMatch !== null) {
    const tags = parseETagList(noneMatch);
    // HTTP: a malformed validator on a read is ignored and the full answer given.
    return tags !== undefined && matches(tags, record);
  }
  const modifiedSince = request.headers.get('if-modified-since');
  if (modifiedSince === null) return false;
  const since = Date.parse(modifiedSince);
  return !Number.isNaN(since) && lastModifiedOf(record) <= since;
}

/**
 * For a PATCH or DELETE of a record: throws 412 PRECONDITION_FAILED when a precondition does not
 * hold, 400 when a precondition header is malformed. Nothing has been written when it throws.
 */
export function checkWritePreconditions(request: DataRequest, record: StoredRecord): void {
  const ifMatch = request.headers.get('if-match');
  if (ifMatch !== null) {
    const tags = parseETagList(ifMatch);
    if (tags === undefined) throw invalidHeader('If-Match', ifMatch);
    if (!matches(tags, record)) {
      throw preconditionFailed('The record has changed: its ETag does not match the If-Match header.');
    }
  }
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    const tags = parseETagList(ifNoneMatch);
    if (tags === undefined) throw invalidHeader('If-None-Match', ifNoneMatch);
    if (matches(tags, record)) {
      throw preconditionFailed('The record matches an ETag of the If-None-Match header.');
    }
  }
  const unmodifiedSince = request.headers.get('if-unmodified-since');
  if (unmodifiedSince !== null) {
    const since = parseHttpDate('If-Unmodified-Since', unmodifiedSince);
    if (lastModifiedOf(record) > since) {
      throw preconditionFailed(
        `The record was modified at ${formatHttpDate(lastModifiedOf(record))}, after the If-Unmodified-Since date.`,
      );
    }
  }
}
