import { malformedQuery, SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { type Cursor, findCursor, openCursor } from '../soql/cursors.ts';
import { type QueryRun, startQuery } from '../soql/execute.ts';
import { queryColumns } from './query-columns.ts';
import type { DataRequest, DataResponse } from './types.ts';

const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 2000;

/**
 * The batch size of `Sforce-Query-Options: batchSize=N`. Salesforce documents 200..2000 and
 * "no guarantee" beyond that, so out-of-range values are clamped rather than rejected.
 */
function batchSizeOf(headers: Headers): number | undefined {
  const match = /batchSize\s*=\s*(\d+)/i.exec(headers.get('sforce-query-options') ?? '');
  if (!match) return undefined;
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

function endpointOf(request: DataRequest): 'query' | 'queryAll' {
  return /\/queryAll(?:\/|$)/.test(request.path) ? 'queryAll' : 'query';
}

/** One page of a query result, in Salesforce's key order: totalSize, done, nextRecordsUrl, records. */
function page(
  org: Org,
  request: DataRequest,
  run: QueryRun,
  start: number,
  batchSize: number,
  cursor: Cursor | undefined,
): DataResponse {
  const end = Math.min(run.size, start + batchSize);
  const done = end >= run.size;
  const body: Record<string, unknown> = { totalSize: run.totalSize, done };
  if (!done) {
    const open = cursor ?? openCursor(org, run, batchSize);
    body.nextRecordsUrl = `/services/data/v${request.version}/${endpointOf(request)}/${open.id}-${end}`;
  }
  body.records = run.serialize(start, end);
  return { status: 200, body };
}

/** GET /query?q= and /queryAll?q= (the latter includes soft-deleted records). */
export function handleQuery(
  org: Org,
  request: DataRequest,
  options: { includeDeleted: boolean },
): DataResponse {
  const soql = request.query.get('q');
  if (soql === null || soql.trim() === '') throw malformedQuery('A query string has to be specified');
  if (request.query.get('columns') === 'true')
    return { status: 200, body: queryColumns(org, request.session.userId, soql) };
  const run = startQuery(org, request.session.userId, soql, {
    includeDeleted: options.includeDeleted,
    version: request.version,
  });
  return page(org, request, run, 0, batchSizeOf(request.headers) ?? DEFAULT_BATCH_SIZE, undefined);
}

/** GET /query/{locator} and /queryAll/{locator}: the next batch of an open cursor (`01g…-2000`). */
export function handleQueryMore(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const match = /^(01g[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)-(\d+)$/.exec(params.locator ?? '');
  const cursor = match ? findCursor(org, match[1]) : undefined;
  const start = match ? Number(match[2]) : Number.NaN;
  if (!cursor || !(start >= 0 && start <= cursor.run.size)) {
    throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(org, request, cursor.run, start, batchSizeOf(request.headers) ?? cursor.batchSize, cursor);
}
