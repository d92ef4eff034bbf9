import type { DataHandler } from '../rest/types.ts';
import {
  handleCreateIngestJob,
  handleDeleteIngestJob,
  handleGetIngestJob,
  handleIngestResults,
  handleListIngestJobs,
  handlePatchIngestJob,
  handleUploadJobData,
} from './ingest-jobs.ts';
import {
  handleCreateQueryJob,
  handleDeleteQueryJob,
  handleGetQueryJob,
  handleListQueryJobs,
  handlePatchQueryJob,
  handleQueryResults,
} from './query-jobs.ts';

/** Bulk API 2.0 under /services/data/vXX.X: [method, path template, handler] for the REST router. */
export const BULK_ROUTES: ReadonlyArray<[string, string, DataHandler]> = [
  ['POST', '/jobs/ingest', handleCreateIngestJob],
  ['GET', '/jobs/ingest', handleListIngestJobs],
  ['GET', '/jobs/ingest/:jobId', handleGetIngestJob],
  ['PATCH', '/jobs/ingest/:jobId', handlePatchIngestJob],
  ['DELETE', '/jobs/ingest/:jobId', handleDeleteIngestJob],
  ['PUT', '/jobs/ingest/:jobId/batches', handleUploadJobData],
  ['GET', '/jobs/ingest/:jobId/:resultKind', handleIngestResults],
  ['POST', '/jobs/query', handleCreateQueryJob],
  ['GET', '/jobs/query', handleListQueryJobs],
  ['GET', '/jobs/query/:jobId', handleGetQueryJob],
  ['PATCH', '/jobs/query/:jobId', handlePatchQueryJob],
  ['DELETE', '/jobs/query/:jobId', handleDeleteQueryJob],
  ['GET', '/jobs/query/:jobId/results', handleQueryResults],
];
