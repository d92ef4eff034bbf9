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
import soqlParser from 'soql-parser-js';
import { canonicalJson } from './canonical-json.ts';

/**
 * The gate in front of the `query_records` tool. The model writes SOQL; this module decides whether
 * it may run and produces the text that actually runs.
 *
 * The text sent to Salesforce is always recomposed from the parse tree (soql-parser-js), never the
 * model's text with edits spliced in. After composing we parse the result again and require the
 * same tree, so what was checked is exactly what runs, string literals included.
 *
 * Decisions:
 * - One SELECT only. A trailing `;` is dropped (models add it out of habit); anything after it is a
 *   second statement and is refused. SOQL has no comments, so `--`, `//` and `/*` are refused.
 * - `FOR UPDATE` locks rows, `FOR VIEW` / `FOR REFERENCE` update the user's recently-viewed data,
 *   `UPDATE TRACKING` / `UPDATE VIEWSTAT` write statistics: all are side effects, all refused.
 * - `ALL ROWS` is Apex-only syntax (deleted rows come from the queryAll endpoint, which this tool
 *   does not use: deleted records are not the agent's business), so it is refused.
 * - `WITH SYSTEM_MODE` asks to bypass the user's permissions: refused, even though the REST API
 *   would run the query in user mode anyway — the intent is not one we serve. `WITH USER_MODE` and
 *   `WITH SECURITY_ENFORCED` only narrow access and are kept.
 * - `TYPEOF` is refused: its WHEN branches name objects outside the allow-list, and polymorphic
 *   paths (`What.Name`, `Who.Name`) cover what the agent needs.
 * - Objects after FROM (and in semi-join subqueries) must be in the caller's allow-list; matching
 *   is case-insensitive like SOQL and the canonical spelling is written back. Child subqueries are
 *   named by relationship; an optional allow-list applies to them.
 * - LIMIT: added when missing, capped when larger; child subqueries get their own (smaller) cap.
 *   `SELECT COUNT() …` returns a number, not rows, and a LIMIT would falsify it, so none is added.
 *   Aggregates without GROUP BY return one row and Salesforce refuses a LIMIT on them.
 * - OFFSET above 2000 is refused (Salesforce's own maximum), as are literals that Salesforce would
 *   read differently from the parser (illegal escapes) and invisible or control characters, which
 *   could make the query shown to the person differ from the query that runs.
 */

export const DEFAULT_MAX_QUERY_LENGTH = 20_000;
export const MAX_SOQL_OFFSET = 2000;

export type SoqlGuardErrorCode =
  | 'empty'
  | 'too_long'
  | 'invalid_characters'
  | 'not_select'
  | 'multiple_statements'
  | 'malformed_query'
  | 'side_effect_clause'
  | 'unsupported_clause'
  | 'object_not_allowed'
  | 'relationship_not_allowed'
  | 'offset_too_large'
  | 'invalid_literal'
  | 'invalid_identifier';

/** `records`: rows of the object; `grouped`: aggregate rows per group; `count`: `COUNT()`, no rows; `aggregate`: one aggregate row. */
export type SoqlResultShape = 'records' | 'grouped' | 'count' | 'aggregate';

export type SoqlGuardResult =
  | {
      ok: true;
      /** The text to send: recomposed from the checked parse tree. */
      soql: string;
      /** The FROM object, spelled as in the allow-list. */
      object: string;
      /** The LIMIT in `soql`, or null when the query shape cannot carry one (see the module notes). */
      limit: number | null;
      shape: SoqlResultShape;
    }
  | { ok: false; code: SoqlGuardErrorCode; message: string };

export interface SoqlGuardOptions {
  /** Objects that may follow FROM (top level and semi-joins). */
  allowedObjects: readonly string[];
  /** Child relationship names allowed in subqueries (`Contacts`, `Opportunities`…); any when omitted. */
  allowedChildRelationships?: readonly string[];
  maxLimit?: number;
  defaultLimit?: number;
  /** Cap and default for child subqueries: every parent row can carry that many children. */
  maxChildLimit?: number;
  defaultChildLimit?: number;
  maxLength?: number;
}

type Refusal = { ok: false; code: SoqlGuardErrorCode; message: string };

const refuse = (code: SoqlGuardErrorCode, message: string): Refusal => ({ ok: false, code, message });

const IDENTIFIER_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * C0 controls other than tab/newline/carriage return, DEL, zero-width and bidirectional controls,
 * the byte-order mark: nothing a real query needs, and each can hide text from the person reading it.
 */
export function hasInvisibleOrControlCharacters(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
    if (code === 0x7f || code === 0xfeff) return true;
    if ((code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e)) return true;
    if ((code >= 0x2060 && code <= 0x2064) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}

const WRITE_KEYWORDS =
  /^(insert|update|delete|upsert|merge|undelete|create|drop|alter|truncate|grant|exec|execute|call)\b/i;

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

interface Context {
  allowedObjects: Map<string, string>;
  allowedChildRelationships: Map<string, string> | undefined;
  maxLimit: number;
  defaultLimit: number;
  maxChildLimit: number;
  defaultChildLimit: number;
}

/**
 * Checks model-written SOQL for the `query_records` tool. Returns the text to run, or a refusal
 * whose message tells the model what to change.
 */
export function guardReadOnlySoql(text: unknown, options: SoqlGuardOptions): SoqlGuardResult {
  const maxLimit = options.maxLimit ?? 200;
  const context: Context = {
    allowedObjects: canonicalNames(options.allowedObjects),
    allowedChildRelationships: options.allowedChildRelationships
      ? canonicalNames(options.allowedChildRelationships)
      : undefined,
    maxLimit,
    defaultLimit: Math.min(options.defaultLimit ?? 50, maxLimit),
    maxChildLimit: options.maxChildLimit ?? 50,
    defaultChildLimit: Math.min(options.defaultChildLimit ?? 20, options.maxChildLimit ?? 50),
  };
  const maxLength = options.maxLength ?? DEFAULT_MAX_QUERY_LENGTH;

  if (typeof text !== 'string' || text.trim() === '') {
    return refuse('empty', 'The query is empty. Write one SOQL SELECT statement.');
  }
  if (text.length > maxLength) {
    return refuse(
      'too_long',
      `The query is ${text.length} characters long; the limit is ${maxLength}. Select fewer fields or simplify the filter.`,
    );
  }
  if (hasInvisibleOrControlCharacters(text)) {
    return refuse(
      'invalid_characters',
      'The query contains control or invisible characters (null bytes, zero-width or direction marks). Remove them.',
    );
  }

  const statement = stripTrailingSemicolon(text.trim());
  const outside = textOutsideStrings(statement);
  if (outside.includes(';')) {
    return refuse(
      'multiple_statements',
      'Only one statement is allowed: remove the `;` and what follows it.',
    );
  }
  if (/--|\/\/|\/\*/.test(outside)) {
    return refuse('malformed_query', 'SOQL has no comments: remove `--`, `//` or `/*`.');
  }
  if (WRITE_KEYWORDS.test(statement)) {
    return refuse(
      'not_select',
      'query_records only runs SELECT statements. To change data, use create_record, update_record or delete_record.',
    );
  }
  if (/^find\b/i.test(statement)) {
    return refuse(
      'not_select',
      'That is a SOSL search. Use search_records for text search, or write a SELECT.',
    );
  }
  if (!/^select\b/i.test(statement)) {
    return refuse('not_select', 'query_records only runs a single SOQL SELECT statement.');
  }
  if (/\ball\s+rows\b/i.test(outside)) {
    return refuse(
      'unsupported_clause',
      'ALL ROWS is Apex-only syntax and deleted records are not available here.',
    );
  }

  let parsed: Query;
  try {
    parsed = soqlParser.parseQuery(statement);
  } catch (error) {
    return refuse('malformed_query', `The query could not be parsed: ${parserReason(error)}`);
  }

  const query = structuredClone(parsed);
  const checked = checkQuery(query, 'top', context);
  if (checked) return checked;
  const { limit, shape } = applyTopLimit(query, context);

  const soql = soqlParser.composeQuery(query);
  // The round trip: the composed text must parse back to the tree we checked, or we do not run it.
  let reparsed: Query;
  try {
    reparsed = soqlParser.parseQuery(soql);
  } catch (error) {
    return refuse('malformed_query', `The query could not be normalized: ${parserReason(error)}`);
  }
  if (canonicalJson(reparsed) !== canonicalJson(query)) {
    return refuse(
      'malformed_query',
      'The query could not be normalized safely. Simplify it (plain fields, simple WHERE conditions).',
    );
  }
  return { ok: true, soql, object: query.sObject ?? '', limit, shape };
}

function canonicalNames(names: readonly string[]): Map<string, string> {
  return new Map(names.map((name) => [name.toLowerCase(), name]));
}

function stripTrailingSemicolon(statement: string): string {
  return statement.endsWith(';') && !textOutsideStrings(statement.slice(0, -1)).includes(';')
    ? statement.slice(0, -1).trimEnd()
    : statement;
}

/** The statement with the contents of string literals blanked, so keywords inside strings are not seen. */
function textOutsideStrings(statement: string): string {
  let outside = '';
  let inString = false;
  for (let index = 0; index < statement.length; index++) {
    const character = statement[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === "'") {
        inString = false;
        outside += "'";
      }
      continue;
    }
    if (character === "'") inString = true;
    outside += character;
  }
  return outside;
}

function parserReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? '';
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
}

function checkQuery(
  query: Query | Subquery,
  level: 'top' | 'child' | 'semi',
  context: Context,
): Refusal | undefined {
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
  if (level === 'child') {
    query.limit = clampLimit(query.limit, context.defaultChildLimit, context.maxChildLimit);
  }
  return undefined;
}

function checkField(
  field: FieldType,
  level: 'top' | 'child' | 'semi',
  context: Context,
): Refusal | undefined {
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

function checkCondition(clause: WhereClause | HavingClause, context: Context): Refusal | undefined {
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

function applyTopLimit(query: Query, context: Context): { limit: number | null; shape: SoqlResultShape } {
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

/**
 * The names a (guarded) query mentions outside its string literals: selected fields, filter and
 * sort fields, parent paths (`Account.Name`). Compaction keeps the system fields among them
 * (compact.ts `requestedFields`); `FIELDS(ALL)` names no field.
 */
export function namesInSoql(soql: string): string[] {
  const withoutLiterals = soql.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return [...new Set(withoutLiterals.match(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/g) ?? [])];
}
