import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import {
  allSearchableObjects,
  MAX_SEARCH_RESULTS,
  type ObjectSearchSpec,
  plainSearchExpression,
  planFromSosl,
  resolveSearchObject,
  runSearch,
} from '../sosl/execute.ts';
import { malformedSearch, NO_SEARCH_TERM_MESSAGE, parseSosl, type SearchScope } from '../sosl/parse.ts';
import type { DataRequest, DataResponse } from './types.ts';

/** GET /search?q=FIND {…} …: a SOSL search. */
export function handleSearch(org: Org, request: DataRequest): DataResponse {
  const q = request.query.get('q');
  if (q === null || q.trim() === '') throw malformedSearch(NO_SEARCH_TERM_MESSAGE);
  const plan = planFromSosl(org, request.session.userId, parseSosl(q));
  return {
    status: 200,
    body: { searchRecords: runSearch(org, request.session.userId, plan, request.version) },
  };
}

const SCOPES: Record<string, SearchScope> = {
  ALL: 'ALL',
  NAME: 'NAME',
  EMAIL: 'EMAIL',
  PHONE: 'PHONE',
  SIDEBAR: 'ALL',
};

interface SObjectParameters {
  name: string;
  fields?: string[];
  limit?: number;
  where?: string;
  orderBy?: string;
}

interface SearchParameters {
  q: string | undefined;
  scope: string | undefined;
  fields: string[] | undefined;
  sobjects: SObjectParameters[];
  overallLimit: number | undefined;
  defaultLimit: number | undefined;
}

function invalidParameter(name: string, value: unknown): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'INVALID_SEARCH',
    `Invalid value for parameter ${name}: ${String(value)}`,
  );
}

function limitParameter(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number) || number < 0) throw invalidParameter(name, value);
  return Math.min(number, MAX_SEARCH_RESULTS);
}

function fieldList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) throw invalidParameter(name, value);
  const fields = (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
  return fields.length > 0 ? fields : undefined;
}

/** GET: `sobject=Account&Account.fields=id,name&Account.limit=10&Account.where=…` and globals. */
function parametersFromQuery(query: URLSearchParams): SearchParameters {
  const sobjects = query.getAll('sobject').map((name): SObjectParameters => {
    const own = (suffix: string): string | undefined => {
      const wanted = `${name}.${suffix}`.toLowerCase();
      for (const [key, value] of query) if (key.toLowerCase() === wanted) return value;
      return undefined;
    };
    return {
      name,
      fields: fieldList(own('fields'), `${name}.fields`),
      limit: limitParameter(`${name}.limit`, own('limit')),
      where: own('where'),
      orderBy: own('orderBy'),
    };
  });
  return {
    q: query.get('q') ?? undefined,
    scope: query.get('in') ?? undefined,
    fields: fieldList(query.get('fields') ?? undefined, 'fields'),
    sobjects,
    overallLimit: limitParameter('overallLimit', query.get('overallLimit') ?? undefined),
    defaultLimit: limitParameter('defaultLimit', query.get('defaultLimit') ?? undefined),
  };
}

/** POST: `{ q, fields, sobjects: [{ name, fields, limit, where, orderBy }], in, overallLimit, defaultLimit }`. */
function parametersFromBody(body: unknown): SearchParameters {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const sobjectsInput = input.sobjects ?? [];
  if (!Array.isArray(sobjectsInput)) throw invalidParameter('sobjects', sobjectsInput);
  const sobjects = sobjectsInput.map((entry): SObjectParameters => {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { name?: unknown }).name !== 'string'
    ) {
      throw invalidParameter('sobjects', JSON.stringify(entry));
    }
    const item = entry as Record<string, unknown>;
    const name = item.name as string;
    const text = (key: string): string | undefined => {
      const value = item[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') throw invalidParameter(`${name}.${key}`, value);
      return value;
    };
    return {
      name,
      fields: fieldList(item.fields, `${name}.fields`),
      limit: limitParameter(`${name}.limit`, item.limit),
      where: text('where'),
      orderBy: text('orderBy'),
    };
  });
  return {
    q: typeof input.q === 'string' ? input.q : undefined,
    scope: typeof input.in === 'string' ? input.in : undefined,
    fields: fieldList(input.fields, 'fields'),
    sobjects,
    overallLimit: limitParameter('overallLimit', input.overallLimit),
    defaultLimit: limitParameter('defaultLimit', input.defaultLimit),
  };
}

/**
 * GET or POST /parameterizedSearch: a search without SOSL. q is plain text (reserved characters
 * are literal; `*` and `?` remain wildcards); the words must all match.
 */
export function handleParameterizedSearch(org: Org, request: DataRequest): DataResponse {
  const parameters =
    request.method === 'POST' ? parametersFromBody(request.body) : parametersFromQuery(request.query);
  if (parameters.q === undefined || parameters.q.trim() === '') {
    throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'Missing required parameter: q');
  }
  const scope = parameters.scope === undefined ? 'ALL' : SCOPES[parameters.scope.toUpperCase()];
  if (!scope) throw invalidParameter('in', parameters.scope);
  const expression = plainSearchExpression(parameters.q);
  const objects: ObjectSearchSpec[] =
    parameters.sobjects.length > 0
      ? parameters.sobjects.map((sobject) => ({
          object: resolveSearchObject(org, request.session.userId, sobject.name),
          fields: sobject.fields ?? parameters.fields ?? [],
          where: sobject.where,
          orderBy: sobject.orderBy,
          limit: sobject.limit ?? parameters.defaultLimit,
        }))
      : allSearchableObjects(org, request.session.userId).map((spec) => ({
          ...spec,
          fields: parameters.fields ?? [],
        }));
  const searchRecords = runSearch(
    org,
    request.session.userId,
    { expression, scope, objects, overallLimit: parameters.overallLimit ?? MAX_SEARCH_RESULTS },
    request.version,
  );
  return { status: 200, body: { searchRecords } };
}
