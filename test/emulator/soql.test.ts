import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import type { StoredRecord } from '../../emulator/schema/types.ts';
import { runSoql } from '../../emulator/soql/execute.ts';
import { passwordGrant } from '../support/emulator.ts';

// Wednesday 18 March 2026, noon UTC: THIS_WEEK is Sunday 15 – Saturday 21 March.
const NOW = Date.UTC(2026, 2, 18, 12, 0, 0);
const VERSION = '66.0';

let emulator: RunningEmulator;
let accessToken: string;
const ids: Record<string, string> = {};

interface QueryBody {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    headers: { Authorization: `Bearer ${accessToken}`, ...headers },
  });
  return { status: response.status, body: await response.json() };
}

async function query(soql: string, endpoint = 'query', headers: Record<string, string> = {}) {
  return get(`/services/data/v${VERSION}/${endpoint}?q=${encodeURIComponent(soql)}`, headers);
}

async function records(soql: string, endpoint = 'query'): Promise<QueryBody> {
  const { status, body } = await query(soql, endpoint);
  expect(status, JSON.stringify(body)).toBe(200);
  return body as QueryBody;
}

function insert(objectName: string, key: string, fields: StoredRecord, owner?: string): string {
  const org = emulator.org;
  const prefix = org.schema.object(objectName)!.keyPrefix;
  const id = org.ids.next(prefix);
  const ownerFields: StoredRecord = org.schema.object(objectName)!.owned
    ? { OwnerId: owner ?? org.adminUserId }
    : {};
  org.store.insert(objectName, { Id: id, ...org.systemFields(org.adminUserId), ...ownerFields, ...fields });
  ids[key] = id;
  return id;
}

function contact(key: string, firstName: string, lastName: string, fields: StoredRecord): void {
  insert('Contact', key, {
    FirstName: firstName,
    LastName: lastName,
    Name: `${firstName} ${lastName}`,
    ...fields,
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'none', clock: new ManualClock(NOW) });
  const org = emulator.org;
  const tokenResponse = await passwordGrant(emulator.url, 'alice@acme.demo', 'demo1234');
  accessToken = tokenResponse.ok
    ? ((await tokenResponse.json()) as { access_token: string }).access_token
    : org.tokens.issueAccessToken(org.adminUserId, 'forcefield-demo', ['api']).token;

  const alice = org.userIdByUsername('alice@acme.demo')!;
  const bob = org.userIdByUsername('bob@acme.demo')!;
  ids.alice = alice;
  ids.bob = bob;
  insert(
    'Account',
    'acme',
    {
      Name: 'Acme Corp',
      Industry: 'Technology',
      AnnualRevenue: 5_000_000,
      BillingCity: 'San Francisco',
      BillingCountry: 'USA',
      CreatedDate: '2026-03-18T09:00:00.000+0000',
    },
    alice,
  );
  insert(
    'Account',
    'beta',
    {
      Name: 'beta Industries',
      Industry: 'Manufacturing',
      AnnualRevenue: 100_000,
      CreatedDate: '2026-03-17T23:59:59.000+0000',
    },
    bob,
  );
  insert(
    'Account',
    'gamma',
    { Name: 'Gamma LLC', Industry: null, AnnualRevenue: null, CreatedDate: '2026-02-10T08:00:00.000+0000' },
    alice,
  );
  insert(
    'Account',
    'delta',
    { Name: 'Delta_Co 100%', Industry: 'Technology', CreatedDate: '2025-12-31T10:00:00.000+0000' },
    bob,
  );
  contact('ann', 'Ann', 'Lee', { AccountId: ids.acme, Email: 'ann@acme.com' });
  contact('bobContact', 'Bob', 'Stone', { AccountId: ids.acme, Email: 'bob@acme.com' });
  contact('cara', 'Cara', 'Zed', { AccountId: ids.beta, Email: null });
  contact('dan', 'Dan', "O'Neil", { AccountId: null, Email: 'dan@x.org' });
  contact('eve', 'Eve', 'Gone', { AccountId: ids.beta, Email: 'eve@beta.com' });
  // Soft-delete as the recycle bin does: the row stays, flagged.
  org.store.update('Contact', ids.eve, { IsDeleted: true });

  insert('Opportunity', 'big', {
    Name: 'Big Deal',
    AccountId: ids.acme,
    Amount: 1000,
    StageName: 'Prospecting',
    CloseDate: '2026-03-20',
  });
  insert('Opportunity', 'small', {
    Name: 'Small',
    AccountId: ids.beta,
    Amount: 50.5,
    StageName: 'Prospecting',
    CloseDate: '2026-04-02',
  });
  insert('Opportunity', 'old', {
    Name: 'Old',
    AccountId: ids.acme,
    Amount: null,
    StageName: 'Closed Won',
    CloseDate: '2025-06-30',
  });
  insert('Task', 'call', { Subject: 'Call', WhatId: ids.acme, WhoId: ids.ann, Status: 'Not Started' });
  insert('Task', 'mail', { Subject: 'Email', WhatId: ids.big, WhoId: null, Status: 'Completed' });
  for (let index = 0; index < 450; index++) {
    insert('Lead', `lead${index}`, {
      FirstName: 'Bulk',
      LastName: `Lead ${String(index).padStart(3, '0')}`,
      Name: `Bulk Lead ${String(index).padStart(3, '0')}`,
      Company: 'Bulk Co',
      Status: 'Open - Not Contacted',
    });
  }
});

afterAll(async () => {
  await emulator?.stop();
});

/** Each row: a query and the expected values of one field, in order (names unless stated). */
const CASES: Array<{ name: string; soql: string; field?: string; expected: unknown[]; endpoint?: string }> = [
  {
    name: 'all rows',
    soql: 'SELECT Name FROM Account',
    expected: ['Acme Corp', 'beta Industries', 'Gamma LLC', 'Delta_Co 100%'],
  },
  {
    name: '= is case-insensitive',
    soql: "SELECT Name FROM Account WHERE Name = 'acme corp'",
    expected: ['Acme Corp'],
  },
  {
    name: '!=',
    soql: "SELECT Name FROM Account WHERE Name != 'Acme Corp' ORDER BY Name",
    expected: ['beta Industries', 'Delta_Co 100%', 'Gamma LLC'],
  },
  {
    name: '<>',
    soql: "SELECT Name FROM Account WHERE Industry <> 'Technology'",
    expected: ['beta Industries', 'Gamma LLC'],
  },
  { name: 'LIKE prefix', soql: "SELECT Name FROM Account WHERE Name LIKE 'a%'", expected: ['Acme Corp'] },
  {
    name: 'LIKE contains',
    soql: "SELECT Name FROM Account WHERE Name LIKE '%CO%' ORDER BY Name",
    expected: ['Acme Corp', 'Delta_Co 100%'],
  },
  { name: 'LIKE _', soql: "SELECT Name FROM Account WHERE Name LIKE '_amma%'", expected: ['Gamma LLC'] },
  {
    name: 'LIKE escaped _ and %',
    soql: "SELECT Name FROM Account WHERE Name LIKE 'Delta\\_Co 100\\%'",
    expected: ['Delta_Co 100%'],
  },
  {
    name: 'LIKE escaped _ does not match other characters',
    soql: "SELECT Name FROM Account WHERE Name LIKE 'Acme\\_%'",
    expected: [],
  },
  { name: '= null', soql: 'SELECT Name FROM Account WHERE Industry = null', expected: ['Gamma LLC'] },
  {
    name: '!= null',
    soql: 'SELECT Name FROM Account WHERE AnnualRevenue != null ORDER BY Name',
    expected: ['Acme Corp', 'beta Industries'],
  },
  {
    name: '> number',
    soql: 'SELECT Name FROM Account WHERE AnnualRevenue > 100000',
    expected: ['Acme Corp'],
  },
  {
    name: '>= number',
    soql: 'SELECT Name FROM Account WHERE AnnualRevenue >= 100000.0',
    expected: ['Acme Corp', 'beta Industries'],
  },
  {
    name: '< number excludes nulls',
    soql: 'SELECT Name FROM Account WHERE AnnualRevenue < 200000',
    expected: ['beta Industries'],
  },
  {
    name: 'IN',
    soql: "SELECT Name FROM Account WHERE Industry IN ('technology', 'Retail') ORDER BY Name",
    expected: ['Acme Corp', 'Delta_Co 100%'],
  },
  {
    name: 'NOT IN keeps nulls',
    soql: "SELECT Name FROM Account WHERE Industry NOT IN ('Technology') ORDER BY Name",
    expected: ['beta Industries', 'Gamma LLC'],
  },
  {
    name: 'AND / OR with parentheses',
    soql: "SELECT Name FROM Account WHERE (Industry = 'Technology' AND AnnualRevenue > 1000) OR Name = 'Gamma LLC'",
    expected: ['Acme Corp', 'Gamma LLC'],
  },
  {
    name: 'NOT',
    soql: "SELECT Name FROM Account WHERE NOT Name LIKE 'A%' AND Industry = 'Technology'",
    expected: ['Delta_Co 100%'],
  },
  {
    name: 'parenthesised NOT (Salesforce docs example)',
    soql: "SELECT Name FROM Account WHERE Industry = 'Technology' AND (NOT Name = 'Acme Corp')",
    expected: ['Delta_Co 100%'],
  },
  {
    name: 'NOT over a group',
    soql: "SELECT Name FROM Account WHERE NOT (Industry = 'Technology' OR Industry = null)",
    expected: ['beta Industries'],
  },
  {
    name: 'escaped quote',
    soql: "SELECT Name FROM Contact WHERE LastName = 'O\\'Neil'",
    expected: ["Dan O'Neil"],
  },
  {
    name: 'boolean',
    soql: 'SELECT Name FROM Contact WHERE IsDeleted = false',
    expected: ['Ann Lee', 'Bob Stone', 'Cara Zed', "Dan O'Neil"],
  },
  {
    name: 'parent field filter',
    soql: "SELECT Name FROM Contact WHERE Account.Industry = 'Technology'",
    expected: ['Ann Lee', 'Bob Stone'],
  },
  {
    name: 'two-level parent filter',
    soql: "SELECT Name FROM Contact WHERE Account.Owner.Name = 'Bob Seller'",
    expected: ['Cara Zed'],
  },
  {
    name: 'empty parent is null',
    soql: 'SELECT Name FROM Contact WHERE Account.Name = null',
    expected: ["Dan O'Neil"],
  },
  {
    name: 'semi-join',
    soql: 'SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email != null)',
    expected: ['Acme Corp'],
  },
  {
    name: 'anti-join',
    soql: 'SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity) ORDER BY Name',
    expected: ['Delta_Co 100%', 'Gamma LLC'],
  },
  {
    name: 'FROM alias and object-name prefixes',
    soql: "SELECT a.Name FROM Account a WHERE a.Industry = 'Manufacturing' OR Account.Name = 'Gamma LLC'",
    expected: ['beta Industries', 'Gamma LLC'],
  },
  {
    name: 'USING SCOPE mine',
    soql: 'SELECT Name FROM Account USING SCOPE mine',
    expected: ['Acme Corp', 'Gamma LLC'],
  },
  // Dates and datetimes
  {
    name: 'TODAY on a datetime',
    soql: 'SELECT Name FROM Account WHERE CreatedDate = TODAY',
    expected: ['Acme Corp'],
  },
  {
    name: 'YESTERDAY',
    soql: 'SELECT Name FROM Account WHERE CreatedDate = YESTERDAY',
    expected: ['beta Industries'],
  },
  {
    name: 'LAST_MONTH',
    soql: 'SELECT Name FROM Account WHERE CreatedDate = LAST_MONTH',
    expected: ['Gamma LLC'],
  },
  {
    name: 'LAST_YEAR',
    soql: 'SELECT Name FROM Account WHERE CreatedDate = LAST_YEAR',
    expected: ['Delta_Co 100%'],
  },
  {
    name: '< THIS_YEAR',
    soql: 'SELECT Name FROM Account WHERE CreatedDate < THIS_YEAR',
    expected: ['Delta_Co 100%'],
  },
  {
    name: 'LAST_N_DAYS includes today',
    soql: 'SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:1',
    expected: ['Acme Corp', 'beta Industries'],
  },
  {
    name: '> YESTERDAY',
    soql: 'SELECT Name FROM Account WHERE CreatedDate > YESTERDAY',
    expected: ['Acme Corp'],
  },
  {
    name: 'THIS_QUARTER',
    soql: 'SELECT Name FROM Account WHERE CreatedDate = THIS_QUARTER',
    expected: ['Acme Corp', 'beta Industries', 'Gamma LLC'],
  },
  {
    name: 'datetime literal',
    soql: 'SELECT Name FROM Account WHERE CreatedDate >= 2026-03-17T23:59:59Z',
    expected: ['Acme Corp', 'beta Industries'],
  },
  {
    name: 'datetime literal with offset',
    soql: 'SELECT Name FROM Account WHERE CreatedDate > 2026-03-18T01:00:00+02:00',
    expected: ['Acme Corp', 'beta Industries'],
  },
  {
    name: 'THIS_WEEK on a date',
    soql: 'SELECT Name FROM Opportunity WHERE CloseDate = THIS_WEEK',
    expected: ['Big Deal'],
  },
  {
    name: 'NEXT_MONTH',
    soql: 'SELECT Name FROM Opportunity WHERE CloseDate = NEXT_MONTH',
    expected: ['Small'],
  },
  {
    name: 'NEXT_QUARTER',
    soql: 'SELECT Name FROM Opportunity WHERE CloseDate = NEXT_QUARTER',
    expected: ['Small'],
  },
  {
    name: 'NEXT_N_DAYS',
    soql: 'SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:2',
    expected: ['Big Deal'],
  },
  {
    name: 'date literal',
    soql: 'SELECT Name FROM Opportunity WHERE CloseDate < 2026-01-01',
    expected: ['Old'],
  },
  {
    name: 'IN with date literals',
    soql: 'SELECT Name FROM Opportunity WHERE CloseDate IN (THIS_WEEK, 2025-06-30)',
    expected: ['Big Deal', 'Old'],
  },
  {
    name: 'CALENDAR_YEAR()',
    soql: 'SELECT Name FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2025',
    expected: ['Old'],
  },
  // Ordering and paging
  {
    name: 'ORDER BY text is case-insensitive',
    soql: 'SELECT Name FROM Account ORDER BY Name',
    expected: ['Acme Corp', 'beta Industries', 'Delta_Co 100%', 'Gamma LLC'],
  },
  {
    name: 'ASC puts nulls first',
    soql: 'SELECT Name FROM Account ORDER BY Industry, Name',
    expected: ['Gamma LLC', 'beta Industries', 'Acme Corp', 'Delta_Co 100%'],
  },
  {
    name: 'DESC puts nulls last',
    soql: 'SELECT Name FROM Account ORDER BY Industry DESC, Name ASC',
    expected: ['Acme Corp', 'Delta_Co 100%', 'beta Industries', 'Gamma LLC'],
  },
  {
    name: 'NULLS FIRST override',
    soql: 'SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST, Name DESC',
    expected: ['Gamma LLC', 'Delta_Co 100%', 'Acme Corp', 'beta Industries'],
  },
  {
    name: 'ORDER BY parent field',
    soql: 'SELECT Name FROM Contact ORDER BY Account.Name DESC NULLS LAST, Name',
    expected: ['Cara Zed', 'Ann Lee', 'Bob Stone', "Dan O'Neil"],
  },
  {
    name: 'ORDER BY number',
    soql: 'SELECT Name FROM Opportunity ORDER BY Amount DESC',
    expected: ['Big Deal', 'Small', 'Old'],
  },
  {
    name: 'LIMIT and OFFSET',
    soql: 'SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1',
    expected: ['beta Industries', 'Delta_Co 100%'],
  },
  {
    name: 'ORDER BY with a small LIMIT over many rows',
    soql: 'SELECT LastName FROM Lead ORDER BY LastName DESC LIMIT 3 OFFSET 1',
    field: 'LastName',
    expected: ['Lead 448', 'Lead 447', 'Lead 446'],
  },
  { name: 'LIMIT 0', soql: 'SELECT Name FROM Account ORDER BY Name LIMIT 0', expected: [] },
  { name: 'LIMIT without ORDER BY', soql: 'SELECT Name FROM Account LIMIT 1', expected: ['Acme Corp'] },
  // query vs queryAll
  {
    name: 'query hides deleted rows',
    soql: "SELECT Name FROM Contact WHERE LastName = 'Gone'",
    expected: [],
  },
  {
    name: 'queryAll shows deleted rows',
    soql: "SELECT Name FROM Contact WHERE LastName = 'Gone'",
    expected: ['Eve Gone'],
    endpoint: 'queryAll',
  },
  {
    name: 'queryAll filters IsDeleted',
    soql: 'SELECT Name FROM Contact WHERE IsDeleted = true',
    expected: ['Eve Gone'],
    endpoint: 'queryAll',
  },
  {
    name: 'query never returns IsDeleted rows',
    soql: 'SELECT Name FROM Contact WHERE IsDeleted = true',
    expected: [],
  },
];

describe('SOQL over /query', () => {
  it.each(CASES)('$name', async ({ soql, field = 'Name', expected, endpoint }) => {
    const body = await records(soql, endpoint);
    expect(body.records.map((record) => record[field])).toEqual(expected);
    expect(body.totalSize).toBe(expected.length);
    expect(body.done).toBe(true);
  });

  it('matches ids given in 15 or 18 characters', async () => {
    const body = await records(`SELECT Id FROM Account WHERE Id = '${ids.acme.slice(0, 15)}'`);
    expect(body.records.map((record) => record.Id)).toEqual([ids.acme]);
    const both = await records(
      `SELECT Id FROM Account WHERE Id IN ('${ids.acme}', '${ids.beta}') ORDER BY Name`,
    );
    expect(both.records.map((record) => record.Id)).toEqual([ids.acme, ids.beta]);
  });

  it('shapes records like Salesforce: attributes, canonical casing, nested parents', async () => {
    const body = await records(
      "select name, ID, account.name, ACCOUNT.owner.NAME, CreatedBy.Name from contact where email = 'ANN@acme.com'",
    );
    expect(body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Contact', url: `/services/data/v${VERSION}/sobjects/Contact/${ids.ann}` },
          Name: 'Ann Lee',
          Id: ids.ann,
          Account: {
            attributes: { type: 'Account', url: `/services/data/v${VERSION}/sobjects/Account/${ids.acme}` },
            Name: 'Acme Corp',
            Owner: {
              attributes: { type: 'User', url: `/services/data/v${VERSION}/sobjects/User/${ids.alice}` },
              Name: 'Alice Admin',
            },
          },
          CreatedBy: {
            attributes: { type: 'User', url: `/services/data/v${VERSION}/sobjects/User/${ids.alice}` },
            Name: 'Alice Admin',
          },
        },
      ],
    });
    expect(Object.keys(body.records[0])).toEqual(['attributes', 'Name', 'Id', 'Account', 'CreatedBy']);
  });

  it('returns null for an empty lookup', async () => {
    const body = await records("SELECT Name, Account.Name FROM Contact WHERE LastName = 'O\\'Neil'");
    expect(body.records[0].Account).toBeNull();
  });

  it('resolves polymorphic What and Who by the id key prefix', async () => {
    const body = await records(
      'SELECT Subject, What.Name, What.Type, Who.Id, Who.Name FROM Task ORDER BY Subject',
    );
    expect(body.records.map(({ attributes: _attributes, ...rest }) => rest)).toEqual([
      {
        Subject: 'Call',
        What: {
          attributes: { type: 'Account', url: `/services/data/v${VERSION}/sobjects/Account/${ids.acme}` },
          Name: 'Acme Corp',
          Type: 'Account',
        },
        Who: {
          attributes: { type: 'Contact', url: `/services/data/v${VERSION}/sobjects/Contact/${ids.ann}` },
          Id: ids.ann,
          Name: 'Ann Lee',
        },
      },
      {
        Subject: 'Email',
        What: {
          attributes: {
            type: 'Opportunity',
            url: `/services/data/v${VERSION}/sobjects/Opportunity/${ids.big}`,
          },
          Name: 'Big Deal',
          Type: 'Opportunity',
        },
        Who: null,
      },
    ]);
    const filtered = await records("SELECT Subject FROM Task WHERE What.Type = 'Opportunity'");
    expect(filtered.records.map((record) => record.Subject)).toEqual(['Email']);
  });

  it('runs child subqueries with their own WHERE, ORDER BY and LIMIT', async () => {
    const body = await records(
      'SELECT Name, (SELECT LastName, Email FROM Contacts WHERE Email != null ORDER BY LastName DESC LIMIT 5) FROM Account ORDER BY Name',
    );
    const contacts = body.records.map((record) => record.Contacts as QueryBody | null);
    expect(contacts[1]).toBeNull(); // beta: Cara has no email, Eve is deleted
    expect(contacts[2]).toBeNull();
    expect(contacts[0]).toEqual({
      totalSize: 2,
      done: true,
      records: [
        {
          attributes: {
            type: 'Contact',
            url: `/services/data/v${VERSION}/sobjects/Contact/${ids.bobContact}`,
          },
          LastName: 'Stone',
          Email: 'bob@acme.com',
        },
        {
          attributes: { type: 'Contact', url: `/services/data/v${VERSION}/sobjects/Contact/${ids.ann}` },
          LastName: 'Lee',
          Email: 'ann@acme.com',
        },
      ],
    });
  });

  it('answers COUNT() with totalSize and no records', async () => {
    expect(await records('SELECT COUNT() FROM Contact')).toEqual({ totalSize: 4, done: true, records: [] });
    expect((await records('SELECT COUNT() FROM Contact', 'queryAll')).totalSize).toBe(5);
    expect((await records("SELECT COUNT() FROM Account WHERE Industry = 'Technology'")).totalSize).toBe(2);
  });

  it('computes aggregate functions and GROUP BY', async () => {
    const body = await records('SELECT COUNT(Id), SUM(Amount) total, MAX(CloseDate) FROM Opportunity');
    expect(body.records).toEqual([
      { attributes: { type: 'AggregateResult' }, expr0: 3, total: 1050.5, expr1: '2026-04-02' },
    ]);
    const grouped = await records(
      'SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry ORDER BY Industry',
    );
    expect(grouped.records.map(({ Industry, n }) => [Industry, n])).toEqual([
      [null, 1],
      ['Manufacturing', 1],
      ['Technology', 2],
    ]);
  });

  it('expands FIELDS(STANDARD) and serializes compound addresses', async () => {
    const body = await records("SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme Corp'");
    const [record] = body.records;
    expect(record.Name).toBe('Acme Corp');
    expect(record.AnnualRevenue).toBe(5_000_000);
    expect(record.IsDeleted).toBe(false);
    expect(record.CreatedDate).toBe('2026-03-18T09:00:00.000+0000');
    expect(record.BillingAddress).toMatchObject({ city: 'San Francisco', country: 'USA', street: null });
  });
});

describe('pagination', () => {
  it('follows nextRecordsUrl in batches of Sforce-Query-Options batchSize', async () => {
    const soql = 'SELECT Id, LastName FROM Lead ORDER BY LastName';
    const first = await query(soql, 'query', { 'Sforce-Query-Options': 'batchSize=200' });
    expect(first.status).toBe(200);
    let page = first.body as QueryBody;
    expect(page.totalSize).toBe(450);
    expect(page.done).toBe(false);
    expect(page.nextRecordsUrl).toMatch(
      new RegExp(`^/services/data/v${VERSION}/query/01g[A-Za-z0-9]{15}-200$`),
    );
    const names = page.records.map((record) => record.LastName);
    const sizes = [page.records.length];
    while (!page.done) {
      const next = await get(page.nextRecordsUrl!);
      expect(next.status).toBe(200);
      page = next.body as QueryBody;
      expect(page.totalSize).toBe(450);
      sizes.push(page.records.length);
      names.push(...page.records.map((record) => record.LastName));
    }
    expect(sizes).toEqual([200, 200, 50]);
    expect(page.nextRecordsUrl).toBeUndefined();
    expect(names).toEqual(
      Array.from({ length: 450 }, (_unused, index) => `Lead ${String(index).padStart(3, '0')}`),
    );
  });

  it('clamps batch sizes below 200 and returns everything in one batch by default', async () => {
    const small = (await query('SELECT Id FROM Lead', 'query', { 'Sforce-Query-Options': 'batchSize=10' }))
      .body as QueryBody;
    expect(small.records).toHaveLength(200);
    const all = await records('SELECT Id FROM Lead');
    expect(all.records).toHaveLength(450);
    expect(all.done).toBe(true);
  });

  it('rejects unknown query locators', async () => {
    const { status, body } = await get(`/services/data/v${VERSION}/query/01g8d0000000000AAA-200`);
    expect(status).toBe(400);
    expect(body).toEqual([{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
    expect((await get(`/services/data/v${VERSION}/query/nonsense`)).status).toBe(400);
  });
});

describe('errors', () => {
  const ERRORS: Array<{
    name: string;
    soql: string | undefined;
    status: number;
    errorCode: string;
    message?: string;
  }> = [
    {
      name: 'missing q',
      soql: undefined,
      status: 400,
      errorCode: 'MALFORMED_QUERY',
      message: 'A query string has to be specified',
    },
    {
      name: 'syntax error',
      soql: 'SELECT Id FORM Account',
      status: 400,
      errorCode: 'MALFORMED_QUERY',
      message: 'unexpected token',
    },
    {
      name: 'unexpected end',
      soql: 'SELECT Id FROM Account WHERE',
      status: 400,
      errorCode: 'MALFORMED_QUERY',
      message: "unexpected token: '<EOF>'",
    },
    {
      name: 'unknown object',
      soql: 'SELECT Id FROM Foo',
      status: 400,
      errorCode: 'INVALID_TYPE',
      message:
        "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    },
    {
      name: 'unknown field',
      soql: 'SELECT Foo FROM Account',
      status: 400,
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    },
    {
      name: 'unknown field in WHERE',
      soql: "SELECT Id FROM Account WHERE Nope = 'x'",
      status: 400,
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope' on entity 'Account'",
    },
    {
      name: 'unknown relationship',
      soql: 'SELECT Foo.Name FROM Contact',
      status: 400,
      errorCode: 'INVALID_FIELD',
      message: "Didn't understand relationship 'Foo' in field path",
    },
    {
      name: 'unknown parent field',
      soql: 'SELECT Account.Nope FROM Contact',
      status: 400,
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope' on entity 'Account'",
    },
    {
      name: 'unknown child relationship',
      soql: 'SELECT Id, (SELECT Id FROM Foos) FROM Account',
      status: 400,
      errorCode: 'INVALID_TYPE',
      message: "Didn't understand relationship 'Foos' in FROM part of query call",
    },
    {
      name: 'OFFSET above 2000',
      soql: 'SELECT Id FROM Account OFFSET 2001',
      status: 400,
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Maximum SOQL offset allowed is 2000',
    },
    {
      name: 'invalid id literal',
      soql: "SELECT Id FROM Account WHERE Id = 'abc'",
      status: 400,
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: 'invalid ID field: abc',
    },
    {
      name: 'date value on a datetime field',
      soql: 'SELECT Id FROM Account WHERE CreatedDate > 2026-01-01',
      status: 400,
      errorCode: 'INVALID_FIELD',
      message:
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    },
    {
      name: 'quoted number',
      soql: "SELECT Id FROM Account WHERE AnnualRevenue = '5'",
      status: 400,
      errorCode: 'INVALID_FIELD',
      message:
        "value of filter criterion for field 'AnnualRevenue' must be of type double and should not be enclosed in quotes",
    },
    {
      name: 'AND and OR mixed without parentheses',
      soql: "SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b' AND Industry = null",
      status: 400,
      errorCode: 'MALFORMED_QUERY',
    },
    {
      name: 'FIELDS(ALL) without LIMIT',
      soql: 'SELECT FIELDS(ALL) FROM Account',
      status: 400,
      errorCode: 'MALFORMED_QUERY',
      message: 'The SOQL FIELDS function must have a LIMIT of at most 200',
    },
  ];

  it.each(ERRORS)('$name', async ({ soql, status, errorCode, message }) => {
    const response = soql === undefined ? await get(`/services/data/v${VERSION}/query`) : await query(soql);
    expect(response.status).toBe(status);
    const [error] = response.body as Array<{ errorCode: string; message: string }>;
    expect(error.errorCode).toBe(errorCode);
    if (message) expect(error.message).toContain(message);
  });
});

describe('clients and other modules', () => {
  it('works with jsforce query, autoFetch and queryMore', async () => {
    const conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken, version: VERSION });
    const result = await conn.query<{ Name: string; Account: { Name: string } | null }>(
      'SELECT Name, Account.Name FROM Contact ORDER BY Name',
    );
    expect(result.totalSize).toBe(4);
    expect(result.done).toBe(true);
    expect(result.records.map((record) => record.Account?.Name ?? null)).toEqual([
      'Acme Corp',
      'Acme Corp',
      'beta Industries',
      null,
    ]);

    const headers = { 'Sforce-Query-Options': 'batchSize=200' };
    const fetched = await conn.query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 1000, headers });
    expect(fetched.records).toHaveLength(450);
    expect(fetched.totalSize).toBe(450);

    const firstBatch = await conn.query('SELECT Id FROM Lead', { headers });
    expect(firstBatch.done).toBe(false);
    expect(firstBatch.records).toHaveLength(200);
    const more = await conn.queryMore(firstBatch.nextRecordsUrl!);
    expect(more.records).toHaveLength(200);
    expect(more.records[0].Id).not.toBe(firstBatch.records[0].Id);

    const deleted = await conn.query("SELECT Name FROM Contact WHERE LastName = 'Gone'", { scanAll: true });
    expect(deleted.records.map((record) => record.Name)).toEqual(['Eve Gone']);
  });

  it('runSoql returns every row and honours restrictToIds', () => {
    const all = runSoql(emulator.org, ids.alice, 'SELECT Id, Name FROM Lead', { version: VERSION });
    expect(all.totalSize).toBe(450);
    expect(all.records).toHaveLength(450);
    const restricted = runSoql(emulator.org, ids.alice, 'SELECT Name FROM Account ORDER BY Name', {
      version: VERSION,
      restrictToIds: new Set([ids.gamma, ids.acme, ids.ann]),
    });
    expect(restricted.records.map((record) => record.Name)).toEqual(['Acme Corp', 'Gamma LLC']);
  });
});
