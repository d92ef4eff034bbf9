// Placeholder: owned by the composite work stream; replaced wholesale.
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import type { DataRequest, DataResponse } from './types.ts';

export function handleComposite(_org: Org, _request: DataRequest): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'composite is not implemented yet');
}

export function handleCompositeSObjects(_org: Org, _request: DataRequest): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'composite is not implemented yet');
}

export function handleCompositeSObjectsRetrieve(
  _org: Org,
  _request: DataRequest,
  _params: Record<string, string>,
): DataResponse {
  throw new SalesforceApiError(501, 'NOT_IMPLEMENTED', 'composite is not implemented yet');
}
