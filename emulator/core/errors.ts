/** One entry of a Salesforce REST error body: `[{message, errorCode, fields}]`. */
export interface ApiErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

/**
 * An error the emulator answers with, in Salesforce's shape. Thrown by the record, query and
 * search layers and turned into an HTTP response at the edge (or a composite sub-response).
 */
export class SalesforceApiError extends Error {
  readonly status: number;
  readonly errors: ApiErrorItem[];

  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.name = 'SalesforceApiError';
    this.status = status;
    this.errors = [fields === undefined ? { message, errorCode } : { message, errorCode, fields }];
  }

  get errorCode(): string {
    return this.errors[0].errorCode;
  }
}

/** A DML failure (create/update/delete): Salesforce always includes `fields` for these. */
export function dmlError(errorCode: string, message: string, fields: string[] = []): SalesforceApiError {
  return new SalesforceApiError(400, errorCode, message, fields);
}

export function notFound(message = 'The requested resource does not exist'): SalesforceApiError {
  return new SalesforceApiError(404, 'NOT_FOUND', message);
}

export function malformedQuery(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'MALFORMED_QUERY', message);
}
