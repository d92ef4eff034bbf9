import type { Org } from '../org/org.ts';
import type { AccessSession } from '../org/tokens.ts';

/**
 * A request under `/services/data`, already authenticated. Handlers are synchronous functions of
 * (org, request) so that composite requests can run many of them inside one store transaction.
 */
export interface DataRequest {
  method: string;
  /** Path below `/services/data`, e.g. `/v66.0/sobjects/Account/001…`. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** Parsed JSON body (undefined when there is none); the text itself for `text/csv` (Bulk API 2.0). */
  body: unknown;
  session: AccessSession;
  /** The API version of the path (`66.0`). */
  version: string;
}

export interface DataResponse {
  status: number;
  body?: unknown;
  /** A body sent as it is (CSV of Bulk API 2.0) instead of `body` as JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

/** Runs a request through the REST router: composite resources get it to run their subrequests. */
export type Dispatch = (org: Org, request: DataRequest) => DataResponse;

export type DataHandler = (
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
  dispatch: Dispatch,
) => DataResponse;
