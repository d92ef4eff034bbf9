/**
 * `POST …/composite/batch`: up to 25 independent subrequests run in order as one API call. Each
 * commits on its own (no rollback across them); with `haltOnError`, the first 4xx/5xx answer
 * stops the batch and every later subrequest answers 412 BATCH_PROCESSING_HALTED.
 */
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { isPlainObject } from './composite.ts';
import type { DataRequest, DataResponse, Dispatch } from './types.ts';

const MAX_BATCH_SUBREQUESTS = 25;
const BATCH_METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD'];

interface BatchSubrequest {
  method: string;
  /** Below /services/data, starting with the version: `/v66.0/sobjects/Account/001…`. */
  path: string;
  query: URLSearchParams;
  version: string;
  richInput: unknown;
}

function invalidBatch(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_BATCH_REQUEST', message);
}

/**
 * A subrequest URL in any of the forms clients send (`v66.0/sobjects/…`, `/v66.0/…`,
 * `/services/data/v66.0/…`), or undefined when it names no versioned data resource.
 */
function parseUrl(url: string): Pick<BatchSubrequest, 'path' | 'query' | 'version'> | undefined {
  const relative = url.replace(/^\/services\/data(?=\/)/, '').replace(/^(?!\/)/, '/');
  const match = /^(\/v(\d+\.\d)(?:\/[^?]*)?)(?:\?(.*))?$/.exec(relative);
  if (!match) return undefined;
  return { path: match[1], version: match[2], query: new URLSearchParams(match[3] ?? '') };
}

/** Reads the whole batch first: a malformed subrequest fails the request before any runs, as documented. */
function readBatch(body: unknown): { haltOnError: boolean; subrequests: BatchSubrequest[] } {
  if (!isPlainObject(body) || !Array.isArray(body.batchRequests)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object with a batchRequests array.',
    );
  }
  if (body.haltOnError !== undefined && typeof body.haltOnError !== 'boolean') {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of boolean from value: ${JSON.stringify(body.haltOnError)}`,
    );
  }
  const list = body.batchRequests;
  if (list.length === 0) throw invalidBatch('batchRequests must contain at least one subrequest.');
  if (list.length > MAX_BATCH_SUBREQUESTS) {
    throw invalidBatch(
      `A batch can have at most ${MAX_BATCH_SUBREQUESTS} subrequests; this one has ${list.length}.`,
    );
  }
  const subrequests = list.map((entry: unknown): BatchSubrequest => {
    if (!isPlainObject(entry)) throw invalidBatch('Each batchRequests entry must be a JSON object.');
    const method = typeof entry.method === 'string' ? entry.method.toUpperCase() : undefined;
    if (method === undefined || !BATCH_METHODS.includes(method)) {
      throw invalidBatch(
        `Invalid method: ${String(entry.method)}. Supported methods are ${BATCH_METHODS.join(', ')}.`,
      );
    }
    const parsed = typeof entry.url === 'string' ? parseUrl(entry.url) : undefined;
    if (!parsed) throw invalidBatch(`Invalid url: ${String(entry.url)}. Expected vXX.X/ and a resource.`);
    return { method, ...parsed, richInput: entry.richInput };
  });
  return { haltOnError: body.haltOnError === true, subrequests };
}

const HALTED = [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }];

function runOne(
  org: Org,
  request: DataRequest,
  subrequest: BatchSubrequest,
  dispatch: Dispatch,
): DataResponse {
  // Batches do not nest: a composite resource inside a batch is refused on its own.
  if (/^\/v\d+\.\d\/composite(?:\/|$)/.test(subrequest.path)) {
    return {
      status: 400,
      body: [
        {
          errorCode: 'INVALID_BATCH_REQUEST',
          message: `The resource ${subrequest.path} can't be used in a batch.`,
        },
      ],
    };
  }
  const method = subrequest.method === 'HEAD' ? 'GET' : subrequest.method;
  const response = dispatch(org, {
    ...request,
    method,
    path: subrequest.path,
    query: subrequest.query,
    body: ['POST', 'PATCH', 'PUT'].includes(method) ? subrequest.richInput : undefined,
    version: subrequest.version,
  });
  return subrequest.method === 'HEAD' ? { status: response.status } : response;
}

export function handleCompositeBatch(
  org: Org,
  request: DataRequest,
  _params: Record<string, string>,
  dispatch: Dispatch,
): DataResponse {
  const { haltOnError, subrequests } = readBatch(request.body);
  const results: Array<{ statusCode: number; result: unknown }> = [];
  let halted = false;
  let hasErrors = false;
  for (const subrequest of subrequests) {
    if (halted) {
      results.push({ statusCode: 412, result: HALTED });
      continue;
    }
    const response = runOne(org, request, subrequest, dispatch);
    results.push({ statusCode: response.status, result: response.body ?? null });
    if (response.status >= 400) {
      hasErrors = true;
      halted = haltOnError;
    }
  }
  return { status: 200, body: { hasErrors, results } };
}
