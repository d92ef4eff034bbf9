/**
 * Escaping for the few places where the agent's tools put a value into Salesforce query text:
 * SOQL string literals and SOSL search terms. Names (objects, fields) are never escaped — they are
 * validated against a strict pattern instead, because no escape makes an arbitrary name safe.
 */

/**
 * A value for inside a SOQL string literal (`'…'`). Salesforce's escapes: `\\ \' \" \n \r \t \b \f`.
 * Backslash goes first so the backslashes added for the others are not doubled. Any other
 * character, control characters included, stays as it is: none of them can end the literal.
 */
export function escapeSoqlString(value: string): string {
  let escaped = '';
  for (const character of value) {
    escaped += SOQL_ESCAPES[character] ?? character;
  }
  return escaped;
}

const SOQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** As escapeSoqlString, and `%` / `_` also lose their wildcard meaning (for a LIKE pattern's literal part). */
export function escapeSoqlLikeValue(value: string): string {
  return escapeSoqlString(value).replace(/[%_]/g, (wildcard) => `\\${wildcard}`);
}

/** SOSL's reserved characters: each is escaped with a backslash inside `FIND {…}`. */
export const SOSL_RESERVED_CHARACTERS = [
  '?',
  '&',
  '|',
  '!',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '^',
  '~',
  '*',
  ':',
  '\\',
  '"',
  "'",
  '+',
  '-',
] as const;

const SOSL_RESERVED = new Set<string>(SOSL_RESERVED_CHARACTERS);

/**
 * A search term for inside `FIND {…}`: every reserved character backslash-escaped (so `*` and `?`
 * are literal, not wildcards, and `}` cannot close the braces), and control characters and runs of
 * whitespace turned into single spaces. The words AND, OR and AND NOT keep their meaning: they are
 * operators of the search expression and cannot leave the braces.
 */
export function escapeSoslTerm(value: string): string {
  let escaped = '';
  for (const character of normalizeSearchWhitespace(value)) {
    escaped += SOSL_RESERVED.has(character) ? `\\${character}` : character;
  }
  return escaped;
}

function normalizeSearchWhitespace(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
  return value.replace(/[\s\u0000-\u001F\u007F]+/g, ' ').trim();
}

export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(__c)?$/;

/** An object or field name we are willing to put into query text (a field may be a dotted path of such names). */
export function isValidObjectName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 80 && NAME_PATTERN.test(name);
}

export function isValidFieldPath(path: unknown): path is string {
  return (
    typeof path === 'string' &&
    path.length <= 255 &&
    path.split('.').every((segment) => NAME_PATTERN.test(segment))
  );
}

export const MIN_SEARCH_TERM_LENGTH = 2;
export const MAX_SEARCH_TERM_LENGTH = 500;
export const MAX_SEARCH_LIMIT = 200;

export type SoslFilterValue = string | number | boolean | null;

/** One condition of a RETURNING object's WHERE; several are ANDed. Values are escaped, never spliced. */
export interface SoslFilter {
  field: string;
  operator: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';
  value: SoslFilterValue;
}

export interface SoslObjectSpec {
  name: string;
  fields: readonly string[];
  where?: readonly SoslFilter[];
  limit: number;
}

export interface SearchSoslInput {
  term: string;
  objects: readonly SoslObjectSpec[];
  /** The overall LIMIT across all objects. */
  limit: number;
}

export type SearchSoslErrorCode =
  | 'term_too_short'
  | 'term_too_long'
  | 'no_objects'
  | 'invalid_name'
  | 'invalid_limit'
  | 'invalid_filter';

export type SearchSoslResult =
  | { ok: true; sosl: string; term: string }
  | { ok: false; code: SearchSoslErrorCode; message: string };

const FILTER_OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>=', 'LIKE']);

/**
 * Builds `FIND {term} IN ALL FIELDS RETURNING Obj(fields WHERE … LIMIT n), … LIMIT n` for the
 * `search_records` tool. A term Salesforce would reject for being too short (fewer than two
 * characters once trimmed) comes back as `term_too_short`, so the model is asked for more instead
 * of spending an API call on an INVALID_SEARCH.
 */
export function buildSearchSosl(input: SearchSoslInput): SearchSoslResult {
  const term = normalizeSearchWhitespace(typeof input.term === 'string' ? input.term : '');
  if ([...term].length < MIN_SEARCH_TERM_LENGTH) {
    return {
      ok: false,
      code: 'term_too_short',
      message: `The search term must have at least ${MIN_SEARCH_TERM_LENGTH} characters. Give a longer name, email or phrase.`,
    };
  }
  if (term.length > MAX_SEARCH_TERM_LENGTH) {
    return {
      ok: false,
      code: 'term_too_long',
      message: `The search term is longer than ${MAX_SEARCH_TERM_LENGTH} characters. Search for a shorter phrase.`,
    };
  }
  if (input.objects.length === 0) {
    return { ok: false, code: 'no_objects', message: 'Name at least one object to search.' };
  }
  if (!isValidLimit(input.limit)) {
    return {
      ok: false,
      code: 'invalid_limit',
      message: `The limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}.`,
    };
  }

  const returning: string[] = [];
  for (const object of input.objects) {
    if (!isValidObjectName(object.name)) {
      return {
        ok: false,
        code: 'invalid_name',
        message: `'${String(object.name)}' is not a valid object name.`,
      };
    }
    if (object.fields.length === 0) {
      return {
        ok: false,
        code: 'invalid_name',
        message: `Name at least one field to return for ${object.name}.`,
      };
    }
    const badField = object.fields.find((field) => !isValidFieldPath(field));
    if (badField !== undefined) {
      return { ok: false, code: 'invalid_name', message: `'${String(badField)}' is not a valid field name.` };
    }
    if (!isValidLimit(object.limit)) {
      return {
        ok: false,
        code: 'invalid_limit',
        message: `The limit for ${object.name} must be a whole number from 1 to ${MAX_SEARCH_LIMIT}.`,
      };
    }
    const conditions: string[] = [];
    for (const filter of object.where ?? []) {
      const condition = filterText(filter);
      if (!condition.ok) return condition;
      conditions.push(condition.text);
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    returning.push(`${object.name}(${object.fields.join(', ')}${where} LIMIT ${object.limit})`);
  }
  return {
    ok: true,
    sosl: `FIND {${escapeSoslTerm(term)}} IN ALL FIELDS RETURNING ${returning.join(', ')} LIMIT ${input.limit}`,
    term,
  };
}

function isValidLimit(limit: unknown): limit is number {
  return typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_SEARCH_LIMIT;
}

function filterText(
  filter: SoslFilter,
): { ok: true; text: string } | { ok: false; code: SearchSoslErrorCode; message: string } {
  if (!isValidFieldPath(filter.field)) {
    return {
      ok: false,
      code: 'invalid_name',
      message: `'${String(filter.field)}' is not a valid field name.`,
    };
  }
  if (!FILTER_OPERATORS.has(filter.operator)) {
    return {
      ok: false,
      code: 'invalid_filter',
      message: `Operator '${String(filter.operator)}' is not supported.`,
    };
  }
  const value = filter.value;
  let literal: string;
  if (value === null) literal = 'null';
  else if (typeof value === 'boolean') literal = value ? 'true' : 'false';
  else if (typeof value === 'number' && Number.isFinite(value) && !/e/i.test(String(value)))
    literal = String(value);
  else if (typeof value === 'string') literal = `'${escapeSoqlString(value)}'`;
  else
    return { ok: false, code: 'invalid_filter', message: `The value for ${filter.field} is not supported.` };
  if (filter.operator === 'LIKE' && typeof value !== 'string') {
    return { ok: false, code: 'invalid_filter', message: 'LIKE needs a text value.' };
  }
  return { ok: true, text: `${filter.field} ${filter.operator} ${literal}` };
}
