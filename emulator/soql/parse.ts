import { createRequire } from 'node:module';
import type SoqlParser from 'soql-parser-js';
import type { Query } from 'soql-parser-js';
import type { SalesforceApiError } from '../core/errors.ts';
import { locate, queryError } from './errors.ts';

/** A small least-recently-used map: the same few query texts are parsed and planned again and again. */
export class LruCache<Value> {
  readonly #capacity: number;
  readonly #entries = new Map<string, Value>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: string): Value | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Re-inserting moves the key to the young end of the map's insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Value): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

const parsed = new LruCache<Query>(500);

/**
 * soql-parser-js, loaded on the first query: it builds its grammar when it loads (about 170 ms of
 * CPU), which every `forcefield start` in demo mode paid before it could answer anything.
 */
let loadedParser: typeof SoqlParser | undefined;
function soqlParser(): typeof SoqlParser {
  loadedParser ??= createRequire(import.meta.url)('soql-parser-js') as typeof SoqlParser;
  return loadedParser;
}

/**
 * Parses SOQL with soql-parser-js and turns its (chevrotain) errors into Salesforce's
 * MALFORMED_QUERY messages. Parse trees are cached by query text; callers must not mutate them.
 */
export function parseSoql(soql: string): Query {
  const cached = parsed.get(soql);
  if (cached) return cached;
  let query: Query;
  try {
    query = soqlParser().parseQuery(soql);
  } catch (error) {
    throw translateParseError(soql, error);
  }
  parsed.set(soql, query);
  return query;
}

function translateParseError(soql: string, error: unknown): SalesforceApiError {
  const message = error instanceof Error ? error.message : String(error);
  const lexing = /unexpected character: ->([\s\S])<- at offset: (\d+)/.exec(message);
  if (lexing) {
    const offset = Number(lexing[2]);
    const character = lexing[1] === "'" ? '<EOF>' : lexing[1];
    return queryError(
      'MALFORMED_QUERY',
      soql,
      offset,
      `line 1:${offset} no viable alternative at character '${character}'`,
    );
  }
  const found = /but found --> '([\s\S]*)' <--/.exec(message) ?? /but found: '([\s\S]*)'\s*$/.exec(message);
  const token = found?.[1] ?? '';
  if (token === '') {
    return queryError('MALFORMED_QUERY', soql, soql.trimEnd().length, "unexpected token: '<EOF>'");
  }
  return queryError('MALFORMED_QUERY', soql, locate(soql, token), `unexpected token: '${token}'`);
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  t: '\t',
  T: '\t',
  r: '\r',
  R: '\r',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/**
 * The value of a quoted SOQL string literal. With `keepLikeEscapes`, `\%` and `\_` stay escaped
 * so that the LIKE matcher can tell them from wildcards; elsewhere they mean a plain % or _.
 */
export function decodeStringLiteral(soql: string, raw: string, keepLikeEscapes = false): string {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  if (!body.includes('\\')) return body;
  let text = '';
  for (let index = 0; index < body.length; index++) {
    const character = body[index];
    if (character !== '\\') {
      text += character;
      continue;
    }
    const next = body[++index];
    if (next === '%' || next === '_') {
      text += keepLikeEscapes ? `\\${next}` : next;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(index + 1, index + 5))) {
      text += String.fromCharCode(Number.parseInt(body.slice(index + 1, index + 5), 16));
      index += 4;
    } else if (next !== undefined && next in ESCAPES) {
      text += ESCAPES[next];
    } else {
      throw queryError(
        'MALFORMED_QUERY',
        soql,
        locate(soql, raw),
        `Invalid string literal '${body}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
      );
    }
  }
  return text;
}
