import { z } from 'zod';
import { SalesforceApiError, SalesforceConnectionError, SalesforceUnreachableError } from './errors.ts';

/** jsforce's HttpApiError, as far as we read it. */
export interface JsforceApiError {
  errorCode: string;
  message: string;
  data?: unknown;
  /** The HTTP status of the answer, noted by SalesforceClient (jsforce drops it). */
  httpStatus?: number;
}

function isJsforceApiError(error: unknown): error is JsforceApiError {
  return error instanceof Error && typeof (error as { errorCode?: unknown }).errorCode === 'string';
}

export function isInvalidSession(error: unknown): boolean {
  return (
    error instanceof InvalidSessionSignal ||
    (isJsforceApiError(error) &&
      (error.errorCode === 'INVALID_SESSION_ID' || error.errorCode === 'ERROR_HTTP_401'))
  );
}

/** Thrown by our own (non-jsforce) calls when Salesforce refuses the access token. */
export class InvalidSessionSignal extends Error {}

export function translateError(error: unknown, connectionId: string): Error {
  if (error instanceof SalesforceConnectionError || error instanceof SalesforceApiError) return error;
  if (error instanceof SalesforceUnreachableError) {
    return new SalesforceConnectionError('salesforce_unreachable', connectionId, error.message);
  }
  if (isJsforceApiError(error)) {
    const data = error.data as { fields?: unknown } | undefined;
    const fields = Array.isArray(data?.fields)
      ? data.fields.filter((field) => typeof field === 'string')
      : [];
    // A JSON error body (UNKNOWN_EXCEPTION on a 500) keeps its status too: a 5xx may come after
    // the commit, so callers must not read it as a refusal.
    const statusInCode = /^ERROR_HTTP_(\d{3})$/.exec(error.errorCode)?.[1];
    const upstreamStatus = error.httpStatus ?? (statusInCode ? Number(statusInCode) : undefined);
    return new SalesforceApiError({
      salesforceErrorCode: error.errorCode,
      message: error.message,
      fields,
      upstreamStatus,
    });
  }
  if (error instanceof z.ZodError) {
    return new SalesforceConnectionError(
      'salesforce_unreachable',
      connectionId,
      'Salesforce answered with a response we did not expect.',
    );
  }
  return new SalesforceConnectionError(
    'salesforce_unreachable',
    connectionId,
    `Salesforce could not be reached (${error instanceof Error ? error.message : String(error)}).`,
  );
}
