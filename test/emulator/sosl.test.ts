import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import type { StoredRecord } from '../../emulator/schema/types.ts';
import { escapeSoslTerm } from '../../emulator/sosl/escape.ts';
import {
  parseSearchExpression,
  parseSosl,
  type SearchExpression,
  WILDCARD_ANY,
  WILDCARD_ONE,
} from '../../emulator/sosl/parse.ts';
import { searchIndexFor } from '../../emulator/sosl/search-index.ts';

let emulator: RunningEmulator;
let accessToken: string;
/** Fixture key (A1, C2…) → record id, and back. */
const ids = new Map<string, string>();
const keys = new Map<string, string>();

const PREFIXES: Record<string, string> = { Account: '001', Contact: '003', Lead: '00Q', Opportunity: '006' };

function insert(key: string, objectName: string, fields: StoredRecord): string {
  const org = emulator.org;
  const id = org.ids.next(PREFIXES[objectName]);
  org.store.insert(objectName, {
    Id: id,
    ...org.systemFields(org.adminUserId),
    OwnerId: org.adminUserId,
    ...fields,
  });
  ids.set(key, id);
  keys.set(id, key);
  return id;
}

function contact(key: string, firstName: string, lastName: string, fields: StoredRecord = {}): void {
  insert(key, 'Contact', {
    FirstName: firstName,
    LastName: lastName,
    Name: `${firstName} ${lastName}`,
    ...fields,
  });
}

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}/services/data/v66.0${path}`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  return { status: response.status, body: await response.json() };
}

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}/services/data/v66.0${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

type SearchRecord = { attributes: { type: string; url: string }; Id?: string; [field: string]: unknown };

function searchRecords(body: unknown): SearchRecord[] {
  return (body as { searchRecords: SearchRecord[] }).searchRecords;
}

function idOf(record: SearchRecord): string {
  return record.Id ?? record.attributes.url.split('/').pop()!;
}

/** The fixture keys of the records found, in response order (unknown records by id). */
function found(body: unknown): string[] {
  return searchRecords(body).map((record) => keys.get(idOf(record)) ?? idOf(record));
}

async function search(sosl: string): Promise<{ status: number; body: unknown }> {
  return get(`/search?q=${encodeURIComponent(sosl)}`);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none' });
  accessToken = emulator.org.tokens.issueAccessToken(emulator.org.adminUserId, 'forcefield-demo', [
    'api',
  ]).token;
  insert('A1', 'Account', {
    Name: 'Acme Corporation',
    Phone: '(415) 555-1234',
    Industry: 'Technology',
    Description: 'Makes rockets and anvils',
  });
  insert('A2', 'Account', { Name: 'Acme Widgets', Phone: '212-555-0000', Description: 'Widget maker' });
  insert('A3', 'Account', { Name: 'Globex', Description: 'Partner of Acme Corporation' });
  insert('A4', 'Account', { Name: 'Initech Systems', Description: 'right-side (up) & co* 50% off' });
  insert('A5', 'Account', { Name: 'Umbrella Corp', IsDeleted: true });
  contact('C1', 'John', 'Smith', { Email: 'john.smith@acme.com', Phone: '415-555-9876', Title: 'CTO' });
  contact('C2', 'Jane', 'Smythe', { Email: 'jane@globex.com', Phone: '+1 (212) 555-0101' });
  contact('C3', 'Smith', 'Johnson', { Email: 'sj@initech.com' });
  insert('L1', 'Lead', {
    FirstName: 'Joe',
    LastName: 'Smith',
    Name: 'Joe Smith',
    Company: 'Wayne Enterprises',
    Email: 'joe@smith.io',
  });
  insert('O1', 'Opportunity', {
    Name: 'Acme Rocket Deal',
    StageName: 'Prospecting',
    CloseDate: '2030-01-01',
  });
});

afterAll(async () => {
  await emulator?.stop();
});

describe('SOSL over REST', () => {
  const cases: Array<[string, string, string[]]> = [
    ['whole word', 'FIND {acme} RETURNING Account(Name)', ['A1', 'A2', 'A3']],
    ['no partial word match', 'FIND {acm} RETURNING Account', []],
    ['prefix wildcard', 'FIND {acm*} RETURNING Account', ['A1', 'A2', 'A3']],
    ['case-insensitive', 'FIND {ACME} RETURNING Account', ['A1', 'A2', 'A3']],
    ['single-character wildcard', 'FIND {sm?th} RETURNING Contact', ['C1', 'C3']],
    ['wildcard in the middle', 'FIND {sm*e} RETURNING Contact', ['C2']],
    ['phrase', 'FIND {"acme corporation"} RETURNING Account', ['A1', 'A3']],
    ['phrase word order matters', 'FIND {"corporation acme"} RETURNING Account', []],
    ['AND', 'FIND {acme AND widgets} RETURNING Account', ['A2']],
    ['adjacent words mean AND', 'FIND {acme widgets} RETURNING Account', ['A2']],
    ['OR, name matches ordered by name', 'FIND {globex OR widgets} RETURNING Account', ['A2', 'A3']],
    ['AND NOT', 'FIND {acme AND NOT widgets} RETURNING Account', ['A1', 'A3']],
    ['parentheses', 'FIND {(acme OR globex) AND NOT corporation} RETURNING Account', ['A2']],
    ['whole email address', 'FIND {john.smith@acme.com} IN EMAIL FIELDS RETURNING Contact(Name)', ['C1']],
    ['email domain', 'FIND {acme.com} IN EMAIL FIELDS RETURNING Contact', ['C1']],
    ['email part', 'FIND {smith} IN EMAIL FIELDS RETURNING Contact, Lead', ['C1', 'L1']],
    ['name fields', 'FIND {smith} IN NAME FIELDS RETURNING Contact(Name), Lead(Name)', ['C1', 'C3', 'L1']],
    ['name fields exclude others', 'FIND {rockets} IN NAME FIELDS RETURNING Account', []],
    [
      'phone digits without punctuation',
      'FIND {4155551234} IN PHONE FIELDS RETURNING Account, Contact',
      ['A1'],
    ],
    ['phone with escaped punctuation', 'FIND {555\\-9876} IN PHONE FIELDS RETURNING Contact', ['C1']],
    ['phone digit group', 'FIND {555} IN PHONE FIELDS RETURNING Account, Contact', ['A1', 'A2', 'C2', 'C1']],
    ['phone fields exclude others', 'FIND {rockets} IN PHONE FIELDS RETURNING Account', []],
    [
      'several objects with WHERE',
      "FIND {acme} RETURNING Account(Name, Industry WHERE Industry = 'Technology'), Contact(Name, Email)",
      ['A1', 'C1'],
    ],
    ['ORDER BY', 'FIND {acme} RETURNING Account(Name ORDER BY Name DESC)', ['A3', 'A2', 'A1']],
    ['object LIMIT', 'FIND {acme} RETURNING Account(Name LIMIT 2), Opportunity(Name)', ['A1', 'A2', 'O1']],
    ['object OFFSET', 'FIND {acme} RETURNING Account(Name LIMIT 1 OFFSET 1)', ['A2']],
    ['overall LIMIT', 'FIND {acme} RETURNING Account(Name), Opportunity(Name) LIMIT 2', ['A1', 'A2']],
    ['escaped hyphen', 'FIND {right\\-side} RETURNING Account', ['A4']],
    ['escaped parentheses', 'FIND {\\(up\\)} RETURNING Account', ['A4']],
    ['escaped asterisk is literal', 'FIND {co\\*} RETURNING Account', ['A4']],
    ['soft-deleted records are not found', 'FIND {umbrella} RETURNING Account', []],
    ['default RETURNING searches every object', 'FIND {globex}', ['A3', 'C2']],
    ['lower-case keywords', 'find {ACME} in name fields returning account(name) limit 5', ['A1', 'A2']],
    [
      'WITH and UPDATE clauses are accepted',
      'FIND {globex} RETURNING Account WITH SNIPPET(target_length=120) UPDATE TRACKING',
      ['A3'],
    ],
  ];

  it.each(cases)('%s: %s', async (_name, sosl, expected) => {
    const { status, body } = await search(sosl);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(found(body)).toEqual(expected);
  });

  it('returns the requested fields with attributes', async () => {
    const { body } = await search('FIND {john.smith@acme.com} RETURNING Contact(Name, Email)');
    const [record] = searchRecords(body);
    expect(record.attributes).toEqual({
      type: 'Contact',
      url: `/services/data/v66.0/sobjects/Contact/${ids.get('C1')}`,
    });
    expect(record.Name).toBe('John Smith');
    expect(record.Email).toBe('john.smith@acme.com');
  });

  it('returns Id only without a field list', async () => {
    const { body } = await search('FIND {globex}');
    for (const record of searchRecords(body))
      expect(Object.keys(record).sort()).toEqual(['Id', 'attributes']);
  });

  it('finds a record updated after the index was built under its new text only', async () => {
    expect(found((await search('FIND {widgets} RETURNING Account')).body)).toEqual(['A2']);
    emulator.org.store.update('Account', ids.get('A2')!, {
      Name: 'Hooli Gadgets',
      Description: 'Gadget maker',
    });
    try {
      expect(found((await search('FIND {hooli} RETURNING Account')).body)).toEqual(['A2']);
      expect(found((await search('FIND {widgets} RETURNING Account')).body)).toEqual([]);
    } finally {
      emulator.org.store.update('Account', ids.get('A2')!, {
        Name: 'Acme Widgets',
        Description: 'Widget maker',
      });
    }
  });

  it('finds new words by prefix right after an insert, and forgets replaced ones', async () => {
    expect(found((await search('FIND {zanzi*} RETURNING Account')).body)).toEqual([]);
    const id = insert('A7', 'Account', { Name: 'Zanzibar Trading' });
    expect(found((await search('FIND {zanzi*} RETURNING Account')).body)).toEqual(['A7']);
    emulator.org.store.update('Account', id, { Name: 'Zanzibar Shipping' });
    expect(found((await search('FIND {tradi*} RETURNING Account')).body)).toEqual([]);
    expect(found((await search('FIND {zanzibar ship*} RETURNING Account')).body)).toEqual(['A7']);
    emulator.org.store.update('Account', id, { IsDeleted: true });
  });

  it('does not find a rolled-back insert', async () => {
    expect(() =>
      emulator.org.store.transaction(() => {
        insert('A9', 'Account', { Name: 'Vandelay Industries' });
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(found((await search('FIND {vandelay} RETURNING Account')).body)).toEqual([]);
  });

  it('stops finding a record once it is soft-deleted', async () => {
    const id = insert('A8', 'Account', { Name: 'Soylent Foods' });
    expect(found((await search('FIND {soylent} RETURNING Account')).body)).toEqual(['A8']);
    emulator.org.store.update('Account', id, { IsDeleted: true });
    expect(found((await search('FIND {soylent} RETURNING Account')).body)).toEqual([]);
  });

  it('searches escaped text containing every reserved character without error', async () => {
    const text = 'Moore & Sons (UK) {x} [y] ^~*:\\"\'+-!|? right-side';
    const { status, body } = await search(`FIND {${escapeSoslTerm(text)}} RETURNING Account`);
    expect(status, JSON.stringify(body)).toBe(200);
    const escaped = await search(`FIND {${escapeSoslTerm('right-side (up) & co*')}} RETURNING Account`);
    expect(found(escaped.body)).toEqual(['A4']);
  });

  const errors: Array<[string, string | undefined, number, string]> = [
    ['no braces', 'FIND acme', 400, 'MALFORMED_SEARCH'],
    ['unbalanced braces', 'FIND {acme RETURNING Account', 400, 'MALFORMED_SEARCH'],
    ['missing q', undefined, 400, 'MALFORMED_SEARCH'],
    ['one-character term', 'FIND {a}', 400, 'INVALID_SEARCH'],
    ['one character plus wildcard', 'FIND {a*}', 400, 'INVALID_SEARCH'],
    ['empty braces', 'FIND {}', 400, 'INVALID_SEARCH'],
    ['unbalanced parentheses', 'FIND {(acme OR globex}', 400, 'MALFORMED_SEARCH'],
    ['dangling operator', 'FIND {acme AND}', 400, 'MALFORMED_SEARCH'],
    ['unknown search group', 'FIND {acme} IN BOGUS FIELDS', 400, 'MALFORMED_SEARCH'],
    ['unexpected clause', 'FIND {acme} RETURNIN Account', 400, 'MALFORMED_SEARCH'],
    ['unknown object', 'FIND {acme} RETURNING Foo', 400, 'INVALID_TYPE'],
    ['unsearchable object', 'FIND {acme} RETURNING Organization', 400, 'INVALID_TYPE'],
    ['unknown field', 'FIND {acme} RETURNING Account(Name, Bogus__x)', 400, 'INVALID_FIELD'],
  ];

  it.each(errors)('error: %s', async (_name, sosl, status, errorCode) => {
    const response = sosl === undefined ? await get('/search') : await search(sosl);
    expect(response.status).toBe(status);
    expect((response.body as Array<{ errorCode: string }>)[0].errorCode).toBe(errorCode);
  });

  it("uses Salesforce's messages", async () => {
    const braces = await search('FIND acme');
    expect((braces.body as Array<{ message: string }>)[0].message).toBe(
      'No search term found. The search term must be enclosed in braces.',
    );
    const short = await search('FIND {a}');
    expect((short.body as Array<{ message: string }>)[0].message).toBe(
      'search term must be longer than one character: a',
    );
  });

  it('works through jsforce', async () => {
    const connection = new jsforce.Connection({ instanceUrl: emulator.url, accessToken, version: '66.0' });
    const result = await connection.search('FIND {acme} IN NAME FIELDS RETURNING Account(Id, Name)');
    expect(result.searchRecords.map((record) => record.Name)).toEqual(['Acme Corporation', 'Acme Widgets']);
  });
});

describe('parameterizedSearch', () => {
  it('GET with per-object fields and limit', async () => {
    const { status, body } = await get(
      '/parameterizedSearch/?q=acme&sobject=Account&Account.fields=Id,Name&Account.limit=2',
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(found(body)).toEqual(['A1', 'A2']);
    expect(searchRecords(body)[0].Name).toBe('Acme Corporation');
  });

  it('GET over every object with a search group', async () => {
    const { body } = await get(
      `/parameterizedSearch/?q=${encodeURIComponent('john.smith@acme.com')}&in=EMAIL`,
    );
    expect(found(body)).toEqual(['C1']);
  });

  it('GET with where and defaultLimit', async () => {
    const where = encodeURIComponent("Industry = 'Technology'");
    const { body } = await get(
      `/parameterizedSearch/?q=acme&sobject=Account&sobject=Opportunity&Account.where=${where}&defaultLimit=5`,
    );
    expect(found(body)).toEqual(['A1', 'O1']);
  });

  it('POST with sobjects, fields, where and overallLimit', async () => {
    const { status, body } = await post('/parameterizedSearch', {
      q: 'acme',
      fields: ['Id', 'Name'],
      sobjects: [
        { name: 'Account', where: "Industry = 'Technology'" },
        { name: 'Opportunity' },
        { name: 'Contact' },
      ],
      in: 'ALL',
      overallLimit: 2,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(found(body)).toEqual(['A1', 'O1']);
    expect(searchRecords(body)[1].Name).toBe('Acme Rocket Deal');
  });

  it('treats reserved characters in q literally', async () => {
    const { status, body } = await post('/parameterizedSearch', {
      q: 'right-side (up) &',
      sobjects: [{ name: 'Account' }],
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(found(body)).toEqual(['A4']);
  });

  it('rejects a missing q and a one-character q', async () => {
    expect((await get('/parameterizedSearch/?sobject=Account')).status).toBe(400);
    const short = await get('/parameterizedSearch/?q=a');
    expect(short.status).toBe(400);
    expect((short.body as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_SEARCH');
  });
});

function describeExpression(expression: SearchExpression): string {
  if (expression.kind === 'term') {
    const text = expression.text.replaceAll(WILDCARD_ANY, '*').replaceAll(WILDCARD_ONE, '?');
    return expression.quoted ? `"${text}"` : text;
  }
  return `(${describeExpression(expression.left)} ${expression.kind} ${describeExpression(expression.right)})`;
}

describe('SOSL parser', () => {
  it('parses clauses', () => {
    const query = parseSosl(
      'FIND {Joe Sm*} IN NAME FIELDS RETURNING Lead(Name, Phone WHERE CreatedDate = THIS_FISCAL_QUARTER ORDER BY Name LIMIT 5 OFFSET 2), Contact LIMIT 10',
    );
    expect(query.searchText).toBe('Joe Sm*');
    expect(query.scope).toBe('NAME');
    expect(query.limit).toBe(10);
    expect(query.returning).toMatchObject([
      {
        objectName: 'Lead',
        fields: ['Name', 'Phone'],
        where: 'CreatedDate = THIS_FISCAL_QUARTER',
        orderBy: 'Name',
        limit: 5,
        offset: 2,
      },
      { objectName: 'Contact', fields: [] },
    ]);
  });

  it('keeps field expressions and WHERE text whole', () => {
    const query = parseSosl(
      "FIND {x\\)y} RETURNING Account(toLabel(Industry), Owner.Name WHERE Name IN ('a, b', 'c)') ORDER BY Name DESC NULLS LAST)",
    );
    expect(query.returning?.[0]).toMatchObject({
      fields: ['toLabel(Industry)', 'Owner.Name'],
      where: "Name IN ('a, b', 'c)')",
      orderBy: 'Name DESC NULLS LAST',
    });
  });

  it.each([
    ['acme', 'acme'],
    ['Joe Smith', '(Joe and Smith)'],
    ['a OR b AND c', '(a or (b and c))'],
    ['a AND NOT b OR c', '((a andNot b) or c)'],
    ['(a OR b) c', '((a or b) and c)'],
    ['"joe and mary"', '"joe and mary"'],
    ['"and" or "or"', '("and" or "or")'],
    ['sm?th* \\*lit', '(sm?th* and *lit)'],
    ['right\\-side \\"x\\"', '(right-side and "x")'],
  ])('search expression %s', (input, expected) => {
    expect(describeExpression(parseSearchExpression(input))).toBe(expected);
  });

  it('escapeSoslTerm escapes every reserved character and parses back to the original text', () => {
    const text = `? & | ! { } [ ] ( ) ^ ~ * : \\ " ' + - plain`;
    const escaped = escapeSoslTerm(text);
    expect(escaped).toBe(
      `\\? \\& \\| \\! \\{ \\} \\[ \\] \\( \\) \\^ \\~ \\* \\: \\\\ \\" \\' \\+ \\- plain`,
    );
    const words: string[] = [];
    const collect = (expression: SearchExpression): void => {
      if (expression.kind === 'term') words.push(expression.text);
      else {
        collect(expression.left);
        collect(expression.right);
      }
    };
    const query = parseSosl(`FIND {${escaped}} RETURNING Account`);
    collect(query.expression);
    expect(words.join(' ')).toBe(text);
  });
});

describe('search index', () => {
  // Speed is measured by `npm run bench -- emulator`, not asserted here.
  it('answers exact, prefix and phrase searches over a large index', () => {
    const org = emulator.org;
    const userId = org.adminUserId;
    const words = [
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
      'foxtrot',
      'golf',
      'hotel',
      'india',
      'juliet',
    ];
    for (let index = 0; index < 20_000; index++) {
      org.store.insert('Lead', {
        Id: org.ids.next('00Q'),
        ...org.systemFields(userId),
        FirstName: `First${index}`,
        LastName: `Bulk${index}`,
        Name: `First${index} Bulk${index}`,
        Company: `${words[index % 10]} ${words[(index * 7) % 10]} Holdings ${index}`,
        Email: `person${index}@example${index % 100}.com`,
      });
    }
    const index = searchIndexFor(org).object('Lead')!;
    expect(index.evaluate(parseSearchExpression('bulk4242'), 'ALL').size).toBe(1);
    // bulk123, bulk1230…bulk1239, bulk12300…bulk12399
    expect(index.evaluate(parseSearchExpression('bulk123*'), 'ALL').size).toBe(111);
    // Company is "<word i%10> <word 7i%10>": "bravo hotel" is every index ending in 1.
    expect(index.evaluate(parseSearchExpression('"bravo hotel"'), 'ALL').size).toBe(2000);
    expect(index.evaluate(parseSearchExpression('person77@example77.com'), 'ALL').size).toBe(1);
    expect(index.evaluate(parseSearchExpression('bulk55 OR bulk66'), 'ALL').size).toBe(2);
  });
});
