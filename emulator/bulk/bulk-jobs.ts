import { z } from 'zod';
import { formatDateTime } from '../core/datetime.ts';
import type { Org } from '../org/org.ts';
import type { DataHandler, DataRequest } from '../rest/types.ts';
import { invalidJob, invalidJobState, jobNotFound } from './bulk-errors.ts';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type LineEnding } from './csv.ts';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** What ingest and query jobs share. */
export interface BulkJob {
  id: string;
  kind: 'ingest' | 'query';
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: string;
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
  numberRecordsProcessed: number;
  totalProcessingTime: number;
  errorMessage?: string;
}

export interface IngestJob extends BulkJob {
  kind: 'ingest';
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  /** The uploaded CSV text (one upload per job). */
  data?: string;
  numberRecordsFailed: number;
  /** Result files, written when the job is processed. */
  successfulResults: string[];
  failedResults: string[];
  unprocessedRecords: string[];
  resultHeader: string[];
}

export interface QueryJob extends BulkJob {
  kind: 'query';
  query: string;
  /** The CSV header line and one line per row, written when the job is processed. */
  header: string;
  rows: string[];
}

/** Jobs belong to the org but are not part of its data (not saved, not exported). */
const jobsByOrg = new WeakMap<Org, Map<string, BulkJob>>();

export function jobsOf(org: Org): Map<string, BulkJob> {
  let jobs = jobsByOrg.get(org);
  if (!jobs) {
    jobs = new Map();
    jobsByOrg.set(org, jobs);
  }
  return jobs;
}

/** A job the caller may see: their own, or any with Modify All Data ("Manage Data Integrations"). */
export function findJob<Kind extends BulkJob['kind']>(
  org: Org,
  request: DataRequest,
  kind: Kind,
  id: string,
): Extract<IngestJob | QueryJob, { kind: Kind }> {
  const job = jobsOf(org).get(id);
  if (!job || job.kind !== kind || !canSee(org, request, job)) throw jobNotFound();
  return job as Extract<IngestJob | QueryJob, { kind: Kind }>;
}

function canSee(org: Org, request: DataRequest, job: BulkJob): boolean {
  const userId = request.session.userId;
  return job.createdById === userId || org.security.forUser(userId).profile.modifyAllData;
}

export function visibleJobs(org: Org, request: DataRequest, kind: BulkJob['kind']): BulkJob[] {
  return [...jobsOf(org).values()].filter((job) => job.kind === kind && canSee(org, request, job));
}

/** The job-creation fields shared by ingest and query jobs. */
export const jobFormatSchema = z.object({
  columnDelimiter: z
    .enum(Object.keys(COLUMN_DELIMITERS) as [ColumnDelimiter, ...ColumnDelimiter[]])
    .default('COMMA'),
  lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
  contentType: z.literal('CSV').default('CSV'),
});

/** Parses a job-creation body, answering Salesforce's 400 for the first field that does not fit. */
export function parseJobBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw invalidJob(field ? `Invalid value for ${field}: ${issue.message}` : issue.message);
}

/** Fields every new job starts with. */
export function newJobBase(
  org: Org,
  request: DataRequest,
): Pick<BulkJob, 'id' | 'createdById' | 'createdDate' | 'systemModstamp' | 'apiVersion'> {
  const now = formatDateTime(org.clock.now());
  return {
    id: org.ids.next('750'),
    createdById: request.session.userId,
    createdDate: now,
    systemModstamp: now,
    apiVersion: request.version,
  };
}

export function touch(org: Org, job: BulkJob, state: JobState): void {
  job.state = state;
  job.systemModstamp = formatDateTime(org.clock.now());
}

/** A job's information as GET …/jobs/{ingest|query}/{id} answers it, in Salesforce's key order. */
export function jobInfo(job: IngestJob | QueryJob): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
  };
  if (job.kind === 'ingest' && job.externalIdFieldName) info.externalIdFieldName = job.externalIdFieldName;
  if (job.kind === 'ingest' && job.assignmentRuleId) info.assignmentRuleId = job.assignmentRuleId;
  info.concurrencyMode = 'Parallel';
  info.contentType = 'CSV';
  info.apiVersion = Number(job.apiVersion);
  info.jobType = job.kind === 'ingest' ? 'V2Ingest' : 'V2Query';
  if (job.kind === 'ingest' && job.state === 'Open') {
    info.contentUrl = `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
  }
  info.lineEnding = job.lineEnding;
  info.columnDelimiter = job.columnDelimiter;
  info.numberRecordsProcessed = job.numberRecordsProcessed;
  if (job.kind === 'ingest') info.numberRecordsFailed = job.numberRecordsFailed;
  info.retries = 0;
  info.totalProcessingTime = job.totalProcessingTime;
  if (job.kind === 'ingest') {
    info.apiActiveProcessingTime = job.totalProcessingTime;
    info.apexProcessingTime = 0;
  }
  if (job.errorMessage !== undefined) info.errorMessage = job.errorMessage;
  return info;
}

/** GET …/jobs/{ingest|query}: every job the caller may see, one page. */
export function jobList(org: Org, request: DataRequest, kind: BulkJob['kind']): Record<string, unknown> {
  return {
    done: true,
    records: visibleJobs(org, request, kind).map((job) => jobInfo(job as IngestJob | QueryJob)),
    nextRecordsUrl: null,
  };
}

/** GET …/jobs/{kind}: the jobs of that kind the caller may see. */
export function listJobsHandler(kind: BulkJob['kind']): DataHandler {
  return (org, request) => ({ status: 200, body: jobList(org, request, kind) });
}

/** GET …/jobs/{kind}/{id}: one job's info. */
export function getJobHandler(kind: BulkJob['kind']): DataHandler {
  return (org, request, params) => ({
    status: 200,
    body: jobInfo(findJob(org, request, kind, params.jobId) as IngestJob | QueryJob),
  });
}

/** DELETE …/jobs/{kind}/{id}: a job that is not in one of `busy` states any more (its results go with it). */
export function deleteJobHandler(kind: BulkJob['kind'], busy: ReadonlySet<JobState>): DataHandler {
  return (org, request, params) => {
    const job = findJob(org, request, kind, params.jobId);
    if (busy.has(job.state)) throw invalidJobState(`Job ${job.id} can't be deleted in state ${job.state}`);
    jobsOf(org).delete(job.id);
    return { status: 204 };
  };
}
