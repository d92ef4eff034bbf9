import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';
import { SfCli, type SfResult } from '../support/sf-cli.ts';

// Each `sf` start costs a second or two of CPU; the file runs them one after the other.
const SF_TIMEOUT = 90_000;

let org: TestOrg;
let sf: SfCli;

function expectSuccess(result: SfResult): void {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.json?.status).toBe(0);
}

beforeAll(async () => {
  org = await startTestOrg({ seed: 'demo' });
  sf = new SfCli();
  // The instance URL as a user types it; sf stores it with a trailing slash (→ `//services/…`).
  const login = await sf.run(
    ['org', 'login', 'access-token', '--instance-url', org.url, '--no-prompt', '--alias', 'emu'],
    { SF_ACCESS_TOKEN: org.token },
  );
  expectSuccess(login);
  expect(login.json.result).toMatchObject({
    username: 'alice@acme.demo',
    orgId: org.emulator.org.id,
  });
}, SF_TIMEOUT);

afterAll(async () => {
  sf?.dispose();
  await org?.emulator.stop();
});

describe('the official Salesforce CLI against the emulator', () => {
  it(
    'shows the org as connected',
    async () => {
      const result = await sf.run(['org', 'display', '--target-org', 'emu']);
      expectSuccess(result);
      expect(result.json.result).toMatchObject({
        connectedStatus: 'Connected',
        username: 'alice@acme.demo',
        alias: 'emu',
        apiVersion: '66.0',
      });
      expect(result.json.result.instanceUrl.replace(/\/$/, '')).toBe(org.url);
    },
    SF_TIMEOUT,
  );

  it(
    'queries records with relationship fields and subqueries',
    async () => {
      const result = await sf.run([
        'data',
        'query',
        '--target-org',
        'emu',
        '--query',
        "SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'Northwind Traders'",
      ]);
      expectSuccess(result);
      expect(result.json.result.totalSize).toBe(1);
      const [account] = result.json.result.records;
      expect(account.Name).toBe('Northwind Traders');
      expect(account.Owner.Name).toBe('Alice Admin');
      expect(account.Contacts.records.length).toBeGreaterThan(0);
    },
    SF_TIMEOUT,
  );

  it(
    'counts with SELECT COUNT()',
    async () => {
      const expected = (await org.api(`/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`)).body
        .totalSize;
      const child = await sf.run([
        'data',
        'query',
        '--target-org',
        'emu',
        '--query',
        'SELECT COUNT() FROM Contact',
        '--result-format',
        'json',
      ]);
      expectSuccess(child);
      expect(child.json.result.totalSize).toBe(expected);
    },
    SF_TIMEOUT,
  );

  it(
    'creates, gets, updates and deletes a record',
    async () => {
      const created = await sf.run([
        'data',
        'create',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Account',
        '--values',
        "Name='Made By Sf' Industry=Retail",
      ]);
      expectSuccess(created);
      const id: string = created.json.result.id;
      expect(id).toMatch(/^001[A-Za-z0-9]{15}$/);

      const fetched = await sf.run([
        'data',
        'get',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Account',
        '--record-id',
        id,
      ]);
      expectSuccess(fetched);
      expect(fetched.json.result).toMatchObject({ Id: id, Name: 'Made By Sf', Industry: 'Retail' });

      const updated = await sf.run([
        'data',
        'update',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Account',
        '--record-id',
        id,
        '--values',
        "Name='Renamed By Sf'",
      ]);
      expectSuccess(updated);
      const byWhere = await sf.run([
        'data',
        'get',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Account',
        '--where',
        "Name='Renamed By Sf'",
      ]);
      expectSuccess(byWhere);
      expect(byWhere.json.result.Id).toBe(id);

      const deleted = await sf.run([
        'data',
        'delete',
        'record',
        '--target-org',
        'emu',
        '--sobject',
        'Account',
        '--record-id',
        id,
      ]);
      expectSuccess(deleted);
      expect((await org.api(`/sobjects/Account/${id}`)).status).toBe(404);
    },
    SF_TIMEOUT,
  );

  it(
    'describes an object and lists the objects',
    async () => {
      const describe = await sf.run(['sobject', 'describe', '--target-org', 'emu', '--sobject', 'Contact']);
      expectSuccess(describe);
      expect(describe.json.result.name).toBe('Contact');
      expect(describe.json.result.fields.map((field: { name: string }) => field.name)).toContain('AccountId');

      const list = await sf.run(['sobject', 'list', '--target-org', 'emu', '--sobject', 'all']);
      expectSuccess(list);
      expect(list.json.result).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Opportunity']));
    },
    SF_TIMEOUT,
  );

  it(
    'queries the Tooling API as an org without Apex',
    async () => {
      const result = await sf.run([
        'data',
        'query',
        '--target-org',
        'emu',
        '--use-tooling-api',
        '--query',
        'SELECT Id, Name FROM ApexClass',
      ]);
      expectSuccess(result);
      expect(result.json.result).toMatchObject({ totalSize: 0, records: [] });
    },
    SF_TIMEOUT,
  );
});
