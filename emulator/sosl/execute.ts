import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import type { SObjectType } from '../schema/schema.ts';
import type { StoredRecord } from '../schema/types.ts';
import { runSoql } from '../soql/execute.ts';
import {
  checkSearchLength,
  positionedMessage,
  type SearchExpression,
  type SearchScope,
  type SearchTerm,
  type SoslQuery,
  WILDCARD_ANY,
  WILDCARD_ONE,
} from './parse.ts';
import { type IdSet, type ObjectSearchIndex, searchIndexFor } from './search-index.ts';

/** Salesforce's ceiling on search results, and the default of SOSL's LIMIT and overallLimit. */
export const MAX_SEARCH_RESULTS = 2000;

/** What to return for one object: the RETURNING entry or parameterizedSearch's sobject, resolved. */
export interface ObjectSearchSpec {
  object: SObjectType;
  fields: string[];
  where?: string;
  orderBy?: string;
  limit?: number;
  offset?: number;
}

export interface SearchPlan {
  expression: SearchExpression;
  scope: SearchScope;
  objects: ObjectSearchSpec[];
  overallLimit: number;
  /** The statement errors should point into (the SOSL text), with each object's offset in it. */
  sourceText?: string;
  positions?: number[];
}

const CUSTOM_OBJECT_HINT =
  "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

/**
 * Resolves a RETURNING / sobject name as `userId` sees the schema: unknown, or unreadable for
 * their profile → INVALID_TYPE (as in SOQL); not searchable → INVALID_TYPE too.
 */
export function resolveSearchObject(
  org: Org,
  userId: string,
  name: string,
  sourceText?: string,
  position?: number,
): SObjectType {
  const object = org.security.forUser(userId).schema.object(name);
  const located = (message: string) =>
    sourceText !== undefined && position !== undefined
      ? positionedMessage(sourceText, position, message)
      : message;
  if (!object) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE',
      located(`sObject type '${name}' is not supported. ${CUSTOM_OBJECT_HINT}`),
    );
  }
  if (!searchIndexFor(org).object(object.name)) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE',
      located(`entity type ${object.name} does not support search`),
    );
  }
  return object;
}

/** Every searchable object `userId` may read, Id only: what a SOSL query without RETURNING searches. */
export function allSearchableObjects(org: Org, userId: string): ObjectSearchSpec[] {
  const schema = org.security.forUser(userId).schema;
  return searchIndexFor(org).objects.flatMap((index) => {
    const object = schema.object(index.object.name);
    return object ? [{ object, fields: [] }] : [];
  });
}

export function planFromSosl(org: Org, userId: string, query: SoslQuery): SearchPlan {
  const returning = query.returning;
  return {
    expression: query.expression,
    scope: query.scope,
    objects: returning
      ? returning.map((spec) => ({
          object: resolveSearchObject(org, userId, spec.objectName, query.text, spec.position),
          fields: spec.fields,
          where: spec.where,
          orderBy: spec.orderBy,
          limit: spec.limit,
          offset: spec.offset,
        }))
      : allSearchableObjects(org, userId),
    overallLimit: Math.min(query.limit ?? MAX_SEARCH_RESULTS, MAX_SEARCH_RESULTS),
    sourceText: query.text,
    positions: returning?.map((spec) => spec.position),
  };
}

/**
 * A plain search string (parameterizedSearch's q): whitespace-separated words that must all
 * match. `*` and `?` stay wildcards; every other character is literal, never an operator.
 */
export function plainSearchExpression(q: string): SearchExpression {
  const words = q.split(/\s+/).filter((word) => word !== '');
  const terms: SearchTerm[] = words.map((word) => ({
    kind: 'term',
    text: word.replaceAll('*', WILDCARD_ANY).replaceAll('?', WILDCARD_ONE),
    quoted: false,
  }));
  if (terms.length === 0) terms.push({ kind: 'term', text: '', quoted: false });
  let expression: SearchExpression = terms[0];
  for (const term of terms.slice(1)) expression = { kind: 'and', left: expression, right: term };
  checkSearchLength(q, expression);
  return expression;
}

const POSITIONED_PREFIX = /^\n[^\n]*\n *\^\nERROR at Row:\d+:Column:\d+\n/;

/**
 * Errors from the SOQL engine point into the SOQL the emulator composed; re-point them into the
 * SOSL text the client sent, and report syntax errors as MALFORMED_SEARCH as Salesforce does.
 */
function asSearchError(error: unknown, plan: SearchPlan, index: number): unknown {
  if (!(error instanceof SalesforceApiError)) return error;
  const item = error.errors[0];
  const message = item.message.replace(POSITIONED_PREFIX, '');
  const errorCode = item.errorCode === 'MALFORMED_QUERY' ? 'MALFORMED_SEARCH' : item.errorCode;
  const source = plan.sourceText;
  const objectPosition = plan.positions?.[index];
  if (source === undefined || objectPosition === undefined)
    return new SalesforceApiError(error.status, errorCode, message);
  const culprit = /(?:column|relationship) '([^']+)'/.exec(message)?.[1];
  let position = objectPosition;
  if (culprit) {
    const found = source.toLowerCase().indexOf(culprit.toLowerCase(), objectPosition);
    if (found >= 0) position = found;
  }
  return new SalesforceApiError(error.status, errorCode, positionedMessage(source, position, message));
}

interface RankedId {
  id: string;
  nameMatch: number;
  name: string;
}

function compareRanked(first: RankedId, second: RankedId): number {
  if (first.nameMatch !== second.nameMatch) return first.nameMatch - second.nameMatch;
  if (first.name !== second.name) return first.name < second.name ? -1 : 1;
  return first.id < second.id ? -1 : first.id > second.id ? 1 : 0;
}

/** Below this many wanted results, a bounded insertion beats sorting every match. */
const PARTIAL_SELECTION_LIMIT = 200;

/**
 * Relevance stand-in: records matched in a name field first, then by name, then by id. Only the
 * first `take` are needed when every match survives (no WHERE), so large match sets are not sorted.
 */
function rankIds(index: ObjectSearchIndex, org: Org, plan: SearchPlan, ids: IdSet, take: number): string[] {
  if (take <= 0 || ids.size === 0) return [];
  const nameMatches = plan.scope === 'NAME' ? undefined : index.evaluate(plan.expression, 'NAME', ids);
  const nameField = index.object.nameField?.name;
  const ranked: RankedId[] = [];
  const partial = take < PARTIAL_SELECTION_LIMIT && take < ids.size;
  for (const id of ids.keys()) {
    const value = nameField ? org.store.get(index.object.name, id)?.[nameField] : undefined;
    const entry = {
      id,
      nameMatch: nameMatches === undefined || nameMatches.has(id) ? 0 : 1,
      name: typeof value === 'string' ? value.toLowerCase() : '',
    };
    if (!partial) {
      ranked.push(entry);
      continue;
    }
    if (ranked.length === take && compareRanked(entry, ranked[take - 1]) >= 0) continue;
    let position = ranked.length;
    while (position > 0 && compareRanked(entry, ranked[position - 1]) < 0) position--;
    ranked.splice(position, 0, entry);
    if (ranked.length > take) ranked.pop();
  }
  if (!partial) ranked.sort(compareRanked);
  return ranked.map((entry) => entry.id);
}

/** The id of a serialized record, also when the field list left Id out (the url always carries it). */
function recordId(record: Record<string, unknown>): string {
  if (typeof record.Id === 'string') return record.Id;
  const url = (record.attributes as { url?: string } | undefined)?.url ?? '';
  return url.slice(url.lastIndexOf('/') + 1);
}

function composeSoql(spec: ObjectSearchSpec, options: { where: boolean; order: boolean }): string {
  const fields = spec.fields.length > 0 ? spec.fields.join(', ') : 'Id';
  let soql = `SELECT ${fields} FROM ${spec.object.name}`;
  if (options.where && spec.where) soql += ` WHERE ${spec.where}`;
  if (options.order && spec.orderBy) {
    soql += ` ORDER BY ${spec.orderBy}`;
    if (spec.limit !== undefined) soql += ` LIMIT ${spec.limit}`;
    if (spec.offset !== undefined) soql += ` OFFSET ${spec.offset}`;
  }
  return soql;
}

function visibleHits(
  org: Org,
  visible: ((record: StoredRecord) => boolean) | undefined,
  objectName: string,
  ids: IdSet,
): IdSet {
  if (!visible) return ids;
  const kept = new Set<string>();
  for (const id of ids.keys()) {
    const record = org.store.get(objectName, id);
    if (record && visible(record)) kept.add(id);
  }
  return kept;
}

/**
 * Runs a search. Salesforce orders results by relevance; the emulator has no relevance score, so
 * it returns objects in the order requested and, within an object, records whose name field
 * matched first, then by name (deterministic and close to what users see). An ORDER BY in the
 * object's clause replaces that order. Fields, WHERE, ORDER BY, LIMIT and OFFSET go through the
 * SOQL engine restricted to the ids the index matched, so they behave exactly as in SOQL
 * (field validation, sharing, relationship paths, toLabel…).
 */
export function runSearch(
  org: Org,
  userId: string,
  plan: SearchPlan,
  version: string,
): Record<string, unknown>[] {
  const searchIndex = searchIndexFor(org);
  const access = org.security.forUser(userId);
  const results: Record<string, unknown>[] = [];
  plan.objects.forEach((spec, position) => {
    const index = searchIndex.object(spec.object.name)!;
    const remaining = Math.max(0, plan.overallLimit - results.length);
    // Hits the caller may not read go before ranking, so LIMIT/OFFSET count visible records only.
    const ids = visibleHits(
      org,
      access.readFilter(spec.object.name),
      spec.object.name,
      index.evaluate(plan.expression, plan.scope),
    );
    const query = (soql: string, restrictToIds: ReadonlySet<string>) => {
      try {
        return runSoql(org, userId, soql, { restrictToIds, version }).records as Record<string, unknown>[];
      } catch (error) {
        throw asSearchError(error, plan, position);
      }
    };
    if (spec.orderBy) {
      const records = query(composeSoql(spec, { where: true, order: true }), new Set(ids.keys()));
      results.push(...records.slice(0, remaining));
      return;
    }
    const offset = spec.offset ?? 0;
    const count = Math.min(spec.limit ?? Number.POSITIVE_INFINITY, remaining);
    // Without WHERE every ranked id survives, so only the page needs ranking and fetching.
    let ranked = rankIds(index, org, plan, ids, spec.where ? Number.POSITIVE_INFINITY : offset + count);
    if (!spec.where) ranked = ranked.slice(offset, offset + count);
    const rankOf = new Map(ranked.map((id, rank) => [id, rank]));
    const records = query(composeSoql(spec, { where: true, order: false }), new Set(ranked));
    records.sort((first, second) => rankOf.get(recordId(first))! - rankOf.get(recordId(second))!);
    results.push(...(spec.where ? records.slice(offset, offset + count) : records));
  });
  return results;
}
