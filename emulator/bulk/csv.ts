import { parse } from 'csv-parse/sync';

/** Bulk API 2.0's `columnDelimiter` values and the characters they stand for. */
export const COLUMN_DELIMITERS = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const;

export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export function lineBreak(lineEnding: LineEnding): string {
  return lineEnding === 'CRLF' ? '\r\n' : '\n';
}

/** Rows of CSV text (RFC 4180 quoting, a byte-order mark dropped), the header row first. */
export function parseCsv(text: string, delimiter: ColumnDelimiter): string[][] {
  return parse(text, {
    delimiter: COLUMN_DELIMITERS[delimiter],
    bom: true,
    relax_column_count: false,
    skip_empty_lines: true,
  }) as string[][];
}

/** One CSV line with every value quoted, as Salesforce writes its result files. */
export function csvLine(values: ReadonlyArray<string>, delimiter: ColumnDelimiter): string {
  const separator = COLUMN_DELIMITERS[delimiter];
  let line = '';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) line += separator;
    const value = values[index];
    line += `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
  }
  return line;
}
