// Placeholder: owned by the SOSL work stream; replaced wholesale.
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import type { DataRequest, DataResponse } from './types.ts';

export function handleSearch(_org: Org, _request: DataRequest): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'search is not implemented yet');
}

export function handleParameterizedSearch(_org: Org, _request: DataRequest): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'search is not implemented yet');
}
