import type { DataHandler } from '../rest/types.ts';
import { deleteJobHandler, getJobHandler, listJobsHandler } from './bulk-jobs.ts';
import {
  handleCreateIngestJob,
  handleIngestResults,
  handlePatchIngestJob,
  handleUploadJobData,
} from './ingest-jobs.ts';
import { handleCreateQueryJob, handlePatchQueryJob, handleQueryResults } from './query-jobs.ts';

/** An ingest job can be deleted once it is no longer Open or running; a query job once it ran. */
const INGEST_BUSY = new Set(['Open', 'InProgress'] as const);
const QUERY_BUSY = new Set(['UploadComplete', 'InProgress'] as const);

/** Bulk API 2.0 under /services/data/vXX.X: [method, path template, handler] for the REST router. */
export const BULK_ROUTES: ReadonlyArray<[string, string, DataHandler]> = [
  ['POST', '/jobs/ingest', handleCreateIngestJob],
  ['GET', '/jobs/ingest', listJobsHandler('ingest')],
  ['GET', '/jobs/ingest/:jobId', getJobHandler('ingest')],
  ['PATCH', '/jobs/ingest/:jobId', handlePatchIngestJob],
  ['DELETE', '/jobs/ingest/:jobId', deleteJobHandler('ingest', INGEST_BUSY)],
  ['PUT', '/jobs/ingest/:jobId/batches', handleUploadJobData],
  ['GET', '/jobs/ingest/:jobId/:resultKind', handleIngestResults],
  ['POST', '/jobs/query', handleCreateQueryJob],
  ['GET', '/jobs/query', listJobsHandler('query')],
  ['GET', '/jobs/query/:jobId', getJobHandler('query')],
  ['PATCH', '/jobs/query/:jobId', handlePatchQueryJob],
  ['DELETE', '/jobs/query/:jobId', deleteJobHandler('query', QUERY_BUSY)],
  ['GET', '/jobs/query/:jobId/results', handleQueryResults],
];
