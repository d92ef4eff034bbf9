/**
 * Record search for the send form: ONE SOSL request across the five linkable objects, returning the
 * fields a person needs to pick the right record, and the normalization of its answer into rows.
 */
import { escapeSoslTerm } from '../salesforce/query-syntax.ts';
import { type ReadableFields, type RecordRow, recordRow, selectableRowPaths } from './record-rows.ts';
import { isLinkableRecordType, type LinkableRecordType } from './record-types.ts';

/** The order results are listed in: the most specific follow-up places first. */
export const SEARCH_ORDER: readonly LinkableRecordType[] = [
  'Opportunity',
  'Contact',
  'Lead',
  'Account',
  'Case',
];

export const MIN_TERM_LENGTH = 2;
export const MAX_TERM_LENGTH = 200;
const DEFAULT_LIMIT_PER_OBJECT = 5;
const MAX_LIMIT_PER_OBJECT = 50;

export interface RecordSearchOptions {
  /** Rows per object (default 5, at most 50). */
  limitPerObject?: number;
  /**
   * The fields the connected user can read, per object (from describe). Objects absent from it are
   * not searched and unreadable fields not selected, because either would fail the whole search.
   */
  readable?: ReadableFields;
}

export type RecordSearchPlan =
  | { ok: true; sosl: string; objects: LinkableRecordType[] }
  | { ok: false; code: 'term_too_short' | 'term_too_long' | 'nothing_searchable'; message: string };

/** SOSL reads these words as operators unless they are quoted. */
const OPERATOR_WORDS = new Set(['and', 'or', 'not']);

/**
 * The search expression for what a person typed: every word is searched literally (reserved
 * characters escaped, operator words quoted), all words must match, and the last word also
 * matches as a prefix, because people search while they type ("glob" finds "Globex").
 */
export function soslSearchExpression(term: string): string {
  const words = term.trim().split(/\s+/u);
  return words
    .map((word, index) => {
      if (OPERATOR_WORDS.has(word.toLowerCase())) return `"${word}"`;
      const escaped = escapeSoslTerm(word);
      const last = index === words.length - 1;
      return last && [...word].length >= MIN_TERM_LENGTH ? `${escaped}*` : escaped;
    })
    .join(' ');
}

export function buildRecordSearch(term: string, options: RecordSearchOptions = {}): RecordSearchPlan {
  const trimmed = term.trim().replace(/\s+/gu, ' ');
  const length = [...trimmed].length;
  if (length < MIN_TERM_LENGTH) {
    return {
      ok: false,
      code: 'term_too_short',
      message: `Type at least ${MIN_TERM_LENGTH} characters to search Salesforce.`,
    };
  }
  if (length > MAX_TERM_LENGTH) {
    return {
      ok: false,
      code: 'term_too_long',
      message: `Search for at most ${MAX_TERM_LENGTH} characters.`,
    };
  }
  const limit = Math.min(
    Math.max(Math.trunc(options.limitPerObject ?? DEFAULT_LIMIT_PER_OBJECT), 1),
    MAX_LIMIT_PER_OBJECT,
  );
  const returning: string[] = [];
  const objects: LinkableRecordType[] = [];
  for (const type of SEARCH_ORDER) {
    if (options.readable && !options.readable[type]) continue;
    const fields = ['Id', ...selectableRowPaths(type, options.readable)];
    // A converted lead can no longer hold activities, so it is never a place to send to.
    const where = type === 'Lead' ? ' WHERE IsConverted = false' : '';
    returning.push(`${type}(${fields.join(', ')}${where} LIMIT ${limit})`);
    objects.push(type);
  }
  if (returning.length === 0) {
    return {
      ok: false,
      code: 'nothing_searchable',
      message: 'Your Salesforce user cannot read any of Lead, Account, Contact, Opportunity or Case.',
    };
  }
  const sosl = `FIND {${soslSearchExpression(trimmed)}} IN ALL FIELDS RETURNING ${returning.join(', ')}`;
  return { ok: true, sosl, objects };
}

/**
 * Salesforce's `searchRecords` (each with `attributes.type`) as uniform rows, in the order
 * Salesforce returned them; records of other objects are ignored.
 */
export function normalizeSearchResults(searchRecords: readonly unknown[]): RecordRow[] {
  const rows: RecordRow[] = [];
  for (const entry of searchRecords) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const attributes = record.attributes as { type?: unknown } | undefined;
    const type = attributes?.type;
    if (!isLinkableRecordType(type) || typeof record.Id !== 'string') continue;
    rows.push(recordRow(type, record));
  }
  return rows;
}
