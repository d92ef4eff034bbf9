import { z } from 'zod';
import { SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { createRecord, deleteRecord, updateRecord } from '../records/dml.ts';
import type { DataRequest, DataResponse } from '../rest/types.ts';
import type { Field, SObjectType } from '../schema/schema.ts';
import { invalidJob, invalidJobState, jobNotFound } from './bulk-errors.ts';
import {
  findJob,
  type IngestJob,
  jobFormatSchema,
  jobInfo,
  jobsOf,
  newJobBase,
  parseJobBody,
  touch,
} from './bulk-jobs.ts';
import { csvLine, lineBreak, parseCsv } from './csv.ts';

const ingestJobSchema = jobFormatSchema.extend({
  object: z.string().min(1),
  operation: z.enum(['insert', 'update', 'upsert', 'delete', 'hardDelete']),
  externalIdFieldName: z.string().min(1).optional(),
  assignmentRuleId: z.string().optional(),
});

const stateChangeSchema = z.object({ state: z.string() });

/** The value that sets a field to null in Bulk API CSV (an empty value leaves it as it is). */
const NULL_VALUE = '#N/A';

const FINAL_STATES = new Set(['JobComplete', 'Failed', 'Aborted']);

/** POST /jobs/ingest */
export function handleCreateIngestJob(org: Org, request: DataRequest): DataResponse {
  const definition = parseJobBody(ingestJobSchema, request.body);
  const object = org.security.forUser(request.session.userId).schema.object(definition.object);
  if (!object) throw invalidJob(`Unable to find object: ${definition.object}`);
  if (definition.operation === 'hardDelete') {
    // Hard delete needs the "Bulk API Hard Delete" permission, which no emulated profile has.
    throw new SalesforceApiError(
      400,
      'FEATURENOTENABLED',
      'hardDelete operation requires special user profile permission, please contact your system administrator',
    );
  }
  let externalIdFieldName: string | undefined;
  if (definition.operation === 'upsert') {
    if (!definition.externalIdFieldName) throw invalidJob('External ID field is required for upsert');
    const field = org.schema.field(object.name, definition.externalIdFieldName);
    if (!field || !(field.name === 'Id' || field.externalId || field.idLookup)) {
      throw invalidJob(
        `The field ${definition.externalIdFieldName} on ${object.name} is not an external id or Id field`,
      );
    }
    externalIdFieldName = field.name;
  }
  const job: IngestJob = {
    ...newJobBase(org, request),
    kind: 'ingest',
    operation: definition.operation,
    object: object.name,
    state: 'Open',
    columnDelimiter: definition.columnDelimiter,
    lineEnding: definition.lineEnding,
    externalIdFieldName,
    assignmentRuleId: definition.assignmentRuleId,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    totalProcessingTime: 0,
    successfulResults: [],
    failedResults: [],
    unprocessedRecords: [],
    resultHeader: [],
  };
  jobsOf(org).set(job.id, job);
  return { status: 200, body: jobInfo(job) };
}

/** PUT /jobs/ingest/{id}/batches: the job's CSV data, once, while the job is Open. */
export function handleUploadJobData(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const job = findJob(org, request, 'ingest', params.jobId);
  if (job.state !== 'Open')
    throw invalidJobState(`Job ${job.id} is not open for uploads (state ${job.state})`);
  if (job.data !== undefined) throw invalidJobState(`Data was already uploaded to job ${job.id}`);
  if (typeof request.body !== 'string') {
    throw new SalesforceApiError(400, 'INVALIDCONTENTTYPE', 'The Content-Type of job data must be text/csv');
  }
  job.data = request.body;
  return { status: 201 };
}

/** PATCH /jobs/ingest/{id}: `UploadComplete` (then the job is processed) or `Aborted`. */
export function handlePatchIngestJob(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const job = findJob(org, request, 'ingest', params.jobId);
  const { state } = parseJobBody(stateChangeSchema, request.body);
  if (state === 'UploadComplete') {
    if (job.state !== 'Open') throw invalidJobState(`Job ${job.id} is not open (state ${job.state})`);
    touch(org, job, 'UploadComplete');
    // The answer shows the job as accepted; processing runs before the next request is read, so the
    // first poll sees its outcome (deterministic, as a test needs).
    const accepted = jobInfo(job);
    processIngestJob(org, job, request.session.userId);
    return { status: 200, body: accepted };
  }
  if (state === 'Aborted') {
    if (FINAL_STATES.has(job.state))
      throw invalidJobState(`Job ${job.id} is already finished (state ${job.state})`);
    touch(org, job, 'Aborted');
    job.resultHeader = uploadedRows(job)[0] ?? [];
    job.unprocessedRecords = uploadedRows(job)
      .slice(1)
      .map((row) => csvLine(row, job.columnDelimiter));
    return { status: 200, body: jobInfo(job) };
  }
  throw invalidJob(`Invalid state change: ${state}. Use UploadComplete or Aborted`);
}

/** GET /jobs/ingest/{id}/successfulResults | failedResults | unprocessedrecords */
export function handleIngestResults(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const job = findJob(org, request, 'ingest', params.jobId);
  const kind = params.resultKind;
  if (kind !== 'successfulResults' && kind !== 'failedResults' && kind !== 'unprocessedrecords')
    throw jobNotFound();
  if (!FINAL_STATES.has(job.state))
    throw invalidJobState(`Job ${job.id} is not finished (state ${job.state})`);
  const header = job.resultHeader;
  const [first, lines] =
    kind === 'successfulResults'
      ? [['sf__Id', 'sf__Created', ...header], job.successfulResults]
      : kind === 'failedResults'
        ? [['sf__Id', 'sf__Error', ...header], job.failedResults]
        : [header, job.unprocessedRecords];
  const newline = lineBreak(job.lineEnding);
  const text = [csvLine(first, job.columnDelimiter), ...lines].join(newline) + newline;
  return { status: 200, raw: text, headers: { 'Content-Type': 'text/csv' } };
}

function uploadedRows(job: IngestJob): string[][] {
  if (!job.data) return [];
  try {
    return parseCsv(job.data, job.columnDelimiter);
  } catch {
    return [];
  }
}

function fail(org: Org, job: IngestJob, message: string): void {
  job.errorMessage = message;
  touch(org, job, 'Failed');
}

/** `CODE:message:Field1,Field2 --`, Salesforce's sf__Error column. */
function errorColumn(error: SalesforceApiError): string {
  const [item] = error.errors;
  return `${item.errorCode}:${item.message}:${(item.fields ?? []).join(',')} --`;
}

/** The live records of `object` whose `field` equals `value` (an upsert's matches). */
function externalIdMatches(org: Org, object: SObjectType, field: Field, value: string): string[] {
  if (field.name === 'Id') {
    const id = normalizeId(value);
    const record = id ? org.store.get(object.name, id) : undefined;
    return record && record.IsDeleted !== true ? [id!] : [];
  }
  const table = org.store.table(object.name);
  const indexed = table.lookup(field.name, value);
  const candidates = indexed ? [...indexed] : [...table.records.keys()];
  return candidates.filter((id) => {
    const record = table.records.get(id);
    return record !== undefined && record.IsDeleted !== true && String(record[field.name]) === value;
  });
}

/**
 * Runs an uploaded job as its creator, row by row, each row its own DML (so one failure fails
 * only its row), and writes the result files. A malformed file or unknown column fails the job.
 */
function processIngestJob(org: Org, job: IngestJob, userId: string): void {
  const started = performance.now();
  touch(org, job, 'InProgress');
  if (!job.data || job.data.trim() === '') {
    fail(org, job, 'InvalidBatch : No data was uploaded for the job');
    return;
  }
  if (job.lineEnding === 'LF' && job.data.includes('\r\n')) {
    fail(org, job, 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF');
    return;
  }
  let rows: string[][];
  try {
    rows = parseCsv(job.data, job.columnDelimiter);
  } catch (error) {
    fail(org, job, `ClientInputError : ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const [header = [], ...records] = rows;
  const schema = org.security.forUser(userId).schema;
  const object = schema.object(job.object)!;
  const fields: Field[] = [];
  for (const name of header) {
    const field = schema.field(object.name, name.trim());
    if (!field) {
      fail(org, job, `InvalidBatch : Field name not found : ${name}`);
      return;
    }
    fields.push(field);
  }
  const externalIdField = job.externalIdFieldName
    ? org.schema.field(object.name, job.externalIdFieldName)
    : undefined;
  job.resultHeader = header;
  const delimiter = job.columnDelimiter;
  for (const row of records) {
    const values: Record<string, string | null> = {};
    let id = '';
    fields.forEach((field, index) => {
      const value = row[index];
      if (field.name === 'Id') id = value;
      if (value === '') return;
      values[field.name] = value === NULL_VALUE ? null : value;
    });
    try {
      const { recordId, created } = writeRow(org, userId, job, object, externalIdField, values, id);
      job.successfulResults.push(csvLine([recordId, String(created), ...row], delimiter));
    } catch (error) {
      if (!(error instanceof SalesforceApiError)) throw error;
      job.failedResults.push(csvLine([id, errorColumn(error), ...row], delimiter));
      job.numberRecordsFailed++;
    }
    job.numberRecordsProcessed++;
  }
  job.totalProcessingTime = Math.round(performance.now() - started);
  touch(org, job, 'JobComplete');
}

function missingId(operation: string): SalesforceApiError {
  return new SalesforceApiError(400, 'MISSING_ARGUMENT', `Id not specified in an ${operation} call`, []);
}

function writeRow(
  org: Org,
  userId: string,
  job: IngestJob,
  object: SObjectType,
  externalIdField: Field | undefined,
  values: Record<string, string | null>,
  id: string,
): { recordId: string; created: boolean } {
  switch (job.operation) {
    case 'insert':
      return { recordId: createRecord(org, userId, object.name, values), created: true };
    case 'update': {
      if (!id) throw missingId('update');
      const { Id: _id, ...changes } = values;
      return { recordId: updateRecord(org, userId, object.name, id, changes).Id as string, created: false };
    }
    case 'delete': {
      if (!id) throw missingId('delete');
      deleteRecord(org, userId, object.name, id);
      return { recordId: normalizeId(id) ?? id, created: false };
    }
    default: {
      const field = externalIdField!;
      const key = values[field.name];
      const { Id: _id, ...changes } = values;
      // Upserting on Id: a row without one is a new record.
      if ((key === undefined || key === null) && field.name === 'Id') {
        return { recordId: createRecord(org, userId, object.name, changes), created: true };
      }
      if (key === undefined || key === null) {
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
      }
      const matches = externalIdMatches(org, object, field, key);
      if (matches.length > 1) {
        throw new SalesforceApiError(
          300,
          'DUPLICATE_EXTERNAL_ID',
          `Duplicate external id specified: ${key}`,
          [field.name],
        );
      }
      if (matches.length === 1) {
        return {
          recordId: updateRecord(org, userId, object.name, matches[0], changes).Id as string,
          created: false,
        };
      }
      if (field.name === 'Id')
        throw new SalesforceApiError(
          404,
          'NOT_FOUND',
          `Provided external ID field does not exist or is not accessible: ${key}`,
          [],
        );
      return { recordId: createRecord(org, userId, object.name, changes), created: true };
    }
  }
}
