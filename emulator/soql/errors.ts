import { SalesforceApiError } from '../core/errors.ts';

/**
 * Salesforce prefixes most query errors with the offending line of the query, a caret under the
 * culprit and its position ("\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\n…").
 * Clients print these messages verbatim, so the emulator reproduces the layout.
 */
export function queryError(
  errorCode: string,
  soql: string,
  offset: number | undefined,
  message: string,
): SalesforceApiError {
  if (offset === undefined || offset < 0) return new SalesforceApiError(400, errorCode, message);
  const before = soql.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', offset);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const row = before.split('\n').length;
  const column = offset - lineStart + 1;
  const caret = `${' '.repeat(column - 1)}^`;
  return new SalesforceApiError(
    400,
    errorCode,
    `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${message}`,
  );
}

const IDENTIFIER_CHARACTER = /[A-Za-z0-9_]/;

/**
 * Where `text` first appears in the query as a whole word outside string literals
 * (case-insensitive), at or after `from`; undefined when it does not. Used to place the caret.
 */
export function locate(soql: string, text: string, from = 0): number | undefined {
  if (text === '') return undefined;
  const lower = soql.toLowerCase();
  const needle = text.toLowerCase();
  const quoted = quotedRanges(soql);
  let position = lower.indexOf(needle, from);
  while (position !== -1) {
    const before = position > 0 ? soql[position - 1] : ' ';
    const after = soql[position + needle.length] ?? ' ';
    const wholeWord =
      !IDENTIFIER_CHARACTER.test(needle[0]) ||
      (!IDENTIFIER_CHARACTER.test(before) && before !== '.' && !IDENTIFIER_CHARACTER.test(after));
    const insideString = quoted.some(([start, end]) => position > start && position < end);
    if (wholeWord && (!insideString || needle.startsWith("'"))) return position;
    position = lower.indexOf(needle, position + 1);
  }
  return undefined;
}

/** [start, end] offsets of the quotes of each string literal (backslash escapes honoured). */
function quotedRanges(soql: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = -1;
  for (let index = 0; index < soql.length; index++) {
    const character = soql[index];
    if (start >= 0 && character === '\\') {
      index++;
    } else if (character === "'") {
      if (start < 0) start = index;
      else {
        ranges.push([start, index]);
        start = -1;
      }
    }
  }
  if (start >= 0) ranges.push([start, soql.length]);
  return ranges;
}

const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_RELATIONSHIP_HINT =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_OBJECT_HINT =
  "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

export function noSuchColumn(
  soql: string,
  text: string,
  fieldName: string,
  entity: string,
): SalesforceApiError {
  return queryError(
    'INVALID_FIELD',
    soql,
    locate(soql, text),
    `No such column '${fieldName}' on entity '${entity}'. ${CUSTOM_FIELD_HINT}`,
  );
}

export function unknownRelationship(soql: string, text: string, relationship: string): SalesforceApiError {
  return queryError(
    'INVALID_FIELD',
    soql,
    locate(soql, text),
    `Didn't understand relationship '${relationship}' in field path. ${CUSTOM_RELATIONSHIP_HINT}`,
  );
}

export function unknownChildRelationship(soql: string, relationship: string): SalesforceApiError {
  return queryError(
    'INVALID_TYPE',
    soql,
    locate(soql, relationship),
    `Didn't understand relationship '${relationship}' in FROM part of query call. ${CUSTOM_RELATIONSHIP_HINT}`,
  );
}

export function unsupportedObject(soql: string, objectName: string): SalesforceApiError {
  const match = new RegExp(`\\bFROM\\s+(${objectName.replace(/[^A-Za-z0-9_]/g, '')})\\b`, 'i').exec(soql);
  return queryError(
    'INVALID_TYPE',
    soql,
    match ? match.index + match[0].length - match[1].length : undefined,
    `sObject type '${objectName}' is not supported. ${CUSTOM_OBJECT_HINT}`,
  );
}

export function malformed(soql: string, text: string | undefined, message: string): SalesforceApiError {
  return queryError('MALFORMED_QUERY', soql, text === undefined ? undefined : locate(soql, text), message);
}
