import { ServiceError } from '../core/errors.ts';

/**
 * Why a connection cannot be used right now. `needs_reconnect`: Salesforce refused the refresh
 * token (revoked, expired, user deactivated) — a person must connect again; retrying is useless.
 * `refresh_failed` / `salesforce_unreachable`: a transient failure — retrying later may work.
 * `session_rejected`: Salesforce refused even a freshly refreshed token.
 * `salesforce_busy`, `salesforce_rate_limited`, `salesforce_api_budget`: this service refused the
 * call before it left (too many under way, too many per minute, the org's daily API budget nearly
 * spent — salesforce/call-limits.ts); nothing reached Salesforce, retry after `retryAfterSeconds`.
 */
export type SalesforceConnectionErrorCode =
  | 'needs_reconnect'
  | 'refresh_failed'
  | 'session_rejected'
  | 'salesforce_unreachable'
  | 'salesforce_busy'
  | 'salesforce_rate_limited'
  | 'salesforce_api_budget';

const STATUS: Record<SalesforceConnectionErrorCode, number> = {
  needs_reconnect: 409,
  refresh_failed: 503,
  session_rejected: 502,
  salesforce_unreachable: 503,
  salesforce_busy: 429,
  salesforce_rate_limited: 429,
  salesforce_api_budget: 429,
};

const RETRYABLE = new Set<SalesforceConnectionErrorCode>([
  'refresh_failed',
  'salesforce_unreachable',
  'salesforce_busy',
  'salesforce_rate_limited',
  'salesforce_api_budget',
]);

export class SalesforceConnectionError extends ServiceError {
  declare readonly code: SalesforceConnectionErrorCode;
  readonly connectionId: string;
  readonly retryable: boolean;

  /** `retryAfterSeconds` (in details) becomes the answer's Retry-After header. */
  constructor(
    code: SalesforceConnectionErrorCode,
    connectionId: string,
    message: string,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(STATUS[code], code, message, {
      connectionId,
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
    });
    this.name = 'SalesforceConnectionError';
    this.connectionId = connectionId;
    this.retryable = RETRYABLE.has(code);
  }
}

/** Refusals that a later retry of the same request can pass (a lock, the API limit). */
const TRANSIENT_ERROR_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'UNABLE_TO_LOCK_ROW']);

/**
 * An error Salesforce returned for an API call (`[{ message, errorCode, fields }]`). Its status is
 * 400 when the request was at fault (bad SOQL, validation) and 502 when Salesforce failed.
 */
export class SalesforceApiError extends ServiceError {
  readonly salesforceErrorCode: string;
  readonly fields: string[];
  readonly retryable: boolean;

  constructor(options: {
    salesforceErrorCode: string;
    message: string;
    fields?: string[];
    upstreamStatus?: number;
  }) {
    const upstreamFailure = (options.upstreamStatus ?? 400) >= 500;
    super(upstreamFailure ? 502 : 400, 'salesforce_error', `Salesforce: ${options.message}`, {
      salesforceErrorCode: options.salesforceErrorCode,
      ...(options.fields && options.fields.length > 0 ? { fields: options.fields } : {}),
    });
    this.name = 'SalesforceApiError';
    this.salesforceErrorCode = options.salesforceErrorCode;
    this.fields = options.fields ?? [];
    this.retryable = upstreamFailure || TRANSIENT_ERROR_CODES.has(options.salesforceErrorCode);
  }
}

/** The token endpoint refused (`{ error, error_description }`). */
export class OAuthTokenError extends Error {
  readonly error: string;
  readonly description: string;
  readonly status: number;

  constructor(error: string, description: string, status: number) {
    super(`${error}: ${description}`);
    this.name = 'OAuthTokenError';
    this.error = error;
    this.description = description;
    this.status = status;
  }
}

/** Salesforce could not be reached, timed out, or answered with something that is not its API. */
export class SalesforceUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SalesforceUnreachableError';
  }
}
