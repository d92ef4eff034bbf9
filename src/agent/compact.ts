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

export interface CompactTable {
  object?: string;
  fields: string[];
  /** For child subquery columns: the children's field names (see toTable). */
  childFields?: Record<string, string[]>;
  rows: CompactCell[][];
}

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

export interface PageMore {
  remaining: number;
  cursor: string;
}

/** A page of a query (`query_records`, and `next_page` on one): one table. */
export interface CompactQueryPage extends CompactTable {
  /** Salesforce's count of matching records (for COUNT() queries, the count itself). */
  totalSize?: number;
  returned: number;
  more?: PageMore;
}

/** A page of a search (`search_records`): one table per object, in the order Salesforce returned them. */
export interface CompactSearchPage {
  returned: number;
  results: CompactTable[];
  more?: PageMore;
}

/** What is left after a page: the caller keeps it in memory under `page.more.cursor`. */
export interface CompactRemainder {
  kind: 'query' | 'search';
  object?: string;
  totalSize?: number;
  /** Records already shown to the model, across pages. */
  shown: number;
  records: CompactRecord[];
  /** Salesforce's locator for the rows it has not sent yet (queries over 2,000 rows). */
  nextRecordsUrl?: string;
  /** The query's `requestedFields`, for compacting the batches behind `nextRecordsUrl` alike. */
  requestedFields?: readonly string[];
}

export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_MAX_PAGE_BYTES = 24_000;
export const DEFAULT_MAX_TEXT_LENGTH = 500;
export const DEFAULT_MAX_CHILD_RECORDS = 10;
export const DEFAULT_MAX_PICKLIST_VALUES = 25;

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
const TYPE_KEY = 'type';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface RawAttributes {
  type?: string;
  url?: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isChildResult(value: JsonObject): boolean {
  return (
    Array.isArray(value.records) && typeof value.totalSize === 'number' && typeof value.done === 'boolean'
  );
}

function isChildren(value: CompactValue): value is CompactChildren {
  return isObject(value) && Array.isArray(value.records) && typeof value.total === 'number';
}

function attributesOf(record: JsonObject): RawAttributes {
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

interface RecordOptions {
  maxTextLength: number;
  maxChildRecords: number;
  /** Lower-cased names asked for: system fields among them are kept. */
  requested: ReadonlySet<string>;
}

/** One record, compacted: its type under `type`, then `Id`, then flattened non-null fields. */
function compactOne(raw: JsonObject, options: RecordOptions): CompactRecord {
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

/**
 * Records (of one type) as a table: the union of their fields in first-seen order. A child
 * subquery column holds, per row, the child rows only (`[[…], …]`), or `{ total, rows }` when
 * there were more children than shown; the children's field names are given once, in
 * `childFields`, because repeating them in every row cost more than the rows saved.
 */
export function toTable(records: readonly CompactRecord[], object?: string): CompactTable {
  const fields: string[] = [];
  const seen = new Set<string>();
  const childFields: Record<string, string[]> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      if (key === TYPE_KEY) continue;
      if (!seen.has(key)) {
        seen.add(key);
        fields.push(key);
      }
      if (isChildren(value)) childFields[key] = unionFields(childFields[key] ?? [], value.records);
    }
  }
  const rows = records.map((record) =>
    fields.map((field) => {
      const value = record[field];
      if (value === undefined) return null;
      if (isChildren(value)) {
        const childRows = value.records.map((child) => rowOf(child, childFields[field] ?? []));
        return value.total > childRows.length ? { total: value.total, rows: childRows } : childRows;
      }
      return renderValue(value);
    }),
  );
  return {
    ...(object === undefined ? {} : { object }),
    fields,
    ...(Object.keys(childFields).length > 0 ? { childFields } : {}),
    rows,
  };
}

function unionFields(known: string[], records: readonly CompactRecord[]): string[] {
  const fields = [...known];
  for (const record of records) {
    for (const key of Object.keys(record)) if (key !== TYPE_KEY && !fields.includes(key)) fields.push(key);
  }
  return fields;
}

function rowOf(record: CompactRecord, fields: readonly string[]): CompactCell[] {
  return fields.map((field) => (record[field] === undefined ? null : renderValue(record[field])));
}

function renderValue(value: CompactValue): CompactCell {
  if (Array.isArray(value)) return value.map(renderValue);
  if (isObject(value)) {
    if (isChildren(value)) {
      const table = toTable(value.records);
      return { total: value.total, fields: table.fields, rows: table.rows };
    }
    const rendered: { [key: string]: CompactCell } = {};
    for (const [key, item] of Object.entries(value)) rendered[key] = renderValue(item as CompactValue);
    return rendered;
  }
  return value as CompactScalar;
}

function renderRecord(record: CompactRecord): { [key: string]: CompactCell } {
  const rendered: { [key: string]: CompactCell } = {};
  for (const [key, value] of Object.entries(record)) rendered[key] = renderValue(value);
  return rendered;
}

function resolveOptions(options: CompactOptions) {
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

export type SingleRecordOptions = CompactOptions;

/** A single retrieved record (`GET sobjects/{type}/{id}`): one object, `type` and `Id` first. */
export function compactRecord(
  raw: unknown,
  options: SingleRecordOptions = {},
): { [key: string]: CompactCell } {
  if (!isObject(raw)) return {};
  return renderRecord(singleRecord(raw, options));
}

/**
 * A single record as the model reads it: `Type Id Name` on the first line, then `Field=value`
 * lines. Values are written as they are, and JSON-quoted only where plain text would mislead:
 * empty, edged with spaces, spanning lines, or reading as a number, boolean or null.
 */
export function compactRecordText(raw: unknown, options: SingleRecordOptions = {}): string {
  if (!isObject(raw)) return '';
  const record = singleRecord(raw, options);
  const { [TYPE_KEY]: type, Id: id, Name: name, ...fields } = record;
  const header = [type, id, name]
    .filter((part) => part !== undefined)
    .map((part) => textValue(part))
    .join(' ');
  const lines = Object.entries(fields).map(([key, value]) => `${key}=${textValue(value)}`);
  return [header, ...lines].join('\n');
}

function singleRecord(raw: JsonObject, options: SingleRecordOptions): CompactRecord {
  const record = compactOne(raw, resolveOptions(options).record);
  for (const [key, value] of Object.entries(raw)) {
    if (isObject(value) && !('attributes' in value) && repeatsItsParts(raw, key, value)) {
      for (const path of Object.keys(record)) if (path.startsWith(`${key}.`)) delete record[path];
    }
  }
  return record;
}

/**
 * True for a compound field whose every set part is also a field of its own with the same value
 * (`MailingAddress.city` and `MailingCity`; Lead's `Address.city` and `City`).
 */
function repeatsItsParts(raw: JsonObject, key: string, compound: JsonObject): boolean {
  const prefix = key.endsWith('Address') ? key.slice(0, -'Address'.length) : key;
  const parts = Object.entries(compound).filter(([, value]) => value !== null);
  return (
    parts.length > 0 &&
    parts.every(([part, value]) => raw[`${prefix}${part[0].toUpperCase()}${part.slice(1)}`] === value)
  );
}

const LOOKS_TYPED = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

function textValue(value: CompactValue): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return JSON.stringify(renderValue(value));
  const plain =
    value !== '' &&
    value.trim() === value &&
    !value.startsWith('"') &&
    !LOOKS_TYPED.test(value) &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
    !/[\u0000-\u001f\u2028\u2029]/.test(value);
  return plain ? value : JSON.stringify(value);
}

export interface QueryPageResult {
  page: CompactQueryPage;
  remainder: CompactRemainder | null;
}

export interface SearchPageResult {
  page: CompactSearchPage;
  remainder: CompactRemainder | null;
}

/**
 * A query result (`{ totalSize, done, records, nextRecordsUrl? }`), first page. Pass `alreadyShown`
 * when compacting a batch fetched from `nextRecordsUrl` for a cursor, so counts stay right.
 */
export function compactQueryResult(
  raw: unknown,
  options: CompactOptions & { alreadyShown?: number } = {},
): QueryPageResult {
  const resolved = resolveOptions(options);
  const body = isObject(raw) ? raw : {};
  const rawRecords = (Array.isArray(body.records) ? body.records : []).filter(isObject);
  const records = rawRecords.map((record) => compactOne(record, resolved.record));
  const object = rawRecords.length > 0 ? attributesOf(rawRecords[0]).type : undefined;
  const remainder: CompactRemainder = {
    kind: 'query',
    ...(object === undefined ? {} : { object }),
    ...(typeof body.totalSize === 'number' ? { totalSize: body.totalSize } : {}),
    shown: options.alreadyShown ?? 0,
    records,
    ...(body.done === false && typeof body.nextRecordsUrl === 'string'
      ? { nextRecordsUrl: body.nextRecordsUrl }
      : {}),
    ...(options.requestedFields?.length ? { requestedFields: options.requestedFields } : {}),
  };
  return queryPage(remainder, resolved);
}

/** A SOSL result (`{ searchRecords: [...] }`): records of several types, a table per type. */
export function compactSearchResult(raw: unknown, options: CompactOptions = {}): SearchPageResult {
  const resolved = resolveOptions(options);
  const body = isObject(raw) ? raw : {};
  const rawRecords = (Array.isArray(body.searchRecords) ? body.searchRecords : []).filter(isObject);
  const records = rawRecords.map((record) => compactOne(record, resolved.record));
  return searchPage({ kind: 'search', shown: 0, records }, resolved);
}

/**
 * The next page of a remainder kept under a cursor (the `next_page` tool). When its records are
 * used up but it has a `nextRecordsUrl`, fetch that and call compactQueryResult with `alreadyShown`.
 */
export function pageFromRemainder(
  remainder: CompactRemainder,
  options: CompactOptions = {},
): QueryPageResult | SearchPageResult {
  const resolved = resolveOptions(options);
  return remainder.kind === 'search' ? searchPage(remainder, resolved) : queryPage(remainder, resolved);
}

type ResolvedOptions = ReturnType<typeof resolveOptions>;

function queryPage(source: CompactRemainder, options: ResolvedOptions): QueryPageResult {
  const { pageRecords, more, remainder } = split(source, options);
  const table = toTable(pageRecords, source.object);
  const page: CompactQueryPage = {
    ...(table.object === undefined ? {} : { object: table.object }),
    ...(source.totalSize === undefined ? {} : { totalSize: source.totalSize }),
    returned: pageRecords.length,
    fields: table.fields,
    ...(table.childFields ? { childFields: table.childFields } : {}),
    rows: table.rows,
    ...(more ? { more } : {}),
  };
  return { page, remainder };
}

function searchPage(source: CompactRemainder, options: ResolvedOptions): SearchPageResult {
  const { pageRecords, more, remainder } = split(source, options);
  const byType = new Map<string, CompactRecord[]>();
  for (const record of pageRecords) {
    const type = typeof record[TYPE_KEY] === 'string' ? record[TYPE_KEY] : '';
    const group = byType.get(type) ?? [];
    group.push(record);
    byType.set(type, group);
  }
  const results = [...byType].map(([type, records]) => toTable(records, type || undefined));
  return { page: { returned: pageRecords.length, results, ...(more ? { more } : {}) }, remainder };
}

function split(source: CompactRemainder, options: ResolvedOptions) {
  const pageRecords: CompactRecord[] = [];
  let bytes = 0;
  for (const record of source.records) {
    if (pageRecords.length >= options.pageSize) break;
    const size = byteLength(record) + 1;
    // Always at least one record, so a page makes progress even when one record is large.
    if (pageRecords.length > 0 && bytes + size > options.maxPageBytes) break;
    pageRecords.push(record);
    bytes += size;
  }
  const shown = source.shown + pageRecords.length;
  const rest = source.records.slice(pageRecords.length);
  const hasMore = rest.length > 0 || source.nextRecordsUrl !== undefined;
  if (!hasMore) return { pageRecords, more: undefined, remainder: null };
  if (!options.createCursor)
    throw new Error('compact: createCursor is required when a result has more pages');
  const remaining =
    source.nextRecordsUrl !== undefined && source.totalSize !== undefined
      ? Math.max(source.totalSize - shown, rest.length)
      : rest.length;
  const remainder: CompactRemainder = { ...source, shown, records: rest };
  return { pageRecords, more: { remaining, cursor: options.createCursor() }, remainder };
}

export interface DescribeFieldSummary {
  name: string;
  type: string;
  label?: string;
  required?: true;
  readOnly?: true;
  createOnly?: true;
  length?: number;
  referenceTo?: string[];
  picklist?: string[];
  morePicklistValues?: number;
}

export interface DescribeSummary {
  name: string;
  label: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Fields a create must set: not nillable, createable, and not defaulted by Salesforce. */
  requiredOnCreate: string[];
  fields: DescribeFieldSummary[];
}

/** The part of `sobjects/{type}/describe` the model needs to write correct queries and records. */
export function summarizeDescribe(
  raw: unknown,
  options: { maxPicklistValues?: number } = {},
): DescribeSummary {
  const maxPicklistValues = options.maxPicklistValues ?? DEFAULT_MAX_PICKLIST_VALUES;
  const body = isObject(raw) ? raw : {};
  const rawFields = (Array.isArray(body.fields) ? body.fields : []).filter(isObject);
  const fields: DescribeFieldSummary[] = [];
  const requiredOnCreate: string[] = [];
  for (const field of rawFields) {
    const name = String(field.name);
    const type = String(field.type);
    const summary: DescribeFieldSummary = { name, type };
    const label = typeof field.label === 'string' ? field.label : '';
    // The label only when it tells the model something the API name does not.
    if (label && normalizeLabel(label) !== normalizeLabel(name)) summary.label = label;
    const createable = field.createable === true;
    const updateable = field.updateable === true;
    const required = createable && field.nillable === false && field.defaultedOnCreate !== true;
    if (required) {
      summary.required = true;
      requiredOnCreate.push(name);
    }
    if (!createable && !updateable) summary.readOnly = true;
    else if (createable && !updateable) summary.createOnly = true;
    if ((type === 'string' || type === 'textarea') && typeof field.length === 'number' && field.length > 0) {
      summary.length = field.length;
    }
    if (type === 'reference' && Array.isArray(field.referenceTo) && field.referenceTo.length > 0) {
      summary.referenceTo = field.referenceTo.filter(
        (target): target is string => typeof target === 'string',
      );
    }
    if (Array.isArray(field.picklistValues) && field.picklistValues.length > 0) {
      const values = field.picklistValues
        .filter(isObject)
        .filter((entry) => entry.active !== false)
        .map((entry) => String(entry.value));
      if (values.length > 0) {
        summary.picklist = values.slice(0, maxPicklistValues);
        if (values.length > maxPicklistValues) summary.morePicklistValues = values.length - maxPicklistValues;
      }
    }
    fields.push(summary);
  }
  return {
    name: String(body.name ?? ''),
    label: String(body.label ?? ''),
    createable: body.createable === true,
    updateable: body.updateable === true,
    deletable: body.deletable === true,
    requiredOnCreate,
    fields,
  };
}

function normalizeLabel(text: string): string {
  return text.replace(/[\s_]/g, '').toLowerCase();
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

/** Bytes of the raw Salesforce JSON against bytes of what the model is given. */
export function measureCompaction(
  raw: unknown,
  compact: unknown,
): { rawBytes: number; compactBytes: number; ratio: number } {
  const rawBytes = byteLength(raw);
  const compactBytes = byteLength(compact);
  return { rawBytes, compactBytes, ratio: rawBytes === 0 ? 0 : compactBytes / rawBytes };
}
