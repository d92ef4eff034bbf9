import { z } from 'zod';
import { SalesforceApiError, SalesforceUnreachableError } from './errors.ts';
import type { ConditionalDescribe } from './salesforce-types.ts';
import { InvalidSessionSignal, type JsforceApiError } from './translate-error.ts';

/**
 * The few calls jsforce cannot make for us (conditional GETs, blob bodies), sent with plain fetch.
 * Failures come out as the adapter's own errors: unreachable, invalid session (to renew), or the
 * Salesforce error of the body.
 */
export async function rawSalesforceGet({
  fetch,
  url,
  accessToken,
  headers = {},
}: {
  fetch: typeof globalThis.fetch;
  url: string;
  accessToken: string;
  headers?: Record<string, string>;
}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}`, ...headers } });
  } catch (error) {
    throw new SalesforceUnreachableError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  if (response.status === 401) {
    await response.body?.cancel();
    throw new InvalidSessionSignal('invalid session');
  }
  return response;
}

/** A describe asked with `If-Modified-Since`: 304 is `not-modified`, anything else is read as JSON. */
export async function readConditionalDescribe(response: Response): Promise<ConditionalDescribe> {
  if (response.status === 304) {
    await response.body?.cancel();
    return { status: 'not-modified' };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new SalesforceUnreachableError(
      `Salesforce answered ${response.status} with a body that is not JSON.`,
    );
  }
  if (!response.ok) {
    const first = Array.isArray(body)
      ? (body[0] as Partial<JsforceApiError> & { fields?: unknown })
      : undefined;
    throw new SalesforceApiError({
      salesforceErrorCode:
        typeof first?.errorCode === 'string' ? first.errorCode : `ERROR_HTTP_${response.status}`,
      message: typeof first?.message === 'string' ? first.message : `HTTP ${response.status}`,
      upstreamStatus: response.status,
    });
  }
  return {
    status: 'ok',
    describe: z.record(z.string(), z.unknown()).parse(body),
    lastModified: response.headers.get('last-modified'),
  };
}

/** A blob body as text; a non-2xx answer is a Salesforce error with its status. */
export async function readBlobBody(response: Response): Promise<string> {
  const text = await response.text();
  if (!response.ok) {
    throw new SalesforceApiError({
      salesforceErrorCode: `ERROR_HTTP_${response.status}`,
      message: `HTTP ${response.status}`,
      upstreamStatus: response.status,
    });
  }
  return text;
}
