import { z } from 'zod';
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import type { DataRequest, DataResponse } from '../rest/types.ts';
import { startQuery } from '../soql/execute.ts';
import { type Plan, type Projection, planQuery } from '../soql/plan.ts';
import { invalidJob, invalidJobState } from './bulk-errors.ts';
import {
  findJob,
  jobFormatSchema,
  jobInfo,
  jobsOf,
  newJobBase,
  parseJobBody,
  type QueryJob,
  touch,
} from './bulk-jobs.ts';
import { csvLine, lineBreak } from './csv.ts';

const queryJobSchema = jobFormatSchema.extend({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
});

const stateChangeSchema = z.object({ state: z.string() });

/** Rows per results page when the client gives no `maxRecords`. */
const DEFAULT_MAX_RECORDS = 50_000;

/** Bulk API 2.0 query does not do what cannot be flattened into CSV rows. */
function refuseUnsupported(plan: Plan): void {
  if (plan.countOnly || plan.aggregate) {
    throw invalidJob('Aggregate queries are not supported by Bulk API 2.0 query jobs');
  }
  if (plan.projection.entries.some((entry) => entry.kind === 'children')) {
    throw invalidJob('Nested (relationship) subqueries are not supported by Bulk API 2.0 query jobs');
  }
}

/** Column names of the CSV header: fields, and parent fields as `Account.Name`. */
function columnPaths(projection: Projection, prefix: string[]): string[][] {
  return projection.entries.flatMap((entry) =>
    entry.kind === 'parent'
      ? columnPaths(entry.projection, [...prefix, entry.name])
      : [[...prefix, entry.name]],
  );
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** POST /jobs/query: the query is checked, then run at once; results wait for the client. */
export function handleCreateQueryJob(org: Org, request: DataRequest): DataResponse {
  const definition = parseJobBody(queryJobSchema, request.body);
  const userId = request.session.userId;
  // Planned against the caller's schema: a bad query is refused here, with the query's own error.
  const plan = planQuery(org.security.forUser(userId).schema, definition.query);
  refuseUnsupported(plan);
  const job: QueryJob = {
    ...newJobBase(org, request),
    kind: 'query',
    operation: definition.operation,
    object: plan.object.name,
    state: 'UploadComplete',
    columnDelimiter: definition.columnDelimiter,
    lineEnding: definition.lineEnding,
    numberRecordsProcessed: 0,
    totalProcessingTime: 0,
    query: definition.query,
    header: '',
    rows: [],
  };
  jobsOf(org).set(job.id, job);
  const accepted = jobInfo(job);
  processQueryJob(org, job, plan, userId);
  return { status: 200, body: accepted };
}

function processQueryJob(org: Org, job: QueryJob, plan: Plan, userId: string): void {
  const started = performance.now();
  touch(org, job, 'InProgress');
  const paths = columnPaths(plan.projection, []);
  const run = startQuery(org, userId, job.query, {
    includeDeleted: job.operation === 'queryAll',
    version: job.apiVersion,
  });
  job.header = csvLine(
    paths.map((path) => path.join('.')),
    job.columnDelimiter,
  );
  const records = run.serialize(0, run.size);
  const cells = new Array<string>(paths.length);
  for (const record of records) {
    for (let column = 0; column < paths.length; column++) {
      let value: unknown = record;
      for (const key of paths[column]) {
        value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
      }
      cells[column] = cellText(value);
    }
    job.rows.push(csvLine(cells, job.columnDelimiter));
  }
  job.numberRecordsProcessed = job.rows.length;
  job.totalProcessingTime = Math.round(performance.now() - started);
  touch(org, job, 'JobComplete');
}

/** PATCH /jobs/query/{id} with `{"state": "Aborted"}`: only an unfinished job can be aborted. */
export function handlePatchQueryJob(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const job = findJob(org, request, 'query', params.jobId);
  const { state } = parseJobBody(stateChangeSchema, request.body);
  if (state !== 'Aborted') throw invalidJob(`Invalid state change: ${state}. Only Aborted is allowed`);
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') {
    throw invalidJobState(`Job ${job.id} is already finished (state ${job.state})`);
  }
  touch(org, job, 'Aborted');
  return { status: 200, body: jobInfo(job) };
}

/** A locator is the base64 of the next row's offset, as Salesforce's look (`MTAwMDA` = 10000). */
function locatorOf(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function offsetOf(locator: string): number {
  const text = Buffer.from(locator, 'base64').toString('utf8');
  if (!/^\d+$/.test(text)) throw new SalesforceApiError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
  return Number(text);
}

/**
 * GET /jobs/query/{id}/results?locator=&maxRecords=: one page of CSV (header included),
 * `Sforce-Locator` naming the next page (`null` on the last) and `Sforce-NumberOfRecords`.
 */
export function handleQueryResults(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const job = findJob(org, request, 'query', params.jobId);
  if (job.state !== 'JobComplete') {
    throw invalidJobState(`Job ${job.id} is not complete (state ${job.state}); results are not available`);
  }
  const maxText = request.query.get('maxRecords');
  const maxRecords = maxText === null ? DEFAULT_MAX_RECORDS : Number(maxText);
  if (!Number.isInteger(maxRecords) || maxRecords < 1) {
    throw new SalesforceApiError(
      400,
      'INVALIDMAXRECORDS',
      `maxRecords must be a positive integer: ${maxText}`,
    );
  }
  const locator = request.query.get('locator');
  const start = locator ? offsetOf(locator) : 0;
  if (start > job.rows.length)
    throw new SalesforceApiError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
  const end = Math.min(job.rows.length, start + maxRecords);
  const newline = lineBreak(job.lineEnding);
  const page = job.rows.slice(start, end);
  const text = `${job.header}${newline}${page.length > 0 ? page.join(newline) + newline : ''}`;
  return {
    status: 200,
    raw: text,
    headers: {
      'Content-Type': 'text/csv',
      'Sforce-Locator': end < job.rows.length ? locatorOf(end) : 'null',
      'Sforce-NumberOfRecords': String(page.length),
    },
  };
}
