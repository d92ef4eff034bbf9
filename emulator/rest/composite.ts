import { type ApiErrorItem, SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { createRecord, deleteRecord, resolveObject, updateRecord } from '../records/dml.ts';
import { renderRecord, resolveFieldList } from './sobjects.ts';
import type { DataRequest, DataResponse, Dispatch } from './types.ts';

/** Salesforce's limits for one Composite request. */
const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;
/** sObject Collections create/update/delete take at most 200 records; retrieve takes up to 2000 ids. */
const MAX_COLLECTION_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

const SUBREQUEST_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Subrequests inherit these from the top-level request; naming them in httpHeaders fails the whole call. */
const INHERITED_HEADERS = ['accept', 'authorization', 'content-type'];
const REFERENCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_]*$/;
const REFERENCE_PATTERN = /@\{([^}]*)\}/g;
const WHOLE_REFERENCE_PATTERN = /^@\{([^}]*)\}$/;

const ROLLED_BACK_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';
const COLLECTION_ROLLED_BACK_MESSAGE =
  'Record rolled back because not all records were valid and the request was using AllOrNone header';

/** Thrown inside store.transaction to undo the work after its results have been collected. */
class RollbackSignal extends Error {}

function invalidInput(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_INPUT', message);
}

function jsonParserError(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'JSON_PARSER_ERROR', message);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Runs work as one unit that is undone when `keep` says the collected result must not stand. */
function runAndMaybeRollBack<T>(org: Org, work: () => T, keep: (result: T) => boolean): T {
  let result: T | undefined;
  let collected = false;
  try {
    org.store.transaction(() => {
      result = work();
      collected = true;
      if (!keep(result)) throw new RollbackSignal();
    });
  } catch (error) {
    if (!(error instanceof RollbackSignal)) throw error;
  }
  if (!collected) throw new Error('composite work ended without a result');
  return result as T;
}

// ---------------------------------------------------------------------------------------------
// Composite
// ---------------------------------------------------------------------------------------------

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body: unknown;
  httpHeaders: Record<string, string>;
}

interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

/** Reads and validates the composite body; anything malformed fails the whole request, as on Salesforce. */
function readCompositeBody(body: unknown): { allOrNone: boolean; subrequests: Subrequest[] } {
  if (!isPlainObject(body)) {
    throw jsonParserError('The request body must be a JSON object with a compositeRequest array.');
  }
  if (body.allOrNone !== undefined && typeof body.allOrNone !== 'boolean') {
    throw jsonParserError(
      `Cannot deserialize instance of boolean from value: ${JSON.stringify(body.allOrNone)}`,
    );
  }
  const list = body.compositeRequest;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalidInput('compositeRequest is required and must contain at least one subrequest.');
  }
  if (list.length > MAX_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: Composite request can have at most ${MAX_SUBREQUESTS} subrequests.`,
    );
  }
  const seen = new Set<string>();
  const subrequests = list.map((entry: unknown): Subrequest => {
    if (!isPlainObject(entry)) throw jsonParserError('Each compositeRequest entry must be a JSON object.');
    const { method, url, referenceId } = entry;
    if (typeof method !== 'string' || !SUBREQUEST_METHODS.includes(method)) {
      throw invalidInput(
        `Invalid method: ${String(method)}. Supported methods are ${SUBREQUEST_METHODS.join(', ')}.`,
      );
    }
    if (typeof url !== 'string' || url === '') throw invalidInput('Each subrequest requires a url.');
    if (typeof referenceId !== 'string' || referenceId === '') {
      throw invalidInput('Each subrequest requires a referenceId.');
    }
    // From API 52.0 an illegal referenceId fails the whole request rather than just its dependents.
    if (!REFERENCE_ID_PATTERN.test(referenceId)) {
      throw invalidInput(
        `Received invalid referenceId '${referenceId}'. The referenceId must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
      );
    }
    if (seen.has(referenceId))
      throw invalidInput(`Duplicate ReferenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    const httpHeaders: Record<string, string> = {};
    if (entry.httpHeaders !== undefined) {
      if (!isPlainObject(entry.httpHeaders)) throw jsonParserError('httpHeaders must be a JSON object.');
      for (const [name, value] of Object.entries(entry.httpHeaders)) {
        if (INHERITED_HEADERS.includes(name.toLowerCase())) {
          throw invalidInput(
            `The ${name} header can't be specified in a subrequest; subrequests inherit it from the composite request.`,
          );
        }
        httpHeaders[name] = String(value);
      }
    }
    return { method, url, referenceId, body: entry.body, httpHeaders };
  });
  const heavy = subrequests.filter((subrequest) => isQueryOrCollection(subrequest.url)).length;
  if (heavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: Composite request can have at most ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} sObject Collections or query subrequests.`,
    );
  }
  return { allOrNone: body.allOrNone === true, subrequests };
}

function isQueryOrCollection(url: string): boolean {
  return /^\/services\/data\/v\d+\.\d\/(?:query|queryAll|composite\/sobjects)(?:[/?]|$)/.test(url);
}

function isCollection(path: string): boolean {
  return /^\/v\d+\.\d\/composite\/sobjects\/?$/.test(path);
}

/** The resources Salesforce runs inside Composite: sObject resources, query/queryAll and sObject Collections. */
function isComposable(path: string): boolean {
  return /^\/v\d+\.\d\/(?:sobjects|query|queryAll|composite\/sobjects)(?:\/|$)/.test(path);
}

function processingHalted(message: string): SubrequestResultCore {
  return { status: 400, body: [{ errorCode: 'PROCESSING_HALTED', message }], headers: {} };
}

interface SubrequestResultCore {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** A reference that could not be resolved: the referenced subrequest is unknown, failed or lacks the value. */
class UnresolvedReference extends Error {
  readonly expression: string;
  readonly referenceId: string;

  constructor(expression: string, referenceId: string) {
    super(
      `Invalid reference specified. No value for ${expression} found in ${referenceId}. Provided referenceId ('${expression}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
    );
    this.expression = expression;
    this.referenceId = referenceId;
  }
}

/**
 * Resolves `refId.field`, `refId.records[0].Id` or `refId.BillingAddress.city` against the bodies of
 * earlier successful subrequests (field names are case-sensitive, as on Salesforce).
 */
function resolveReference(expression: string, results: Map<string, SubrequestResultCore>): unknown {
  const head = /^([A-Za-z0-9_]+)/.exec(expression);
  const referenceId = head?.[1] ?? expression;
  const earlier = head ? results.get(referenceId) : undefined;
  if (!head || !earlier || earlier.status >= 400) throw new UnresolvedReference(expression, referenceId);
  let rest = expression.slice(referenceId.length);
  if (rest === '') throw new UnresolvedReference(expression, referenceId);
  let value: unknown = earlier.body;
  while (rest !== '') {
    const step = /^(?:\.([^.[\]]+)|\[(\d+)\])/.exec(rest);
    if (!step) throw new UnresolvedReference(expression, referenceId);
    rest = rest.slice(step[0].length);
    if (step[1] !== undefined) {
      if (!isPlainObject(value) || !Object.hasOwn(value, step[1])) {
        throw new UnresolvedReference(expression, referenceId);
      }
      value = value[step[1]];
    } else {
      const index = Number(step[2]);
      if (!Array.isArray(value) || index >= value.length)
        throw new UnresolvedReference(expression, referenceId);
      value = value[index];
    }
  }
  // Only scalar values can be referenced (DateTime, String, Boolean and numbers; null from API 52.0).
  if (value !== null && typeof value === 'object') throw new UnresolvedReference(expression, referenceId);
  return value;
}

function substituteText(text: string, results: Map<string, SubrequestResultCore>): string {
  return text.replace(REFERENCE_PATTERN, (_match, expression: string) =>
    String(resolveReference(expression, results)),
  );
}

/** Replaces references throughout a body; a string that is exactly one reference takes the value's own type. */
function substituteBody(value: unknown, results: Map<string, SubrequestResultCore>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_REFERENCE_PATTERN.exec(value);
    if (whole) return resolveReference(whole[1], results);
    return substituteText(value, results);
  }
  if (Array.isArray(value)) return value.map((item) => substituteBody(item, results));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = substituteBody(item, results);
    return copy;
  }
  return value;
}

/** Runs one subrequest through the REST router, after resolving its references. */
function runSubrequest(
  org: Org,
  request: DataRequest,
  subrequest: Subrequest,
  results: Map<string, SubrequestResultCore>,
  allOrNone: boolean,
  dispatch: Dispatch,
): SubrequestResultCore {
  let url: string;
  let body: unknown;
  try {
    url = substituteText(subrequest.url, results);
    body = substituteBody(subrequest.body, results);
  } catch (error) {
    if (error instanceof UnresolvedReference) return processingHalted(error.message);
    throw error;
  }
  const match = /^\/services\/data(\/v(\d+\.\d)(?:[/?].*)?)$/.exec(url);
  if (!match) {
    return {
      status: 400,
      body: [
        { errorCode: 'INVALID_INPUT', message: `The url must start with /services/data/vXX.X/: ${url}` },
      ],
      headers: {},
    };
  }
  const questionMark = match[1].indexOf('?');
  const path = questionMark < 0 ? match[1] : match[1].slice(0, questionMark);
  const query = new URLSearchParams(questionMark < 0 ? '' : match[1].slice(questionMark + 1));
  if (!isComposable(path)) {
    return {
      status: 400,
      body: [
        {
          errorCode: 'INVALID_INPUT',
          message: `The resource ${path} is not supported in a Composite request.`,
        },
      ],
      headers: {},
    };
  }
  // The composite's allOrNone overrides that of sObject Collections subrequests when true.
  if (allOrNone && isCollection(path)) {
    if (subrequest.method === 'DELETE') query.set('allOrNone', 'true');
    else if (isPlainObject(body)) body = { ...body, allOrNone: true };
  }
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(subrequest.httpHeaders)) headers.set(name, value);
  const response = dispatch(org, {
    ...request,
    method: subrequest.method,
    path,
    query,
    headers,
    body: ['GET', 'DELETE'].includes(subrequest.method) ? undefined : body,
    version: match[2],
  });
  return { status: response.status, body: response.body ?? null, headers: response.headers ?? {} };
}

/** Whether a subresponse counts as a failure for allOrNone: an error status, or a collection with failed records. */
function failed(subrequest: Subrequest, result: SubrequestResultCore): boolean {
  if (result.status >= 400) return true;
  return (
    /^\/services\/data\/v\d+\.\d\/composite\/sobjects(?:[/?]|$)/.test(subrequest.url) &&
    Array.isArray(result.body) &&
    result.body.some((entry) => isPlainObject(entry) && entry.success === false)
  );
}

/**
 * `POST /composite`: runs up to 25 subrequests in order as one API call, resolving `@{refId.path}`
 * references from earlier subresponses. With allOrNone, the first failure rolls everything back.
 */
export function handleComposite(
  org: Org,
  request: DataRequest,
  _params: Record<string, string>,
  dispatch: Dispatch,
): DataResponse {
  const { allOrNone, subrequests } = readCompositeBody(request.body);
  const results = new Map<string, SubrequestResultCore>();
  const ordered: SubrequestResultCore[] = [];
  let failedIndex = -1;

  const runAll = (): void => {
    for (const [index, subrequest] of subrequests.entries()) {
      const result = runSubrequest(org, request, subrequest, results, allOrNone, dispatch);
      results.set(subrequest.referenceId, result);
      ordered.push(result);
      if (allOrNone && failed(subrequest, result)) {
        failedIndex = index;
        return;
      }
    }
  };

  if (allOrNone) runAndMaybeRollBack(org, runAll, () => failedIndex < 0);
  else runAll();

  const compositeResponse: SubrequestResult[] = subrequests.map((subrequest, index) => {
    const halted = failedIndex >= 0 && index !== failedIndex;
    const result = halted ? processingHalted(ROLLED_BACK_MESSAGE) : ordered[index];
    return {
      body: result.body,
      httpHeaders: result.headers,
      httpStatusCode: result.status,
      referenceId: subrequest.referenceId,
    };
  });
  return { status: 200, body: { compositeResponse } };
}

// ---------------------------------------------------------------------------------------------
// sObject Collections
// ---------------------------------------------------------------------------------------------

export interface CollectionError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface SaveResult {
  id?: string;
  success: boolean;
  errors: CollectionError[];
}

/** sObject Collections report errors as `statusCode`, where single-record REST calls say `errorCode`. */
function collectionErrors(errors: ApiErrorItem[]): CollectionError[] {
  return errors.map((error) => ({
    statusCode: error.errorCode,
    message: error.message,
    fields: error.fields ?? [],
  }));
}

export function recordError(statusCode: string, message: string, fields: string[] = []): CollectionError[] {
  return [{ statusCode, message, fields }];
}

function exceededIdLimit(limit: number): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${limit} records into this call`,
  );
}

function readAllOrNone(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw jsonParserError(`Cannot deserialize instance of boolean from value: ${JSON.stringify(value)}`);
}

/**
 * Runs one operation per item; with allOrNone every item is still tried (so each invalid one reports
 * its own error), then all the work is undone and the valid ones report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
export function runCollection<T>(
  org: Org,
  items: T[],
  options: { allOrNone: boolean; idOnRollback: boolean },
  operation: (item: T) => SaveResult,
): SaveResult[] {
  const runAll = (): SaveResult[] =>
    items.map((item) => {
      try {
        return operation(item);
      } catch (error) {
        if (error instanceof SalesforceApiError)
          return { success: false, errors: collectionErrors(error.errors) };
        throw error;
      }
    });
  if (!options.allOrNone) return runAll();
  const results = runAndMaybeRollBack(org, runAll, (collected) =>
    collected.every((result) => result.success),
  );
  if (results.every((result) => result.success)) return results;
  return results.map((result) =>
    result.success
      ? {
          // A rolled-back create has no id any more; updated and deleted records keep theirs.
          ...(options.idOnRollback && result.id !== undefined ? { id: result.id } : {}),
          success: false,
          errors: recordError('ALL_OR_NONE_OPERATION_ROLLED_BACK', COLLECTION_ROLLED_BACK_MESSAGE),
        }
      : result,
  );
}

export function readRecords(body: unknown): { allOrNone: boolean; records: unknown[] } {
  if (!isPlainObject(body) || !Array.isArray(body.records)) {
    throw jsonParserError('The request body must be a JSON object with a records array.');
  }
  if (body.records.length > MAX_COLLECTION_RECORDS) throw exceededIdLimit(MAX_COLLECTION_RECORDS);
  return { allOrNone: readAllOrNone(body.allOrNone), records: body.records };
}

/** The record's type from `attributes.type`, which sObject Collections require on every record. */
export function recordType(record: Record<string, unknown>): string | undefined {
  const attributes = record.attributes;
  if (!isPlainObject(attributes) || typeof attributes.type !== 'string' || attributes.type === '')
    return undefined;
  return attributes.type;
}

const MISSING_TYPE: SaveResult = {
  success: false,
  errors: recordError('INVALID_TYPE', 'Must specify a type in attributes'),
};

function createOne(org: Org, userId: string, record: unknown): SaveResult {
  if (!isPlainObject(record)) return MISSING_TYPE;
  const type = recordType(record);
  if (!type) return MISSING_TYPE;
  const { attributes: _attributes, ...fields } = record;
  const id = createRecord(org, userId, type, fields);
  return { id, success: true, errors: [] };
}

function updateOne(org: Org, userId: string, record: unknown): SaveResult {
  if (!isPlainObject(record)) return MISSING_TYPE;
  const rawId = record.id ?? record.Id;
  if (typeof rawId !== 'string' || rawId === '') {
    return { success: false, errors: recordError('MISSING_ARGUMENT', 'Id not specified in an update call') };
  }
  const type = recordType(record);
  if (!type) return MISSING_TYPE;
  const { attributes: _attributes, id: _lower, Id: _upper, ...fields } = record;
  const id = normalizeId(rawId);
  try {
    updateRecord(org, userId, type, rawId, fields);
  } catch (error) {
    // Salesforce names the record in the result once the id was recognised as one of this type.
    if (error instanceof SalesforceApiError && id && org.store.find(id)) {
      return { id, success: false, errors: collectionErrors(error.errors) };
    }
    throw error;
  }
  return { id: id ?? rawId, success: true, errors: [] };
}

function deleteOne(org: Org, userId: string, rawId: string): SaveResult {
  const id = normalizeId(rawId);
  if (!id) return { success: false, errors: recordError('MALFORMED_ID', `malformed id ${rawId}`) };
  const found = org.store.find(id);
  if (!found) {
    return {
      success: false,
      errors: recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'),
    };
  }
  try {
    deleteRecord(org, userId, found.object.name, id);
  } catch (error) {
    if (error instanceof SalesforceApiError)
      return { id, success: false, errors: collectionErrors(error.errors) };
    throw error;
  }
  return { id, success: true, errors: [] };
}

/**
 * `POST|PATCH|DELETE /composite/sobjects`: create, update or delete up to 200 records of any types,
 * answering 200 with one SaveResult per record (allOrNone rolls all of them back on any failure).
 */
export function handleCompositeSObjects(org: Org, request: DataRequest): DataResponse {
  const userId = request.session.userId;
  if (request.method === 'DELETE') {
    const list = request.query.get('ids');
    if (!list) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required.');
    const ids = list.split(',').map((id) => id.trim());
    if (ids.length > MAX_COLLECTION_RECORDS) throw exceededIdLimit(MAX_COLLECTION_RECORDS);
    const allOrNone = readAllOrNone(request.query.get('allOrNone') ?? undefined);
    const results = runCollection(org, ids, { allOrNone, idOnRollback: true }, (id) =>
      deleteOne(org, userId, id),
    );
    return { status: 200, body: results };
  }
  const { allOrNone, records } = readRecords(request.body);
  const creating = request.method === 'POST';
  const operation = creating ? createOne : updateOne;
  const results = runCollection(org, records, { allOrNone, idOnRollback: !creating }, (record) =>
    operation(org, userId, record),
  );
  return { status: 200, body: results };
}

/** Reads `ids`/`fields` from the query (GET) or the body (POST, for lists too long for a URL). */
function readRetrieveParams(request: DataRequest): { ids: string[]; fields: string } {
  if (request.method === 'POST') {
    const body = isPlainObject(request.body) ? request.body : {};
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    const fields = Array.isArray(body.fields) ? body.fields.map(String).join(',') : '';
    if (ids.length === 0) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required.');
    if (fields === '') throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required.');
    return { ids, fields };
  }
  const ids = request.query.get('ids');
  const fields = request.query.get('fields');
  if (!ids) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required.');
  if (!fields) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required.');
  return { ids: ids.split(',').map((id) => id.trim()), fields };
}

/**
 * `GET /composite/sobjects/{type}?ids=…&fields=…`: the records in the order asked, with the listed
 * fields, and `null` for ids that name no live record of the type.
 */
export function handleCompositeSObjectsRetrieve(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const access = org.security.forUser(request.session.userId);
  const object = resolveObject(org, params.type, access);
  const { ids, fields } = readRetrieveParams(request);
  if (ids.length > MAX_RETRIEVE_IDS) throw exceededIdLimit(MAX_RETRIEVE_IDS);
  const names = resolveFieldList(access, object, fields);
  const normalized = ids.map((rawId) => {
    const id = normalizeId(rawId);
    if (!id) throw new SalesforceApiError(400, 'MALFORMED_ID', `invalid ID field: ${rawId}`);
    return id;
  });
  const records = normalized.map((id) => {
    const record = id.slice(0, 3) === object.keyPrefix ? org.store.get(object.name, id) : undefined;
    // Records the caller's sharing hides answer null, like ids that name no record.
    if (!record || record.IsDeleted === true || !access.canRead(object.name, record)) return null;
    return renderRecord(org, object, record, request.version, names);
  });
  return { status: 200, body: records };
}
