import type { RecordVersion, SalesforceRecord } from './salesforce-types.ts';

/**
 * A record's version from a read (salesforce-types.ts RecordVersion): the ETag and Last-Modified
 * headers, or the record's LastModifiedDate when the header is missing.
 */
export function recordVersionOf(headers: Record<string, string>, record: SalesforceRecord): RecordVersion {
  const etag = headerOf(headers, 'etag');
  const stamp =
    typeof record.LastModifiedDate === 'string' ? Date.parse(record.LastModifiedDate) : Number.NaN;
  const lastModified =
    headerOf(headers, 'last-modified') ?? (Number.isNaN(stamp) ? undefined : new Date(stamp).toUTCString());
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** The conditional header of a write: the ETag when the read had one (exact), else Last-Modified (to the second). */
export function preconditionHeaders(version: RecordVersion | undefined): Record<string, string> {
  if (version?.etag) return { 'If-Match': version.etag };
  if (version?.lastModified) return { 'If-Unmodified-Since': version.lastModified };
  return {};
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
