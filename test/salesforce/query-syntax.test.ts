import { describe, expect, it } from 'vitest';
import {
  buildSearchSosl,
  escapeSoqlLikeValue,
  escapeSoqlString,
  escapeSoslTerm,
  SOSL_RESERVED_CHARACTERS,
} from '../../src/salesforce/query-syntax.ts';

describe('escapeSoqlString', () => {
  it('escapes backslash first, then quotes and control escapes', () => {
    expect(escapeSoqlString("O'Brien")).toBe("O\\'Brien");
    expect(escapeSoqlString('a\\b')).toBe('a\\\\b');
    expect(escapeSoqlString("\\'")).toBe("\\\\\\'");
    expect(escapeSoqlString('say "hi"')).toBe('say \\"hi\\"');
    expect(escapeSoqlString('1\n2\r3\t4\b5\f6')).toBe('1\\n2\\r3\\t4\\b5\\f6');
  });

  it('leaves other text, wildcards and non-ASCII alone', () => {
    expect(escapeSoqlString('100% Müller_日本')).toBe('100% Müller_日本');
  });

  it('cannot be used to close the literal', () => {
    const hostile = "x' OR Name != null OR Name = '";
    const literal = `'${escapeSoqlString(hostile)}'`;
    expect(literal).toBe("'x\\' OR Name != null OR Name = \\''");
  });

  it('escapes LIKE wildcards on request', () => {
    expect(escapeSoqlLikeValue("50%_off'")).toBe("50\\%\\_off\\'");
  });
});

describe('escapeSoslTerm', () => {
  it.each(SOSL_RESERVED_CHARACTERS.map((character) => [character]))('escapes %s', (character) => {
    expect(escapeSoslTerm(`a${character}b`)).toBe(`a\\${character}b`);
  });

  it('escapes every reserved character at once, backslash included exactly once', () => {
    const all = SOSL_RESERVED_CHARACTERS.join('');
    expect(escapeSoslTerm(all)).toBe(SOSL_RESERVED_CHARACTERS.map((character) => `\\${character}`).join(''));
  });

  it('cannot close the braces', () => {
    expect(escapeSoslTerm('x} RETURNING User(Username) //')).toBe('x\\} RETURNING User\\(Username\\) //');
  });

  it('collapses whitespace and control characters', () => {
    expect(escapeSoslTerm('  acme \n\t corp\u0000 ')).toBe('acme corp');
  });
});

describe('buildSearchSosl', () => {
  it('builds FIND … RETURNING with escaped term, fields, filters and limits', () => {
    const result = buildSearchSosl({
      term: 'Acme (EMEA)*',
      objects: [
        {
          name: 'Account',
          fields: ['Id', 'Name', 'Owner.Name'],
          where: [{ field: 'Industry', operator: '=', value: "O'Reilly" }],
          limit: 5,
        },
        { name: 'Contact', fields: ['Id', 'Name', 'Email'], limit: 5 },
        {
          name: 'Opportunity',
          fields: ['Id', 'Name'],
          where: [
            { field: 'IsClosed', operator: '=', value: false },
            { field: 'Amount', operator: '>', value: 1000 },
            { field: 'NextStep', operator: '!=', value: null },
          ],
          limit: 3,
        },
      ],
      limit: 20,
    });
    expect(result).toEqual({
      ok: true,
      term: 'Acme (EMEA)*',
      sosl:
        'FIND {Acme \\(EMEA\\)\\*} IN ALL FIELDS RETURNING ' +
        "Account(Id, Name, Owner.Name WHERE Industry = 'O\\'Reilly' LIMIT 5), " +
        'Contact(Id, Name, Email LIMIT 5), ' +
        'Opportunity(Id, Name WHERE IsClosed = false AND Amount > 1000 AND NextStep != null LIMIT 3) LIMIT 20',
    });
  });

  it.each([
    ['', 'empty'],
    ['a', 'one character'],
    ['  b  ', 'one character with spaces'],
    ['\n\t', 'whitespace only'],
  ])('answers term_too_short for %j (%s)', (term) => {
    expect(
      buildSearchSosl({ term, objects: [{ name: 'Account', fields: ['Id'], limit: 5 }], limit: 5 }),
    ).toMatchObject({ ok: false, code: 'term_too_short' });
  });

  it('refuses a term that is too long', () => {
    const result = buildSearchSosl({
      term: 'x'.repeat(501),
      objects: [{ name: 'Account', fields: ['Id'], limit: 5 }],
      limit: 5,
    });
    expect(result).toMatchObject({ ok: false, code: 'term_too_long' });
  });

  it.each([
    ['Account) , User(Username', 'object'],
    ['1Account', 'object'],
    ['', 'object'],
  ])('refuses the object name %j', (name) => {
    expect(
      buildSearchSosl({ term: 'acme', objects: [{ name, fields: ['Id'], limit: 5 }], limit: 5 }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_name',
    });
  });

  it.each([['Name WHERE Id != null'], ['Name)'], ['Account..Name'], ['Na-me'], ['']])(
    'refuses the field name %j',
    (field) => {
      expect(
        buildSearchSosl({
          term: 'acme',
          objects: [{ name: 'Account', fields: [field], limit: 5 }],
          limit: 5,
        }),
      ).toMatchObject({ ok: false, code: 'invalid_name' });
    },
  );

  it('accepts custom object and field names', () => {
    expect(
      buildSearchSosl({
        term: 'acme',
        objects: [{ name: 'Invoice__c', fields: ['Total__c'], limit: 1 }],
        limit: 1,
      }),
    ).toMatchObject({
      ok: true,
      sosl: 'FIND {acme} IN ALL FIELDS RETURNING Invoice__c(Total__c LIMIT 1) LIMIT 1',
    });
  });

  it('refuses bad limits, filters and an empty object list', () => {
    const account = { name: 'Account', fields: ['Id'], limit: 5 };
    expect(buildSearchSosl({ term: 'acme', objects: [], limit: 5 })).toMatchObject({ code: 'no_objects' });
    expect(buildSearchSosl({ term: 'acme', objects: [account], limit: 0 })).toMatchObject({
      code: 'invalid_limit',
    });
    expect(buildSearchSosl({ term: 'acme', objects: [account], limit: 1e9 })).toMatchObject({
      code: 'invalid_limit',
    });
    expect(buildSearchSosl({ term: 'acme', objects: [{ ...account, limit: 2.5 }], limit: 5 })).toMatchObject({
      code: 'invalid_limit',
    });
    expect(
      buildSearchSosl({
        term: 'acme',
        objects: [{ ...account, where: [{ field: 'Name', operator: 'OR 1=1' as '=', value: 'x' }] }],
        limit: 5,
      }),
    ).toMatchObject({ code: 'invalid_filter' });
    expect(
      buildSearchSosl({
        term: 'acme',
        objects: [
          { ...account, where: [{ field: 'Amount', operator: '>', value: Number.POSITIVE_INFINITY }] },
        ],
        limit: 5,
      }),
    ).toMatchObject({ code: 'invalid_filter' });
  });
});
