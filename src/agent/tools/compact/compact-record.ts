/**
 * Turns Salesforce's JSON into what the model reads. Salesforce answers are verbose for a model's
 * context: every record carries `attributes` (type and a URL), unset fields come back as `null`,
 * parents nest (`Account: { attributes, Name }`), every record repeats every field name, and one
 * query can return 2,000 rows. The model gets instead:
 *
 * - a table: the field names once per page (`fields`), then one array of values per record
 *   (`rows`). Repeating keys on every record was the largest remaining cost after `attributes`;
 * - each record's type and id only (the URL is dropped; the id is recovered from it when the query
 *   did not select Id); the type is the table's `object`;
 * - no nulls: a field null on every record of the page is left out, and a cell is `null` only to
 *   hold its place; parent paths flattened to `"Account.Name"`; compound fields (addresses) too;
 * - datetimes shortened losslessly (`2026-03-02T10:00:00.000+0000` → `2026-03-02T10:00:00Z`);
 *   `attributes` dropped, and so are the audit and system fields a `FIELDS(ALL)` or a retrieve
 *   returns on every record (`SystemModstamp`, `CreatedById`, `IsDeleted`…: see SYSTEM_FIELDS)
 *   unless the caller asked for them by name (`requestedFields`: the names a query mentions);
 * - long text cut at `maxTextLength` with a marker saying how much was cut;
 * - child subquery results as nested rows (their field names once per page, in `childFields`), at
 *   most `maxChildRecords` per parent, with `{ total, rows }` when more were cut;
 * - at most `pageSize` records and about `maxPageBytes` of JSON per page. The rest comes back as a
 *   `remainder` (already compacted) that the caller keeps in memory under the cursor token made by
 *   `createCursor`; the page says how many records remain and that token. Nothing here stores
 *   anything.
 *
 * One record (`get_record`, or a search that finds exactly one) gains nothing from a table, so it
 * has its own, denser form (`compactRecordText`): text, a header line `Type Id Name`, then one
 * `Field=value` per line with no quoting unless a value needs it. Like a table, it leaves out the
 * audit and system fields unless they were asked for by name; it also leaves out a compound
 * address when its parts (`MailingCity`…) are there too.
 *
 * `measureCompaction` reports the saving: the target is ≤ 40% of the raw bytes.
 *
 * This module compacts one record; compact-table.ts lays records out as a table, record-text.ts
 * writes the single-record form, compact-pages.ts cuts results into pages and remainders, and
 * summarize-describe.ts shortens a describe.
 */

export type CompactScalar = string | number | boolean;
export interface CompactChildren {
  total: number;
  records: CompactRecord[];
}
/** A record between compaction and rendering: flattened keys, no nulls. Remainders hold these. */
export type CompactRecord = { [key: string]: CompactValue };
export type CompactValue = CompactScalar | CompactChildren | CompactRecord | CompactValue[];

/** What the model reads: JSON values, with `null` only as a placeholder in a row. */
export type CompactCell = CompactScalar | null | CompactCell[] | { [key: string]: CompactCell };

export interface CompactOptions {
  pageSize?: number;
  maxPageBytes?: number;
  maxTextLength?: number;
  maxChildRecords?: number;
  /** Makes the opaque token printed in a page that has more; called only when there is more. */
  createCursor?: () => string;
  /**
   * Names the caller asked for (a query's field names, `get_record`'s `fields`): system fields
   * among them are kept. Case-insensitive; `FIELDS(ALL)` names nothing.
   */
  requestedFields?: readonly string[];
}

export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_MAX_PAGE_BYTES = 24_000;
export const DEFAULT_MAX_TEXT_LENGTH = 500;
export const DEFAULT_MAX_CHILD_RECORDS = 10;

/**
 * Audit and system fields left out of every result unless asked for by name: `FIELDS(ALL)` and a
 * retrieve return them on every record, they cost a third of a small record and about a tenth of
 * a `FIELDS(ALL)` table, and they rarely help the model act. CreatedDate and LastModifiedDate
 * stay: "when" is often the question. OwnerId stays: "whose" is too.
 */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'SystemModstamp',
  'PhotoUrl',
  'CreatedById',
  'LastModifiedById',
  'IsDeleted',
  'LastViewedDate',
  'LastReferencedDate',
]);
/** Internal key of a record's type; stripped when rendering (the table carries it). */
export const TYPE_KEY = 'type';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

interface RawAttributes {
  type?: string;
  url?: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isChildResult(value: JsonObject): boolean {
  return (
    Array.isArray(value.records) && typeof value.totalSize === 'number' && typeof value.done === 'boolean'
  );
}

export function isChildren(value: CompactValue): value is CompactChildren {
  return isObject(value) && Array.isArray(value.records) && typeof value.total === 'number';
}

export function attributesOf(record: JsonObject): RawAttributes {
  const attributes = record.attributes;
  if (!isObject(attributes)) return {};
  return {
    ...(typeof attributes.type === 'string' ? { type: attributes.type } : {}),
    ...(typeof attributes.url === 'string' ? { url: attributes.url } : {}),
  };
}

/** The record id at the end of `attributes.url` (`/services/data/v66.0/sobjects/Account/001…`). */
function idFromUrl(url: string | undefined): string | undefined {
  const last = url?.split('/').pop();
  return last && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(last) ? last : undefined;
}

export function truncateText(value: string, maxLength: number = DEFAULT_MAX_TEXT_LENGTH): string {
  if (value.length <= maxLength) return value;
  const characters = Array.from(value); // code points, so a surrogate pair is never split
  if (characters.length <= maxLength) return value;
  return `${characters.slice(0, maxLength).join('')}… [truncated, ${characters.length - maxLength} more characters]`;
}

const SALESFORCE_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{3})?(\+0000|Z)$/;

/** `2026-03-02T10:00:00.000+0000` → `2026-03-02T10:00:00Z` (same instant); milliseconds kept when not zero. */
function compactText(value: string, maxTextLength: number): string {
  const datetime = SALESFORCE_DATETIME.exec(value);
  if (datetime) return `${datetime[1]}${datetime[2] && datetime[2] !== '.000' ? datetime[2] : ''}Z`;
  return truncateText(value, maxTextLength);
}

export interface RecordOptions {
  maxTextLength: number;
  maxChildRecords: number;
  /** Lower-cased names asked for: system fields among them are kept. */
  requested: ReadonlySet<string>;
}

/** One record, compacted: its type under `type`, then `Id`, then flattened non-null fields. */
export function compactOne(raw: JsonObject, options: RecordOptions): CompactRecord {
  const attributes = attributesOf(raw);
  const record: CompactRecord = {};
  if (attributes.type) record[TYPE_KEY] = attributes.type;
  const id = typeof raw.Id === 'string' ? raw.Id : idFromUrl(attributes.url);
  if (id) record.Id = id;
  flattenInto(record, '', raw, options);
  return record;
}

function flattenInto(
  target: CompactRecord,
  prefix: string,
  source: JsonObject,
  options: RecordOptions,
): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === 'attributes' || value === null || value === undefined) continue;
    if (prefix === '' && (key === 'Id' || isUnaskedSystemField(key, options))) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') target[path] = compactText(value, options.maxTextLength);
    else if (typeof value === 'number' || typeof value === 'boolean') target[path] = value;
    else if (Array.isArray(value)) {
      const items = compactArray(value, options);
      if (items.length > 0) target[path] = items;
    } else if (isChildResult(value)) {
      const records = (value.records as Json[]).filter(isObject);
      target[path] = {
        total: value.totalSize as number,
        records: records.slice(0, options.maxChildRecords).map((child) => compactOne(child, options)),
      };
    } else {
      // A parent record (Account: { attributes, Name }) or a compound field (BillingAddress).
      flattenInto(target, path, value, options);
    }
  }
}

function isUnaskedSystemField(key: string, options: RecordOptions): boolean {
  return SYSTEM_FIELDS.has(key) && !options.requested.has(key.toLowerCase());
}

function compactArray(values: Json[], options: RecordOptions): CompactValue[] {
  const items: CompactValue[] = [];
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === 'string') items.push(compactText(value, options.maxTextLength));
    else if (typeof value === 'number' || typeof value === 'boolean') items.push(value);
    else if (Array.isArray(value)) items.push(compactArray(value, options));
    else {
      const nested: CompactRecord = {};
      flattenInto(nested, '', value, options);
      items.push(nested);
    }
  }
  return items;
}

export function resolveOptions(options: CompactOptions) {
  return {
    pageSize: Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE),
    maxPageBytes: options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
    record: {
      maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
      maxChildRecords: options.maxChildRecords ?? DEFAULT_MAX_CHILD_RECORDS,
      requested: new Set((options.requestedFields ?? []).map((field) => field.toLowerCase())),
    },
    createCursor: options.createCursor,
  };
}

export type ResolvedOptions = ReturnType<typeof resolveOptions>;
