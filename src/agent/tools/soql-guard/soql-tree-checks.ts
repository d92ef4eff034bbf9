import type {
  ConditionWithValueQuery,
  FieldType,
  FunctionExp,
  HavingClause,
  LiteralType,
  OrderByClause,
  Query,
  Subquery,
  WhereClause,
} from 'soql-parser-js';
import {
  type GuardContext,
  MAX_SOQL_OFFSET,
  type Refusal,
  refuse,
  type SoqlResultShape,
} from './soql-guard-types.ts';

/**
 * The parse-tree checks of the SOQL guard: every clause of the parsed query (and of its
 * subqueries) is checked, allow-listed names are written back in their canonical spelling, and
 * limits are added or capped. See guard-read-only-soql.ts for the decisions.
 */

const IDENTIFIER_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
// Salesforce's SOQL string escapes (plus \% and \_ for LIKE, and \uXXXX).
const STRING_LITERAL = /^'(?:[^'\\\r\n]|\\[nNrRtTbBfF"'\\%_]|\\u[0-9a-fA-F]{4})*'$/;

const LITERAL_PATTERNS: Partial<Record<LiteralType, RegExp>> = {
  STRING: STRING_LITERAL,
  INTEGER: /^[+-]?\d+$/,
  DECIMAL: /^[+-]?\d*\.\d+$/,
  INTEGER_WITH_CURRENCY_PREFIX: /^[A-Z]{3}[+-]?\d+$/,
  DECIMAL_WITH_CURRENCY_PREFIX: /^[A-Z]{3}[+-]?\d*\.\d+$/,
  BOOLEAN: /^(true|false)$/i,
  NULL: /^null$/i,
  DATE: /^\d{4}-\d{2}-\d{2}$/,
  DATETIME: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/,
  DATE_LITERAL: /^[A-Z0-9_]+$/i,
  DATE_N_LITERAL: /^[A-Z_]+:\d{1,6}$/i,
};

// Functions SOQL offers in SELECT, WHERE, GROUP BY, HAVING and ORDER BY; all read-only.
const ALLOWED_FUNCTIONS = new Set(
  [
    'COUNT',
    'COUNT_DISTINCT',
    'SUM',
    'AVG',
    'MIN',
    'MAX',
    'FIELDS',
    'toLabel',
    'FORMAT',
    'convertCurrency',
    'convertTimezone',
    'GROUPING',
    'DISTANCE',
    'GEOLOCATION',
    'CALENDAR_MONTH',
    'CALENDAR_QUARTER',
    'CALENDAR_YEAR',
    'DAY_IN_MONTH',
    'DAY_IN_WEEK',
    'DAY_IN_YEAR',
    'DAY_ONLY',
    'FISCAL_MONTH',
    'FISCAL_QUARTER',
    'FISCAL_YEAR',
    'HOUR_IN_DAY',
    'WEEK_IN_MONTH',
    'WEEK_IN_YEAR',
  ].map((name) => name.toUpperCase()),
);
const FIELDS_PARAMETERS = new Set(['ALL', 'STANDARD', 'CUSTOM']);
// GEOLOCATION(lat, long) and DISTANCE(..., 'mi') take numbers and unit strings, not field names.
const FUNCTION_VALUE_PARAMETER = /^([+-]?\d+(\.\d+)?|'(mi|km)')$/;

type Level = 'top' | 'child' | 'semi';

export function checkQuery(
  query: Query | Subquery,
  level: Level,
  context: GuardContext,
): Refusal | undefined {
  const problem =
    checkSideEffects(query) ?? checkSource(query, context) ?? checkClauses(query, level, context);
  if (problem) return problem;
  if (level === 'child') {
    query.limit = clampLimit(query.limit, context.defaultChildLimit, context.maxChildLimit);
  }
  return undefined;
}

function checkSideEffects(query: Query | Subquery): Refusal | undefined {
  if (query.for) {
    return refuse(
      'side_effect_clause',
      `FOR ${query.for} is not allowed: it locks or marks records. Remove it; a plain SELECT reads the same data.`,
    );
  }
  if (query.update) {
    return refuse(
      'side_effect_clause',
      `UPDATE ${query.update} is not allowed: it writes statistics. Remove it.`,
    );
  }
  if (query.withAccessLevel === 'SYSTEM_MODE') {
    return refuse(
      'unsupported_clause',
      'WITH SYSTEM_MODE is not allowed: queries run as the connected user.',
    );
  }
  return undefined;
}

/** The FROM object (or a child subquery's relationship) and its alias; canonical names written back. */
function checkSource(query: Query | Subquery, context: GuardContext): Refusal | undefined {
  if ('relationshipName' in query) {
    if (!IDENTIFIER.test(query.relationshipName)) {
      return refuse('invalid_identifier', `'${query.relationshipName}' is not a valid relationship name.`);
    }
    if (context.allowedChildRelationships) {
      const canonical = context.allowedChildRelationships.get(query.relationshipName.toLowerCase());
      if (!canonical) {
        return refuse(
          'relationship_not_allowed',
          `Child relationship '${query.relationshipName}' is not available. Allowed: ${[...context.allowedChildRelationships.values()].join(', ')}.`,
        );
      }
      query.relationshipName = canonical;
    }
  } else {
    const name = query.sObject ?? '';
    const canonical = context.allowedObjects.get(name.toLowerCase());
    if (!canonical) {
      return refuse(
        'object_not_allowed',
        `Object '${name}' cannot be queried here. Allowed objects: ${[...context.allowedObjects.values()].join(', ')}.`,
      );
    }
    query.sObject = canonical;
  }
  if (query.sObjectAlias !== undefined && !IDENTIFIER.test(query.sObjectAlias)) {
    return refuse('invalid_identifier', `'${query.sObjectAlias}' is not a valid alias.`);
  }
  return undefined;
}

function checkClauses(query: Query | Subquery, level: Level, context: GuardContext): Refusal | undefined {
  for (const field of query.fields ?? []) {
    const problem = checkField(field, level, context);
    if (problem) return problem;
  }
  if (query.where) {
    const problem = checkCondition(query.where, context);
    if (problem) return problem;
  }
  if (query.having) {
    const problem = checkCondition(query.having, context);
    if (problem) return problem;
  }
  for (const group of asArray(query.groupBy)) {
    const problem = 'fn' in group ? checkFunction(group.fn) : checkPath(group.field);
    if (problem) return problem;
  }
  for (const order of asArray<OrderByClause>(query.orderBy)) {
    const problem = 'fn' in order ? checkFunction(order.fn) : checkPath(order.field);
    if (problem) return problem;
  }
  if (query.offset !== undefined && query.offset > MAX_SOQL_OFFSET) {
    return refuse(
      'offset_too_large',
      `OFFSET ${query.offset} is above the maximum of ${MAX_SOQL_OFFSET}. Narrow the filter (for example by date or name) instead.`,
    );
  }
  return undefined;
}

function checkField(field: FieldType, level: Level, context: GuardContext): Refusal | undefined {
  switch (field.type) {
    case 'Field':
      return checkPath(field.field) ?? checkAlias(field.alias);
    case 'FieldRelationship':
      return checkPath([...field.relationships, field.field].join('.'));
    case 'FieldFunctionExpression':
      return checkFunction(field) ?? checkAlias(field.alias);
    case 'FieldSubquery':
      if (level !== 'top') {
        return refuse('unsupported_clause', 'Child subqueries can only appear in the outer SELECT list.');
      }
      return checkQuery(field.subquery, 'child', context);
    case 'FieldTypeof':
      return refuse(
        'unsupported_clause',
        `TYPEOF is not supported. Select polymorphic fields by path instead, e.g. ${field.field}.Name.`,
      );
    default:
      return refuse('unsupported_clause', 'That SELECT item is not supported.');
  }
}

function checkAlias(alias: string | undefined): Refusal | undefined {
  return alias === undefined || IDENTIFIER.test(alias)
    ? undefined
    : refuse('invalid_identifier', `'${alias}' is not a valid alias.`);
}

function checkPath(path: string): Refusal | undefined {
  return IDENTIFIER_PATH.test(path)
    ? undefined
    : refuse('invalid_identifier', `'${path}' is not a valid field name or path.`);
}

function checkFunction(fn: FunctionExp): Refusal | undefined {
  const name = fn.functionName ?? '';
  if (!ALLOWED_FUNCTIONS.has(name.toUpperCase())) {
    return refuse('unsupported_clause', `Function '${name}' is not supported.`);
  }
  for (const parameter of fn.parameters ?? []) {
    if (typeof parameter !== 'string') {
      const problem = checkFunction(parameter);
      if (problem) return problem;
    } else if (name.toUpperCase() === 'FIELDS') {
      if (!FIELDS_PARAMETERS.has(parameter.toUpperCase())) {
        return refuse('invalid_identifier', 'FIELDS() takes ALL, STANDARD or CUSTOM.');
      }
    } else if (!IDENTIFIER_PATH.test(parameter) && !FUNCTION_VALUE_PARAMETER.test(parameter)) {
      return refuse('invalid_identifier', `'${parameter}' is not a valid argument of ${name}().`);
    }
  }
  return undefined;
}

function checkCondition(clause: WhereClause | HavingClause, context: GuardContext): Refusal | undefined {
  const left = clause.left as ConditionWithValueQuery | null;
  if (left && ('field' in left || 'fn' in left)) {
    if ('fn' in left) {
      const problem = checkFunction(left.fn);
      if (problem) return problem;
    } else {
      const problem = checkPath(left.field);
      if (problem) return problem;
    }
    if ('valueQuery' in left && left.valueQuery) {
      const problem = checkQuery(left.valueQuery as Query, 'semi', context);
      if (problem) return problem;
    } else if ('value' in left) {
      const problem = checkLiterals(left.value, left.literalType);
      if (problem) return problem;
    }
  }
  if ('right' in clause && clause.right) return checkCondition(clause.right, context);
  return undefined;
}

function checkLiterals(value: string | string[], literalType: LiteralType | LiteralType[] | undefined) {
  const values = Array.isArray(value) ? value : [value];
  for (const [index, literal] of values.entries()) {
    const type = Array.isArray(literalType) ? literalType[index] : literalType;
    if (type === 'APEX_BIND_VARIABLE') {
      return refuse(
        'unsupported_clause',
        'Bind variables (:name) are not supported: write the value itself.',
      );
    }
    const pattern = type ? LITERAL_PATTERNS[type] : undefined;
    if (!pattern || typeof literal !== 'string' || !pattern.test(literal)) {
      const shown = String(literal).length > 80 ? `${String(literal).slice(0, 80)}…` : String(literal);
      return refuse(
        'invalid_literal',
        type === 'STRING'
          ? `The string ${shown} has an invalid escape. Inside quotes only \\n \\r \\t \\b \\f \\" \\' \\\\ (and \\% \\_ in LIKE) are allowed.`
          : `The value ${shown} is not a valid literal.`,
      );
    }
  }
  return undefined;
}

function asArray<Item>(value: Item | Item[] | undefined): Item[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function clampLimit(limit: number | undefined, defaultLimit: number, maxLimit: number): number {
  if (limit === undefined || Number.isNaN(limit) || limit < 0) return defaultLimit;
  // Above the cap, however large (LIMIT 99999999999999999999999 parses as 1e23), means the cap.
  return Math.min(Math.floor(limit), maxLimit);
}

export function applyTopLimit(
  query: Query,
  context: GuardContext,
): { limit: number | null; shape: SoqlResultShape } {
  const fields = query.fields ?? [];
  const aggregate = fields.some((field) => field.type === 'FieldFunctionExpression' && field.isAggregateFn);
  const grouped = asArray(query.groupBy).length > 0;
  const countOnly =
    fields.length === 1 &&
    fields[0].type === 'FieldFunctionExpression' &&
    fields[0].functionName.toUpperCase() === 'COUNT' &&
    fields[0].parameters.length === 0;
  if (countOnly && !grouped) {
    // A LIMIT would cap the count itself, so none is added; one the model wrote is kept unless absurd.
    if (query.limit !== undefined && !Number.isSafeInteger(query.limit)) delete query.limit;
    return { limit: query.limit ?? null, shape: 'count' };
  }
  if (aggregate && !grouped) {
    return { limit: query.limit ?? null, shape: 'aggregate' };
  }
  query.limit = clampLimit(query.limit, context.defaultLimit, context.maxLimit);
  return { limit: query.limit, shape: grouped ? 'grouped' : 'records' };
}
