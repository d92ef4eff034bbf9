import { type Refusal, refuse } from './soql-guard-types.ts';

/** The text-level checks of the SOQL guard: what can be refused before parsing, and names in a query. */

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

/**
 * The checks made on the model's text before parsing: one non-empty statement of bounded length,
 * without hidden characters, comments, writes, SOSL or ALL ROWS. Answers the statement to parse.
 */
export function checkStatementText(text: unknown, maxLength: number): Refusal | { statement: string } {
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
  return { statement };
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

export function parserReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? '';
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
}

/**
 * The names a (guarded) query mentions outside its string literals: selected fields, filter and
 * sort fields, parent paths (`Account.Name`). Compaction keeps the system fields among them
 * (compact/compact-record.ts `requestedFields`); `FIELDS(ALL)` names no field.
 */
export function namesInSoql(soql: string): string[] {
  const withoutLiterals = soql.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return [...new Set(withoutLiterals.match(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/g) ?? [])];
}
