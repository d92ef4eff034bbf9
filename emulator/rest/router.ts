import { BULK_ROUTES } from '../bulk/bulk-routes.ts';
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { handleComposite, handleCompositeSObjects, handleCompositeSObjectsRetrieve } from './composite.ts';
import { handleQuery, handleQueryMore } from './query.ts';
import { handleParameterizedSearch, handleSearch } from './search.ts';
import {
  handleCreate,
  handleDelete,
  handleDescribe,
  handleDescribeGlobal,
  handleRetrieve,
  handleSObjectInfo,
  handleUpdate,
} from './sobjects.ts';
import { handleToolingQuery, handleToolingSObjects } from './tooling.ts';
import type { DataHandler, DataRequest, DataResponse } from './types.ts';
import { handleLimits, handleResources, isSupportedVersion } from './versions.ts';

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: DataHandler;
}

const routes: Route[] = [];

function route(method: string, template: string, handler: DataHandler): void {
  const keys: string[] = [];
  const source = template.replace(/:(\w+)/g, (_match, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  routes.push({ method, pattern: new RegExp(`^/v\\d+\\.\\d${source}/?$`), keys, handler });
}

route('GET', '', handleResources);
route('GET', '/limits', handleLimits);
route('GET', '/sobjects', handleDescribeGlobal);
route('GET', '/sobjects/:type', handleSObjectInfo);
route('POST', '/sobjects/:type', handleCreate);
route('GET', '/sobjects/:type/describe', handleDescribe);
route('GET', '/sobjects/:type/:id', handleRetrieve);
route('PATCH', '/sobjects/:type/:id', handleUpdate);
route('DELETE', '/sobjects/:type/:id', handleDelete);
route('GET', '/query', (org, request) => handleQuery(org, request, { includeDeleted: false }));
route('GET', '/queryAll', (org, request) => handleQuery(org, request, { includeDeleted: true }));
route('GET', '/query/:locator', handleQueryMore);
route('GET', '/queryAll/:locator', handleQueryMore);
route('GET', '/search', handleSearch);
route('GET', '/parameterizedSearch', handleParameterizedSearch);
route('POST', '/parameterizedSearch', handleParameterizedSearch);
route('POST', '/composite', handleComposite);
route('POST', '/composite/sobjects', handleCompositeSObjects);
route('PATCH', '/composite/sobjects', handleCompositeSObjects);
route('DELETE', '/composite/sobjects', handleCompositeSObjects);
route('GET', '/composite/sobjects/:type', handleCompositeSObjectsRetrieve);
route('POST', '/composite/sobjects/:type', handleCompositeSObjectsRetrieve);
route('GET', '/tooling/query', handleToolingQuery);
route('GET', '/tooling/sobjects', handleToolingSObjects);
for (const [method, template, handler] of BULK_ROUTES) route(method, template, handler);

export function errorResponse(error: SalesforceApiError): DataResponse {
  return { status: error.status, body: error.errors };
}

/**
 * Routes one authenticated `/services/data/vXX.X/…` request to its handler and turns thrown
 * SalesforceApiErrors into Salesforce's error responses. Synchronous, so composite can reuse it.
 */
export function dispatch(org: Org, request: DataRequest): DataResponse {
  if (!isSupportedVersion(request.version)) {
    return {
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
    };
  }
  let methodMismatch = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(request.path);
    if (!match) continue;
    if (candidate.method !== request.method) {
      methodMismatch = true;
      continue;
    }
    const params: Record<string, string> = {};
    candidate.keys.forEach((key, index) => {
      params[key] = decodeURIComponent(match[index + 1]);
    });
    try {
      return candidate.handler(org, request, params);
    } catch (error) {
      if (error instanceof SalesforceApiError) return errorResponse(error);
      throw error;
    }
  }
  if (methodMismatch) {
    return {
      status: 405,
      body: [
        {
          errorCode: 'METHOD_NOT_ALLOWED',
          message: `HTTP Method '${request.method}' not allowed. Allowed are GET,PATCH,DELETE,POST,HEAD`,
        },
      ],
    };
  }
  return {
    status: 404,
    body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
  };
}
