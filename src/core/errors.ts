/**
 * Errors the service raises on purpose: a stable string code, an HTTP status, and a message fit
 * for the person who made the request. Anything else that escapes is a bug and becomes a 500.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ServiceError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ServiceError(400, 'bad_request', message, details);
export const unauthenticated = (message = 'Log in first.') =>
  new ServiceError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do that.') =>
  new ServiceError(403, 'forbidden', message);
export const notFound = (what = 'That') => new ServiceError(404, 'not_found', `${what} was not found.`);
export const conflict = (message: string) => new ServiceError(409, 'conflict', message);
