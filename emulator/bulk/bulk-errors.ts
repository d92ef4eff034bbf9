import { SalesforceApiError } from '../core/errors.ts';

/** A request the job's state does not allow (an upload to a closed job, results of an unfinished one). */
export function invalidJobState(message: string): SalesforceApiError {
  return new SalesforceApiError(409, 'INVALIDJOBSTATE', message);
}

/** A job definition Salesforce refuses at creation. */
export function invalidJob(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALIDJOB', message);
}

export function jobNotFound(): SalesforceApiError {
  return new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}
