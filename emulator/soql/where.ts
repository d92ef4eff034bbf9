import type {
  Condition,
  ConditionWithValueQuery,
  LiteralType,
  NegationCondition,
  Query,
  ValueFunctionCondition,
  WhereClause,
} from 'soql-parser-js';
import { formatDateTime, parseDate, parseDateTime } from '../core/datetime.ts';
import { normalizeId } from '../core/ids.ts';
import type { Schema, SObjectType } from '../schema/schema.ts';
import type { RecordValue, StoredRecord } from '../schema/types.ts';
import type { RecordReader } from '../store/record-store.ts';
import { dateLiteralRange } from './date-literals.ts';
import { locate, malformed, queryError } from './errors.ts';
import { compileGetter, type Getter, type ResolvedPath, resolvePath, type ValueKind } from './fields.ts';
import { decodeStringLiteral } from './parse.ts';

/** What a predicate needs at run time: the data, "now" for date literals, and semi-join results. */
export interface ExecutionContext {
  /** Records as the querying user may read them: parents hidden by sharing read as absent. */
  store: RecordReader;
  now: number;
  /** The values a semi-join subquery selects (computed once per execution). */
  semiJoin(plan: unknown): ReadonlySet<string>;
}

export type Predicate = (record: StoredRecord, context: ExecutionContext) => boolean;

/**
 * A top-level AND conjunct the executor can answer from a hash index instead of a scan:
 * `Field = literal`, `Field IN (literals)` or `Field IN (SELECT …)` on an indexed field.
 */
export interface IndexProbe {
  fieldName: string;
  values: RecordValue[] | undefined;
  semiJoin: unknown;
}

export interface CompiledWhere {
  predicate: Predicate;
  probes: IndexProbe[];
}

export interface WhereEnvironment {
  schema: Schema;
  object: SObjectType;
  soql: string;
  alias: string | undefined;
  /** Plans a semi-join subquery (`Id IN (SELECT AccountId FROM Contact)`); returns an opaque plan. */
  compileSemiJoin(query: Query, fieldText: string): unknown;
}

// --- Rebuilding the condition tree -------------------------------------------------------------

/** A comparison (the parser's condition types also include the bare parenthesis of a NOT). */
type FieldCondition = Exclude<ConditionWithValueQuery, NegationCondition>;

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | FieldCondition;

type ConditionNode =
  | { type: 'AND' | 'OR'; children: ConditionNode[] }
  | { type: 'NOT'; child: ConditionNode }
  | { type: 'leaf'; condition: FieldCondition };

function isCondition(value: unknown): value is FieldCondition {
  return typeof value === 'object' && value !== null && ('field' in value || 'fn' in value);
}

/**
 * soql-parser-js returns WHERE as a right-leaning chain with parenthesis counts on the conditions
 * and NOT as a prefix link; flatten it back into tokens to rebuild the real tree.
 */
function tokenize(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let clause: WhereClause | undefined = where;
  while (clause) {
    const left = clause.left as ConditionWithValueQuery | NegationCondition | null;
    const operator = 'operator' in clause ? clause.operator : undefined;
    const right: WhereClause | undefined = 'right' in clause ? clause.right : undefined;
    if (!isCondition(left)) {
      for (let count = 0; count < (left?.openParen ?? 0); count++) tokens.push('(');
      tokens.push('NOT');
      clause = right;
      continue;
    }
    for (let count = 0; count < (left.openParen ?? 0); count++) tokens.push('(');
    tokens.push(left);
    for (let count = 0; count < (left.closeParen ?? 0); count++) tokens.push(')');
    if (operator) tokens.push(operator.toUpperCase() as 'AND' | 'OR' | 'NOT');
    clause = right;
  }
  return tokens;
}

function buildTree(tokens: Token[], soql: string): ConditionNode {
  let position = 0;
  const unexpected = (token: Token | undefined) => {
    const text = typeof token === 'string' ? token : undefined;
    return malformed(soql, text, `unexpected token: '${text ?? '<EOF>'}'`);
  };
  const expression = (): ConditionNode => {
    const children = [unary()];
    let operator: 'AND' | 'OR' | undefined;
    while (tokens[position] === 'AND' || tokens[position] === 'OR') {
      const next = tokens[position] as 'AND' | 'OR';
      // Salesforce requires parentheses whenever AND and OR are mixed.
      if (operator && next !== operator) throw unexpected(next);
      operator = next;
      position++;
      children.push(unary());
    }
    return operator ? { type: operator, children } : children[0];
  };
  const unary = (): ConditionNode => {
    const token = tokens[position++];
    if (token === '(') {
      const inner = expression();
      if (tokens[position++] !== ')') throw unexpected(tokens[position - 1]);
      return inner;
    }
    if (token === 'NOT') return { type: 'NOT', child: unary() };
    if (isCondition(token)) return { type: 'leaf', condition: token };
    throw unexpected(token);
  };
  const tree = expression();
  if (position < tokens.length) throw unexpected(tokens[position]);
  return tree;
}

// --- Operands ----------------------------------------------------------------------------------

type Comparable = string | number | boolean | null;

/** A right-hand value: a scalar already in the field's comparable form, or a date literal's range. */
type Operand =
  | { type: 'value'; value: Comparable }
  | { type: 'range'; literal: string; n: number }
  | { type: 'pattern'; test: (text: string) => boolean };

/** A record value in the form operands use: text lowercased (SOQL compares text case-insensitively). */
function comparableOf(kind: ValueKind, value: RecordValue): Comparable {
  if (value === null || value === undefined) return null;
  if (kind === 'text' || kind === 'multipicklist')
    return typeof value === 'string' ? value.toLowerCase() : String(value);
  return value;
}

const TYPE_NAMES: Record<ValueKind, string> = {
  text: 'string',
  id: 'id',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
  multipicklist: 'multipicklist',
  address: 'address',
};

function typeMismatch(env: WhereEnvironment, path: ResolvedPath, text: string, quoted: boolean) {
  const typeName = path.field?.type === 'int' ? 'int' : TYPE_NAMES[path.kind];
  const quotes = quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return queryError(
    'INVALID_FIELD',
    env.soql,
    locate(env.soql, text),
    `value of filter criterion for field '${path.name}' must be of type ${typeName} and ${quotes}`,
  );
}

function likeMatcher(pattern: string): (text: string) => boolean {
  // Fast paths for the common shapes: 'abc%', '%abc%', 'abc'.
  const plain = (part: string) => !/[%_\\]/.test(part);
  if (pattern.endsWith('%') && plain(pattern.slice(0, -1))) {
    const prefix = pattern.slice(0, -1);
    return (text) => text.startsWith(prefix);
  }
  if (
    pattern.length >= 2 &&
    pattern.startsWith('%') &&
    pattern.endsWith('%') &&
    plain(pattern.slice(1, -1))
  ) {
    const middle = pattern.slice(1, -1);
    return (text) => text.includes(middle);
  }
  if (plain(pattern)) return (text) => text === pattern;
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === '\\' && index + 1 < pattern.length) {
      source += escapeRegExp(pattern[++index]);
    } else if (character === '%') source += '.*';
    else if (character === '_') source += '.';
    else source += escapeRegExp(character);
  }
  const expression = new RegExp(`^${source}$`, 's');
  return (text) => expression.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function convertLiteral(
  env: WhereEnvironment,
  path: ResolvedPath,
  operator: string,
  raw: string,
  literalType: LiteralType,
  dateVariable: number | undefined,
): Operand {
  const { kind } = path;
  switch (literalType) {
    case 'NULL':
      return { type: 'value', value: null };
    case 'STRING': {
      if (kind !== 'text' && kind !== 'id' && kind !== 'multipicklist')
        throw typeMismatch(env, path, raw, false);
      if (operator === 'LIKE') {
        const pattern = decodeStringLiteral(env.soql, raw, true).toLowerCase();
        return { type: 'pattern', test: likeMatcher(pattern) };
      }
      const text = decodeStringLiteral(env.soql, raw);
      if (kind !== 'id') return { type: 'value', value: text.toLowerCase() };
      if (text === '') return { type: 'value', value: null };
      const id = normalizeId(text);
      if (!id)
        throw queryError(
          'INVALID_QUERY_FILTER_OPERATOR',
          env.soql,
          locate(env.soql, raw),
          `invalid ID field: ${text}`,
        );
      return { type: 'value', value: id };
    }
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      if (kind !== 'number') throw typeMismatch(env, path, raw, kind === 'text' || kind === 'id');
      return { type: 'value', value: Number(raw.replace(/^[A-Z]{3}/, '')) };
    case 'BOOLEAN':
      if (kind !== 'boolean') throw typeMismatch(env, path, raw, kind === 'text' || kind === 'id');
      return { type: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'DATE': {
      if (kind !== 'date') throw typeMismatch(env, path, raw, kind === 'text' || kind === 'id');
      if (parseDate(raw) === undefined) throw malformed(env.soql, raw, `unexpected token: '${raw}'`);
      return { type: 'value', value: raw };
    }
    case 'DATETIME': {
      if (kind !== 'datetime') throw typeMismatch(env, path, raw, kind === 'text' || kind === 'id');
      const epoch = parseDateTime(raw);
      if (epoch === undefined) throw malformed(env.soql, raw, `unexpected token: '${raw}'`);
      return { type: 'value', value: formatDateTime(epoch) };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      if (kind !== 'date' && kind !== 'datetime')
        throw typeMismatch(env, path, raw, kind === 'text' || kind === 'id');
      const literal = raw.split(':')[0].toUpperCase();
      const n = dateVariable ?? 0;
      if (!dateLiteralRange(literal, n, 0)) throw malformed(env.soql, raw, `unexpected token: '${raw}'`);
      return { type: 'range', literal, n };
    }
    default:
      throw malformed(env.soql, raw, `unexpected token: '${raw}'`);
  }
}

/** A date literal's bounds in the field's stored format, memoised per "now". */
function rangeResolver(kind: ValueKind, operand: { literal: string; n: number }) {
  let cachedNow = Number.NaN;
  let bounds: [string, string] = ['', ''];
  const format =
    kind === 'date' ? (epoch: number) => new Date(epoch).toISOString().slice(0, 10) : formatDateTime;
  return (now: number): [string, string] => {
    if (now !== cachedNow) {
      const range = dateLiteralRange(operand.literal, operand.n, now)!;
      bounds = [format(range.start), format(range.end)];
      cachedNow = now;
    }
    return bounds;
  };
}

function multipicklistValues(value: Comparable): Set<string> {
  return new Set(
    String(value ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  );
}

// --- Leaves ------------------------------------------------------------------------------------

interface CompiledLeaf {
  predicate: Predicate;
  probe: IndexProbe | undefined;
}

/** Date functions usable on the left of a comparison (CALENDAR_YEAR(CloseDate) = 2026). */
const DATE_FUNCTIONS: Record<string, { kind: ValueKind; apply: (value: string) => RecordValue }> = {
  CALENDAR_YEAR: { kind: 'number', apply: (value) => Number(value.slice(0, 4)) },
  CALENDAR_MONTH: { kind: 'number', apply: (value) => Number(value.slice(5, 7)) },
  CALENDAR_QUARTER: { kind: 'number', apply: (value) => Math.floor((Number(value.slice(5, 7)) - 1) / 3) + 1 },
  DAY_IN_MONTH: { kind: 'number', apply: (value) => Number(value.slice(8, 10)) },
  DAY_IN_WEEK: {
    kind: 'number',
    apply: (value) => new Date(`${value.slice(0, 10)}T00:00:00Z`).getUTCDay() + 1,
  },
  HOUR_IN_DAY: { kind: 'number', apply: (value) => (value.length > 10 ? Number(value.slice(11, 13)) : 0) },
  DAY_ONLY: { kind: 'date', apply: (value) => value.slice(0, 10) },
  FISCAL_YEAR: { kind: 'number', apply: (value) => Number(value.slice(0, 4)) },
  FISCAL_QUARTER: { kind: 'number', apply: (value) => Math.floor((Number(value.slice(5, 7)) - 1) / 3) + 1 },
  FISCAL_MONTH: { kind: 'number', apply: (value) => Number(value.slice(5, 7)) },
};

function resolveOperandSide(
  env: WhereEnvironment,
  condition: FieldCondition,
): { path: ResolvedPath; getter: Getter; text: string } {
  if ('fn' in condition) {
    const functionCondition: ValueFunctionCondition = condition;
    const name = (functionCondition.fn.functionName ?? '').toUpperCase();
    const parameter = functionCondition.fn.parameters?.[0];
    const dateFunction = DATE_FUNCTIONS[name];
    const text = functionCondition.fn.rawValue ?? name;
    if (!dateFunction || typeof parameter !== 'string') {
      throw malformed(env.soql, name, `unexpected token: '${name}'`);
    }
    const inner = resolvePath(env.schema, env.object, parameter, env.soql, env.alias);
    if (inner.kind !== 'date' && inner.kind !== 'datetime') {
      throw queryError(
        'INVALID_FIELD',
        env.soql,
        locate(env.soql, name),
        `Invalid field: '${inner.name}' is not a date or dateTime field`,
      );
    }
    const innerGetter = compileGetter(inner);
    const getter: Getter = (record, store) => {
      const value = innerGetter(record, store);
      return typeof value === 'string' ? dateFunction.apply(value) : null;
    };
    return { path: { ...inner, field: undefined, name: text, kind: dateFunction.kind }, getter, text };
  }
  const path = resolvePath(env.schema, env.object, condition.field, env.soql, env.alias);
  if (path.field && !path.field.filterable) {
    throw queryError(
      'INVALID_FIELD',
      env.soql,
      locate(env.soql, condition.field),
      `field '${path.name}' can not be filtered in a query call`,
    );
  }
  return { path, getter: compileGetter(path), text: condition.field };
}

function compileLeaf(env: WhereEnvironment, condition: FieldCondition): CompiledLeaf {
  const operator = condition.operator.toUpperCase();
  const { path, getter, text } = resolveOperandSide(env, condition);
  const { kind } = path;
  const plainField = path.hops.length === 0 && path.field !== undefined && !('fn' in condition);

  if ('valueQuery' in condition && condition.valueQuery) {
    if (operator !== 'IN' && operator !== 'NOT IN')
      throw malformed(env.soql, text, `unexpected token: '${operator}'`);
    if (kind !== 'id') {
      throw queryError(
        'INVALID_FIELD',
        env.soql,
        locate(env.soql, text),
        `Invalid semi join: the left operand '${path.name}' must be an Id or a reference field`,
      );
    }
    const plan = env.compileSemiJoin(condition.valueQuery, text);
    const negate = operator === 'NOT IN';
    const predicate: Predicate = (record, context) => {
      const value = getter(record, context.store);
      const found = typeof value === 'string' && context.semiJoin(plan).has(value);
      return negate ? !found : found;
    };
    const probe =
      !negate && plainField ? { fieldName: path.name, values: undefined, semiJoin: plan } : undefined;
    return { predicate, probe };
  }

  const valueCondition = condition as Condition & {
    value: string | string[];
    literalType?: LiteralType | LiteralType[];
  };
  const rawValues = Array.isArray(valueCondition.value) ? valueCondition.value : [valueCondition.value];
  const literalTypes = Array.isArray(valueCondition.literalType)
    ? valueCondition.literalType
    : rawValues.map(() => valueCondition.literalType as LiteralType);
  const dateVariables = 'dateLiteralVariable' in condition ? condition.dateLiteralVariable : undefined;
  const operands = rawValues.map((raw, index) =>
    convertLiteral(
      env,
      path,
      operator,
      raw,
      literalTypes[index] ?? literalTypes[0],
      Array.isArray(dateVariables) ? dateVariables[index] : dateVariables,
    ),
  );

  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    if (kind !== 'multipicklist') {
      throw queryError(
        'INVALID_QUERY_FILTER_OPERATOR',
        env.soql,
        locate(env.soql, text),
        'includes or excludes operator only valid on multipicklist field',
      );
    }
    const terms = operands.map((operand) =>
      multipicklistValues(operand.type === 'value' ? operand.value : null),
    );
    const excludes = operator === 'EXCLUDES';
    return {
      predicate: (record, context) => {
        const selected = multipicklistValues(comparableOf(kind, getter(record, context.store)));
        const matches = terms.some(
          (term) => term.size > 0 && [...term].every((value) => selected.has(value)),
        );
        return excludes ? !matches : matches;
      },
      probe: undefined,
    };
  }

  if (operator === 'LIKE') {
    const operand = operands[0];
    if (operand.type !== 'pattern') return { predicate: () => false, probe: undefined };
    const test = operand.test;
    return {
      predicate: (record, context) => {
        const value = getter(record, context.store);
        return value !== null && test(typeof value === 'string' ? value.toLowerCase() : String(value));
      },
      probe: undefined,
    };
  }

  const matchOne = compileComparison(
    kind,
    operator === 'IN' || operator === 'NOT IN' ? '=' : operator,
    operands,
  );
  const negate = operator === 'NOT IN';
  const predicate: Predicate = (record, context) => {
    const matched = matchOne(comparableOf(kind, getter(record, context.store)), context.now);
    return negate ? !matched : matched;
  };
  let probe: IndexProbe | undefined;
  if (
    plainField &&
    (operator === '=' || operator === 'IN') &&
    (kind === 'text' || kind === 'id') &&
    operands.every((operand) => operand.type === 'value' && operand.value !== null)
  ) {
    probe = {
      fieldName: path.name,
      values: operands.map((operand) => (operand as { value: Comparable }).value as RecordValue),
      semiJoin: undefined,
    };
  }
  return { predicate, probe };
}

/** Compares one record value against the operands (any operand matching, for IN). */
function compileComparison(
  kind: ValueKind,
  operator: string,
  operands: Operand[],
): (value: Comparable, now: number) => boolean {
  const tests = operands.map((operand) => {
    if (operand.type === 'range') {
      const bounds = rangeResolver(kind, operand);
      return (value: Comparable, now: number): boolean => {
        if (value === null) return operator === '!=' || operator === '<>';
        const [start, end] = bounds(now);
        const text = kind === 'date' ? String(value).slice(0, 10) : String(value);
        switch (operator) {
          case '=':
            return text >= start && text < end;
          case '!=':
          case '<>':
            return text < start || text >= end;
          case '<':
            return text < start;
          case '<=':
            return text < end;
          case '>':
            return text >= end;
          case '>=':
            return text >= start;
          default:
            return false;
        }
      };
    }
    const expected = operand.type === 'value' ? operand.value : null;
    if (
      kind === 'multipicklist' &&
      expected !== null &&
      (operator === '=' || operator === '!=' || operator === '<>')
    ) {
      const wanted = multipicklistValues(expected);
      const equal = (value: Comparable) => {
        const actual = multipicklistValues(value);
        return actual.size === wanted.size && [...wanted].every((part) => actual.has(part));
      };
      return operator === '=' ? equal : (value: Comparable) => !equal(value);
    }
    switch (operator) {
      case '=':
        return (value: Comparable) => value === expected;
      case '!=':
      case '<>':
        return (value: Comparable) => value !== expected;
      case '<':
        return (value: Comparable) => value !== null && expected !== null && value < expected;
      case '<=':
        return (value: Comparable) => value !== null && expected !== null && value <= expected;
      case '>':
        return (value: Comparable) => value !== null && expected !== null && value > expected;
      case '>=':
        return (value: Comparable) => value !== null && expected !== null && value >= expected;
      default:
        return () => false;
    }
  });
  if (tests.length === 1) return tests[0];
  return (value, now) => {
    for (const test of tests) if (test(value, now)) return true;
    return false;
  };
}

// --- Whole clause ------------------------------------------------------------------------------

function compileNode(
  env: WhereEnvironment,
  node: ConditionNode,
  probes: IndexProbe[] | undefined,
): Predicate {
  switch (node.type) {
    case 'leaf': {
      const leaf = compileLeaf(env, node.condition);
      if (probes && leaf.probe) probes.push(leaf.probe);
      return leaf.predicate;
    }
    case 'NOT': {
      const inner = compileNode(env, node.child, undefined);
      return (record, context) => !inner(record, context);
    }
    case 'AND': {
      // Only the top level's conjuncts may drive an index lookup: every one of them must hold.
      const children = node.children.map((child) => compileNode(env, child, probes));
      return (record, context) => {
        for (const child of children) if (!child(record, context)) return false;
        return true;
      };
    }
    case 'OR': {
      const children = node.children.map((child) => compileNode(env, child, undefined));
      return (record, context) => {
        for (const child of children) if (child(record, context)) return true;
        return false;
      };
    }
  }
}

export function compileWhere(env: WhereEnvironment, where: WhereClause): CompiledWhere {
  const tree = buildTree(tokenize(where), env.soql);
  const probes: IndexProbe[] = [];
  const predicate = compileNode(env, tree, probes);
  return { predicate, probes };
}
