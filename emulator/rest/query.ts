// Placeholder: owned by the SOQL work stream; replaced wholesale.
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import type { DataRequest, DataResponse } from './types.ts';

export function handleQuery(_org: Org, _request: DataRequest, _options: { includeDeleted: boolean }): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'query is not implemented yet');
}

export function handleQueryMore(_org: Org, _request: DataRequest, _params: Record<string, string>): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'query is not implemented yet');
}
