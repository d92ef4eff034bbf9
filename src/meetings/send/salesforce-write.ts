/**
 * The Salesforce write of one send — one create, or one composite for an Enhanced Note — and how
 * its failure is read: certain (Salesforce wrote nothing) or unknown (it may have).
 */
import { ServiceError } from '../../core/errors.ts';
import { SalesforceApiError, SalesforceConnectionError } from '../../salesforce/errors.ts';
import type { SalesforceClient } from '../../salesforce/salesforce-client.ts';
import type { SalesforceError } from '../payloads/salesforce-error-mapping.ts';
import type { SendRequest } from '../payloads/send-request.ts';

/** Salesforce refused the request as a whole (e.g. a composite rolled back): nothing was created. */
export class SendRejected extends Error {
  readonly errors: SalesforceError[];
  constructor(errors: SalesforceError[]) {
    super(errors[0]?.message ?? 'Salesforce refused the request.');
    this.errors = errors;
  }
}

/** Writes the record; answers its id. Throws SendRejected, or the client's errors. */
export async function writeRecord(
  client: SalesforceClient,
  request: SendRequest,
  timeoutMs: number,
): Promise<string> {
  // The send audits itself with its real outcome (validation, composite sub-results, unknown
  // outcomes and their resolution), so the client's write audit would only repeat it.
  const decision = { kind: 'audited-by-caller', action: 'meeting.send' } as const;
  // Aborted after timeoutMs (MEETING_SEND_WRITE_TIMEOUT_MS): its outcome is then unknown, and the
  // settle time counts from then at the latest (see settleAtOf).
  if (request.operation === 'create') {
    return (await client.create(request.object, request.body, decision, { timeoutMs })).id;
  }
  const response = await client.composite(
    request.composite,
    decision,
    { objectType: 'ContentNote' },
    { timeoutMs },
  );
  const entries = response.compositeResponse;
  const failed = entries.filter((entry) => entry.httpStatusCode >= 300);
  if (failed.length > 0) {
    const errors: SalesforceError[] = failed.flatMap((entry) =>
      Array.isArray(entry.body) ? (entry.body as SalesforceError[]) : [],
    );
    throw new SendRejected(errors);
  }
  const note = entries.find((entry) => entry.referenceId === 'note');
  const id = (note?.body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new Error('The composite answered without the note id.');
  return id;
}

/** Whether the write certainly created nothing (otherwise its outcome is unknown). */
export function isDefiniteFailure(error: unknown): boolean {
  if (error instanceof SendRejected) return true;
  // Salesforce answered 4xx: it refused and wrote nothing. A 5xx may come after a commit.
  if (error instanceof SalesforceApiError) return error.status < 500;
  // Refresh failures and refused sessions happen before Salesforce processes the write.
  if (error instanceof SalesforceConnectionError) return error.code !== 'salesforce_unreachable';
  return false;
}

/** Salesforce's own errors in a definite failure (none for a refused session). */
export function salesforceErrorsOf(error: unknown): SalesforceError[] {
  if (error instanceof SendRejected) return error.errors;
  if (error instanceof SalesforceApiError) {
    return [
      {
        message: error.message.replace(/^Salesforce: /, ''),
        errorCode: error.salesforceErrorCode,
        fields: error.fields,
      },
    ];
  }
  return [];
}

/** The journal's error code of a definite failure. */
export function failureCodeOf(error: unknown, salesforceErrors: readonly SalesforceError[]): string {
  return salesforceErrors[0]?.errorCode ?? (error instanceof ServiceError ? error.code : 'error');
}

/** How long to wait before retrying a transient refusal (a lock clears fast; a limit does not). */
const RETRY_AFTER_SECONDS: Readonly<Record<string, number>> = {
  UNABLE_TO_LOCK_ROW: 2,
  REQUEST_LIMIT_EXCEEDED: 300,
};

/**
 * A definite failure that a retry may pass (a lock, the API limit, a failed token refresh): its
 * short reason and when to retry; null for a refusal that only a change can fix.
 */
export function transientFailureOf(error: unknown): { reason: string; retryAfterSeconds: number } | null {
  if (error instanceof SalesforceApiError && error.retryable) {
    const reason = error.salesforceErrorCode;
    return { reason, retryAfterSeconds: RETRY_AFTER_SECONDS[reason] ?? 5 };
  }
  if (error instanceof SalesforceConnectionError && error.retryable) {
    return { reason: error.code, retryAfterSeconds: 5 };
  }
  return null;
}

/** A refusal about the request itself (validation, access), which goes back on the form. */
export function isRefusalOfTheForm(error: unknown, salesforceErrors: readonly SalesforceError[]): boolean {
  return salesforceErrors.length > 0 && !(error instanceof SalesforceApiError && error.retryable);
}
