/**
 * SOSL's reserved characters inside `FIND {…}`: each must be preceded by a backslash to be read
 * literally (Salesforce's "Escaping special characters" list, plus the backslash itself).
 */
export const SOSL_RESERVED_CHARACTERS: ReadonlySet<string> = new Set([
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
]);

/**
 * Escapes every reserved character so that arbitrary user text can be put between the braces of
 * a SOSL FIND clause and be searched for literally: `escapeSoslTerm("Moore & Sons")` →
 * `Moore \& Sons`. Whitespace is kept, so several words still mean "all of these words".
 */
export function escapeSoslTerm(text: string): string {
  let escaped = '';
  for (const character of text)
    escaped += SOSL_RESERVED_CHARACTERS.has(character) ? `\\${character}` : character;
  return escaped;
}
