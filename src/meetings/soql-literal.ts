import { escapeSoqlString } from '../salesforce/query-syntax.ts';

/** A quoted SOQL string literal, escaped by SOQL's rules: `O'Brien` → `'O\\'Brien'`. */
export function soqlLiteral(text: string): string {
  return `'${escapeSoqlString(text)}'`;
}
