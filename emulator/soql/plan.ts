import type {
  FieldFunctionExpression,
  FieldType,
  GroupByClause,
  OrderByClause,
  Query,
  Subquery,
} from 'soql-parser-js';
import type { ChildRelationship, Field, Schema, SObjectType } from '../schema/schema.ts';
import { locate, malformed, queryError, unknownChildRelationship, unsupportedObject } from './errors.ts';
import {
  compileGetter,
  type Getter,
  type Hop,
  type PolymorphicFieldName,
  type ResolvedPath,
  resolvePath,
  type ValueKind,
} from './fields.ts';
import { LruCache, parseSoql } from './parse.ts';
import { type CompiledWhere, compileWhere } from './where.ts';

/** What to write for one record: its fields, nested parents and child subqueries, in SELECT order. */
export interface Projection {
  entries: ProjectionEntry[];
}

export type ProjectionEntry =
  | { kind: 'field'; name: string; field: Field }
  | { kind: 'polymorphic'; name: PolymorphicFieldName }
  | { kind: 'parent'; name: string; hop: Hop; projection: Projection }
  | { kind: 'children'; name: string; plan: ChildPlan };

export interface OrderTerm {
  getter: Getter;
  kind: ValueKind;
  descending: boolean;
  nullsLast: boolean;
}

export interface AggregateColumn {
  /** The key in the AggregateResult (`expr0`, an alias, or a grouped field's name). */
  key: string;
  functionName: string | undefined;
  path: ResolvedPath | undefined;
  getter: Getter | undefined;
}

export interface AggregatePlan {
  columns: AggregateColumn[];
  groupBy: Array<{ getter: Getter; kind: ValueKind }>;
  /** ORDER BY over result keys. */
  orderBy: Array<{ key: string; descending: boolean; nullsLast: boolean }>;
}

export interface Plan {
  soql: string;
  object: SObjectType;
  projection: Projection;
  /** `SELECT COUNT()`: only the number of matches is returned. */
  countOnly: boolean;
  aggregate: AggregatePlan | undefined;
  where: CompiledWhere | undefined;
  orderBy: OrderTerm[];
  limit: number | undefined;
  offset: number;
  /** `USING SCOPE mine`: only records owned by the caller. */
  scopeMine: boolean;
}

export interface ChildPlan extends Plan {
  relationship: ChildRelationship;
}

/** A semi-join subquery: its plan and the (plain) field whose values it yields. */
export interface SemiJoinPlan {
  plan: Plan;
  fieldName: string;
}

const MAX_OFFSET = 2000;
const FIELDS_FUNCTION_LIMIT = 200;
const AGGREGATE_FUNCTIONS = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

const plansBySchema = new WeakMap<Schema, LruCache<Plan>>();

/** The plan of a query text, cached per schema (parse and planning cost more than small queries). */
export function planQuery(schema: Schema, soql: string): Plan {
  let cache = plansBySchema.get(schema);
  if (!cache) {
    cache = new LruCache<Plan>(500);
    plansBySchema.set(schema, cache);
  }
  const cached = cache.get(soql);
  if (cached) return cached;
  const query = parseSoql(soql);
  if (!query.sObject) throw malformed(soql, undefined, "unexpected token: '<EOF>'");
  const object = schema.object(query.sObject);
  if (!object?.queryable) throw unsupportedObject(soql, query.sObject);
  const plan = compileQuery(schema, soql, query, object);
  cache.set(soql, plan);
  return plan;
}

function compileQuery(schema: Schema, soql: string, query: Query | Subquery, object: SObjectType): Plan {
  const alias = query.sObjectAlias;
  const fields = query.fields ?? [];
  const hasAggregate = fields.some(
    (field) => field.type === 'FieldFunctionExpression' && field.isAggregateFn,
  );
  const countOnly =
    fields.length === 1 &&
    fields[0].type === 'FieldFunctionExpression' &&
    fields[0].functionName.toUpperCase() === 'COUNT' &&
    fields[0].parameters.length === 0;
  const groupByClauses = query.groupBy
    ? Array.isArray(query.groupBy)
      ? query.groupBy
      : [query.groupBy]
    : [];
  if (query.having)
    throw malformed(soql, 'HAVING', "unexpected token: 'HAVING' (HAVING is not supported by the emulator)");
  if (countOnly && groupByClauses.length > 0) throw malformed(soql, 'GROUP', "unexpected token: 'GROUP'");

  const usesFieldsFunction = fields.some(
    (field) => field.type === 'FieldFunctionExpression' && field.functionName.toUpperCase() === 'FIELDS',
  );
  if (usesFieldsFunction) {
    const kinds = fields.flatMap((field) =>
      field.type === 'FieldFunctionExpression' && field.functionName.toUpperCase() === 'FIELDS'
        ? [String(field.parameters[0]).toUpperCase()]
        : [],
    );
    if (
      kinds.some((kind) => kind !== 'STANDARD') &&
      (query.limit === undefined || query.limit > FIELDS_FUNCTION_LIMIT)
    ) {
      throw malformed(soql, undefined, 'The SOQL FIELDS function must have a LIMIT of at most 200');
    }
  }

  const where = query.where
    ? compileWhere(
        {
          schema,
          object,
          soql,
          alias,
          compileSemiJoin: (subquery, fieldText) => compileSemiJoin(schema, soql, subquery, fieldText),
        },
        query.where,
      )
    : undefined;

  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw queryError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      soql,
      locate(soql, 'OFFSET'),
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }

  const base = {
    soql,
    object,
    where,
    limit: query.limit,
    offset: query.offset ?? 0,
    scopeMine: query.usingScope?.toLowerCase() === 'mine',
  };
  if (countOnly) {
    return { ...base, projection: { entries: [] }, countOnly: true, aggregate: undefined, orderBy: [] };
  }
  if (hasAggregate || groupByClauses.length > 0) {
    const aggregate = compileAggregate(schema, soql, query, object, groupByClauses);
    return { ...base, projection: { entries: [] }, countOnly: false, aggregate, orderBy: [] };
  }
  const projection = compileProjection(schema, soql, fields, object, alias);
  const orderBy = compileOrderBy(schema, soql, query.orderBy, object, alias);
  return { ...base, projection, countOnly: false, aggregate: undefined, orderBy };
}

function compileSemiJoin(schema: Schema, soql: string, query: Query, fieldText: string): SemiJoinPlan {
  const object = query.sObject ? schema.object(query.sObject) : undefined;
  if (!object?.queryable) throw unsupportedObject(soql, query.sObject ?? '');
  const fields = query.fields ?? [];
  const only = fields[0];
  if (fields.length !== 1 || only.type !== 'Field') {
    throw queryError(
      'MALFORMED_QUERY',
      soql,
      locate(soql, fieldText),
      'Semi join sub-selects are only allowed to contain a single field',
    );
  }
  const path = resolvePath(schema, object, only.field, soql, query.sObjectAlias);
  if (path.kind !== 'id' || path.hops.length > 0) {
    throw queryError(
      'INVALID_FIELD',
      soql,
      locate(soql, only.field),
      `Invalid semi join: the selected field '${path.name}' must be an Id or a reference field`,
    );
  }
  return { plan: compileQuery(schema, soql, query, object), fieldName: path.name };
}

// --- SELECT list -------------------------------------------------------------------------------

function addPath(projection: Projection, path: ResolvedPath): void {
  let node = projection;
  for (const hop of path.hops) {
    let parent = node.entries.find(
      (entry): entry is Extract<ProjectionEntry, { kind: 'parent' }> =>
        entry.kind === 'parent' && entry.name === hop.relationshipName,
    );
    if (!parent) {
      parent = { kind: 'parent', name: hop.relationshipName, hop, projection: { entries: [] } };
      node.entries.push(parent);
    }
    node = parent.projection;
  }
  // Salesforce rejects duplicates; the emulator keeps the first occurrence (see the report).
  if (
    node.entries.some(
      (entry) => (entry.kind === 'field' || entry.kind === 'polymorphic') && entry.name === path.name,
    )
  ) {
    return;
  }
  if (path.polymorphicField) node.entries.push({ kind: 'polymorphic', name: path.polymorphicField });
  else if (path.field) node.entries.push({ kind: 'field', name: path.field.name, field: path.field });
}

function compileProjection(
  schema: Schema,
  soql: string,
  fields: FieldType[],
  object: SObjectType,
  alias: string | undefined,
): Projection {
  const projection: Projection = { entries: [] };
  for (const selected of fields) {
    switch (selected.type) {
      case 'Field':
        addPath(projection, resolvePath(schema, object, selected.field, soql, alias));
        break;
      case 'FieldRelationship': {
        const text = selected.rawValue ?? [...selected.relationships, selected.field].join('.');
        addPath(projection, resolvePath(schema, object, text, soql, alias));
        break;
      }
      case 'FieldSubquery': {
        const plan = compileChild(schema, soql, selected.subquery, object);
        projection.entries.push({ kind: 'children', name: plan.relationship.relationshipName, plan });
        break;
      }
      case 'FieldFunctionExpression': {
        const name = selected.functionName.toUpperCase();
        if (name === 'FIELDS') {
          // The emulator has no custom fields: FIELDS(CUSTOM) selects nothing, STANDARD and ALL everything.
          const customOnly = String(selected.parameters[0]).toUpperCase() === 'CUSTOM';
          for (const field of object.fields) {
            if (customOnly && !field.name.endsWith('__c')) continue;
            addPath(projection, resolvePath(schema, object, field.name, soql));
          }
        } else if ((name === 'TOLABEL' || name === 'FORMAT') && typeof selected.parameters[0] === 'string') {
          // Labels equal values in the emulator's picklists, and values are not localised.
          addPath(projection, resolvePath(schema, object, selected.parameters[0], soql, alias));
        } else {
          throw malformed(soql, selected.functionName, `unexpected token: '${selected.functionName}'`);
        }
        break;
      }
      default:
        throw malformed(
          soql,
          'TYPEOF',
          "unexpected token: 'TYPEOF' (TYPEOF is not supported by the emulator)",
        );
    }
  }
  return projection;
}

function compileChild(schema: Schema, soql: string, subquery: Subquery, parent: SObjectType): ChildPlan {
  const relationship = schema.childRelationship(parent.name, subquery.relationshipName);
  if (!relationship) throw unknownChildRelationship(soql, subquery.relationshipName);
  const object = schema.object(relationship.childSObject)!;
  const plan = compileQuery(schema, soql, subquery, object);
  if (plan.countOnly || plan.aggregate) {
    throw malformed(
      soql,
      'COUNT',
      "unexpected token: 'COUNT' (aggregates are not allowed in a relationship subquery)",
    );
  }
  return { ...plan, relationship };
}

// --- ORDER BY ----------------------------------------------------------------------------------

function orderClauses(orderBy: OrderByClause | OrderByClause[] | undefined): OrderByClause[] {
  if (!orderBy) return [];
  return Array.isArray(orderBy) ? orderBy : [orderBy];
}

function compileOrderBy(
  schema: Schema,
  soql: string,
  orderBy: OrderByClause | OrderByClause[] | undefined,
  object: SObjectType,
  alias: string | undefined,
): OrderTerm[] {
  return orderClauses(orderBy).map((clause) => {
    if (!('field' in clause) || !clause.field) {
      throw malformed(soql, 'ORDER', "unexpected token: 'ORDER' (only fields can be ordered by)");
    }
    const path = resolvePath(schema, object, clause.field, soql, alias);
    if (path.field && (!path.field.sortable || path.kind === 'address')) {
      throw queryError(
        'INVALID_FIELD',
        soql,
        locate(soql, clause.field),
        `field '${path.name}' can not be sorted in a query call`,
      );
    }
    const descending = clause.order?.toUpperCase() === 'DESC';
    // Salesforce's default: nulls first when ascending, last when descending.
    const nullsLast = clause.nulls ? clause.nulls.toUpperCase() === 'LAST' : descending;
    return { getter: compileGetter(path), kind: path.kind, descending, nullsLast };
  });
}

// --- Aggregates --------------------------------------------------------------------------------

function compileAggregate(
  schema: Schema,
  soql: string,
  query: Query | Subquery,
  object: SObjectType,
  groupByClauses: GroupByClause[],
): AggregatePlan {
  const alias = query.sObjectAlias;
  const groupBy: AggregatePlan['groupBy'] = [];
  const groupedNames = new Set<string>();
  for (const clause of groupByClauses) {
    if (!('field' in clause) || !clause.field) throw malformed(soql, 'GROUP', "unexpected token: 'GROUP'");
    const path = resolvePath(schema, object, clause.field, soql, alias);
    groupBy.push({ getter: compileGetter(path), kind: path.kind });
    groupedNames.add(clause.field.toLowerCase());
  }
  const columns: AggregateColumn[] = [];
  let expressionIndex = 0;
  for (const selected of query.fields ?? []) {
    if (
      selected.type === 'FieldFunctionExpression' &&
      AGGREGATE_FUNCTIONS.has(selected.functionName.toUpperCase())
    ) {
      const functionExpression = selected as FieldFunctionExpression;
      const parameter = functionExpression.parameters[0];
      const path =
        typeof parameter === 'string' ? resolvePath(schema, object, parameter, soql, alias) : undefined;
      const key = functionExpression.alias ?? `expr${expressionIndex++}`;
      columns.push({
        key,
        functionName: functionExpression.functionName.toUpperCase(),
        path,
        getter: path ? compileGetter(path) : undefined,
      });
    } else if (selected.type === 'Field' || selected.type === 'FieldRelationship') {
      const text = selected.type === 'Field' ? selected.field : (selected.rawValue ?? selected.field);
      const path = resolvePath(schema, object, text, soql, alias);
      if (!groupedNames.has(text.toLowerCase())) {
        throw queryError(
          'MALFORMED_QUERY',
          soql,
          locate(soql, text),
          `Field must be grouped or aggregated: ${path.name}`,
        );
      }
      const key = selected.type === 'Field' && selected.alias ? selected.alias : path.name;
      columns.push({ key, functionName: undefined, path, getter: compileGetter(path) });
    } else {
      throw malformed(soql, undefined, 'unexpected token in an aggregate query');
    }
  }
  const orderBy = orderClauses(query.orderBy).map((clause) => {
    let key: string | undefined;
    if ('field' in clause && clause.field) {
      const path = resolvePath(schema, object, clause.field, soql, alias);
      key = columns.find((column) => !column.functionName && column.path?.name === path.name)?.key;
    } else if ('fn' in clause) {
      const raw = (clause.fn.rawValue ?? '').replace(/\s+/g, '').toLowerCase();
      const match = (query.fields ?? []).findIndex(
        (field) =>
          field.type === 'FieldFunctionExpression' &&
          (field.rawValue ?? '').replace(/\s+/g, '').toLowerCase() === raw,
      );
      key = match >= 0 ? columns[match]?.key : undefined;
    }
    if (!key)
      throw malformed(soql, 'ORDER', "unexpected token: 'ORDER' (order by a selected group or aggregate)");
    const descending = clause.order?.toUpperCase() === 'DESC';
    return { key, descending, nullsLast: clause.nulls ? clause.nulls.toUpperCase() === 'LAST' : descending };
  });
  return { columns, groupBy, orderBy };
}
