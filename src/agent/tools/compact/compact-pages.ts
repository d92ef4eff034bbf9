import {
  attributesOf,
  type CompactOptions,
  type CompactRecord,
  compactOne,
  isObject,
  type ResolvedOptions,
  resolveOptions,
  TYPE_KEY,
} from './compact-record.ts';
import { type CompactTable, toTable } from './compact-table.ts';

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
