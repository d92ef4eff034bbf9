/** The errors a meeting send answers with, each with its stable code. */
import { ServiceError } from '../../core/errors.ts';
import type { SendError } from '../payloads/send-error.ts';

export function invalidSend(errors: SendError[]): ServiceError {
  const first = errors[0];
  return new ServiceError(422, 'invalid_send', first ? first.message : 'The form is not valid.', { errors });
}

export function isInvalidSend(error: unknown): boolean {
  return error instanceof ServiceError && error.code === 'invalid_send';
}

export function keyReused(): ServiceError {
  return new ServiceError(
    409,
    'idempotency_key_reused',
    'This idempotency key was already used for a different send: make a new one.',
  );
}

/** Another person's key (even on a shared connection, with the same values): never their send to replay. */
export function keyTaken(): ServiceError {
  return new ServiceError(
    409,
    'idempotency_key_taken',
    'This idempotency key is already in use: make a new one for a new send.',
  );
}

export function sendInProgress(details?: { sendId: string; retryAfterSeconds: number }): ServiceError {
  return new ServiceError(
    409,
    'send_in_progress',
    'This send is still in progress: retry in a moment.',
    details,
  );
}

export function outcomeUnknown(sendId: string, retryAfterSeconds: number): ServiceError {
  return new ServiceError(
    503,
    'send_outcome_unknown',
    'Salesforce did not confirm whether it created the record. Retry with the same idempotency key: ' +
      'the retry finds the record if it was created, and never creates a second one.',
    { sendId, retryAfterSeconds },
  );
}

/**
 * Salesforce refused for a passing reason (a record lock, the API limit, a refresh that failed):
 * nothing was created, and the same send may simply be retried — not a fault of the form.
 */
export function sendRetryable(sendId: string, reason: string, retryAfterSeconds: number): ServiceError {
  return new ServiceError(
    503,
    'send_retryable',
    `Salesforce could not take the record just now (${reason}); nothing was created. Retry in ${retryAfterSeconds} s with the same idempotency key.`,
    { sendId, reason, retryAfterSeconds },
  );
}
