import { BULK_ROUTES } from '../bulk/bulk-routes.ts';
import { SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { handleComposite, handleCompositeSObjects, handleCompositeSObjectsRetrieve } from './composite.ts';
import { handleCompositeBatch } from './composite-batch.ts';
import { handleCompositeTree } from './composite-tree.ts';
import { handleCompositeUpsert } from './composite-upsert.ts';
import { handleDescribeLayouts } from './describe-layouts.ts';
import {
  handleCreateWithIdKey,
  handleDeleteByExternalId,
  handleRetrieveByExternalId,
  handleUpsert,
} from './external-id.ts';
import { handleQuery, handleQueryMore } from './query.ts';
import { handleQueryExplain } from './query-explain.ts';
import { handleQuickActionDescribe, handleQuickActionInvoke, handleQuickActions } from './quick-actions.ts';
import { handleRecent } from './recently-viewed.ts';
import { handleRecordCount } from './record-count.ts';
import { handleRelationship } from './relationship-traversal.ts';
import { handleDeleted, handleUpdated } from './replication.ts';
import { handleParameterizedSearch, handleSearch } from './search.ts';
import { handleSearchSuggestions } from './search-suggestions.ts';
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
route('GET', '/limits/recordCount', handleRecordCount);
route('GET', '/quickActions', handleQuickActions);
route('GET', '/quickActions/:action', handleQuickActionDescribe);
route('POST', '/quickActions/:action', handleQuickActionInvoke);
route('GET', '/quickActions/:action/describe', handleQuickActionDescribe);
route('GET', '/sobjects', handleDescribeGlobal);
route('GET', '/sobjects/:type', handleSObjectInfo);
route('POST', '/sobjects/:type', handleCreate);
route('GET', '/sobjects/:type/describe', handleDescribe);
route('GET', '/sobjects/:type/describe/layouts', handleDescribeLayouts);
route('GET', '/sobjects/:type/quickActions', handleQuickActions);
route('GET', '/sobjects/:type/quickActions/:action', handleQuickActionDescribe);
route('POST', '/sobjects/:type/quickActions/:action', handleQuickActionInvoke);
route('GET', '/sobjects/:type/quickActions/:action/describe', handleQuickActionDescribe);
route('GET', '/sobjects/:type/updated', handleUpdated);
route('GET', '/sobjects/:type/deleted', handleDeleted);
route('GET', '/sobjects/:type/:id', handleRetrieve);
route('PATCH', '/sobjects/:type/:id', handleUpdate);
route('DELETE', '/sobjects/:type/:id', handleDelete);
route('POST', '/sobjects/:type/:field', handleCreateWithIdKey);
route('GET', '/sobjects/:type/:key/:name', handleRecordSubresource);
route('PATCH', '/sobjects/:type/:field/:value', handleUpsert);
route('DELETE', '/sobjects/:type/:field/:value', handleDeleteByExternalId);
route('GET', '/recent', handleRecent);
route('GET', '/query', (org, request) =>
  request.query.has('explain')
    ? handleQueryExplain(org, request)
    : handleQuery(org, request, { includeDeleted: false }),
);
route('GET', '/queryAll', (org, request) => handleQuery(org, request, { includeDeleted: true }));
route('GET', '/query/:locator', handleQueryMore);
route('GET', '/queryAll/:locator', handleQueryMore);
route('GET', '/search', handleSearch);
route('GET', '/search/suggestions', handleSearchSuggestions);
route('GET', '/parameterizedSearch', handleParameterizedSearch);
route('POST', '/parameterizedSearch', handleParameterizedSearch);
route('POST', '/composite', handleComposite);
route('POST', '/composite/batch', handleCompositeBatch);
route('POST', '/composite/tree/:type', handleCompositeTree);
route('POST', '/composite/sobjects', handleCompositeSObjects);
route('PATCH', '/composite/sobjects', handleCompositeSObjects);
route('DELETE', '/composite/sobjects', handleCompositeSObjects);
route('GET', '/composite/sobjects/:type', handleCompositeSObjectsRetrieve);
route('PATCH', '/composite/sobjects/:type/:field', handleCompositeUpsert);
route('POST', '/composite/sobjects/:type', handleCompositeSObjectsRetrieve);
route('GET', '/tooling/query', handleToolingQuery);
route('GET', '/tooling/sobjects', handleToolingSObjects);
for (const [method, template, handler] of BULK_ROUTES) route(method, template, handler);

/**
 * `…/sobjects/T/{a}/{b}` is a relationship of a record when `a` is an id of T
 * (`Contact/003…/Account`), else an external id field and its value (`Account/Code__c/A-1`).
 */
function handleRecordSubresource(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const object = org.schema.object(params.type);
  const id = normalizeId(params.key);
  if (object && id?.startsWith(object.keyPrefix)) {
    return handleRelationship(org, request, { type: params.type, id, relationship: params.name });
  }
  return handleRetrieveByExternalId(org, request, {
    type: params.type,
    field: params.key,
    value: params.name,
  });
}

/** Methods a POST may stand in for with `?_HttpMethod=`, for clients that can only send GET and POST. */
const OVERRIDABLE_METHODS = new Set(['PATCH', 'DELETE']);

/** The request as its `_HttpMethod` override makes it: a POST that stands for a PATCH or DELETE. */
function withMethodOverride(request: DataRequest): DataRequest {
  const override = request.query.get('_HttpMethod')?.toUpperCase();
  if (request.method !== 'POST' || override === undefined || !OVERRIDABLE_METHODS.has(override))
    return request;
  const query = new URLSearchParams(request.query);
  query.delete('_HttpMethod');
  return { ...request, method: override, query, body: override === 'DELETE' ? undefined : request.body };
}

export function errorResponse(error: SalesforceApiError): DataResponse {
  return { status: error.status, body: error.errors };
}

/**
 * Routes one authenticated `/services/data/vXX.X/…` request to its handler and turns thrown
 * SalesforceApiErrors into Salesforce's error responses. Synchronous, so composite can reuse it.
 */
export function dispatch(org: Org, original: DataRequest): DataResponse {
  const request = withMethodOverride(original);
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
    // HEAD is a GET whose body the HTTP layer drops: validators and 304s come out the same.
    if (candidate.method !== (request.method === 'HEAD' ? 'GET' : request.method)) {
      methodMismatch = true;
      continue;
    }
    const params: Record<string, string> = {};
    candidate.keys.forEach((key, index) => {
      params[key] = decodeURIComponent(match[index + 1]);
    });
    try {
      return candidate.handler(org, request, params, dispatch);
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
