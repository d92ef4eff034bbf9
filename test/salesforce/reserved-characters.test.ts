import { describe, expect, it } from 'vitest';
import {
  escapeSoqlString,
  escapeSoslTerm,
  SOSL_RESERVED_CHARACTERS,
} from '../../src/salesforce/query-syntax.ts';

/**
 * The reserved characters as Salesforce documents them, written out here — not read from the
 * exported constant, so a character dropped from (or added to) the code fails this test.
 * SOSL (FIND clause): ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -
 * SOQL string literals: \ and ' must be escaped with a backslash.
 */
const SOSL_DOCUMENTED = [
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
];
const SOQL_LITERAL_DOCUMENTED = ['\\', "'"];

describe("SOSL reserved characters, against Salesforce's documented list", () => {
  it.each(SOSL_DOCUMENTED.map((character) => [character]))('escapes %s with a backslash', (character) => {
    expect(escapeSoslTerm(`a${character}b`)).toBe(`a\\${character}b`);
  });

  it('reserves exactly the documented characters, no more', () => {
    expect([...SOSL_RESERVED_CHARACTERS].sort()).toEqual([...SOSL_DOCUMENTED].sort());
    const printable = Array.from({ length: 126 - 33 + 1 }, (_, index) => String.fromCharCode(33 + index));
    for (const character of printable.filter((candidate) => !SOSL_DOCUMENTED.includes(candidate))) {
      expect(escapeSoslTerm(`a${character}b`)).toBe(`a${character}b`);
    }
  });
});

describe("SOQL string literals, against Salesforce's documented escapes", () => {
  it.each(SOQL_LITERAL_DOCUMENTED.map((character) => [character]))(
    'escapes %s with a backslash',
    (character) => {
      expect(escapeSoqlString(`a${character}b`)).toBe(`a\\${character}b`);
    },
  );

  it('a value made only of the documented characters cannot end the literal', () => {
    const hostile = "\\'\\\\''";
    const escaped = escapeSoqlString(hostile);
    // Every quote in the escaped text is preceded by an odd number of backslashes.
    for (const match of escaped.matchAll(/(\\*)'/g)) expect(match[1].length % 2).toBe(1);
  });
});
