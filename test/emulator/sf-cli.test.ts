import { beforeAll, describe, expect, it } from 'vitest';
import { expectSfSuccess, SF_TIMEOUT, useSfCliOrg } from './sf-cli-org.ts';

const session = useSfCliOrg();

// What sf stored at login: the demo user of the emulator's org.
beforeAll(() => {
  expect(session.login.json.result).toMatchObject({
    username: 'alice@acme.demo',
    orgId: session.org.emulator.org.id,
  });
});

describe('the official Salesforce CLI against the emulator', () => {
  it(
    'shows the org as connected',
    async () => {
      const result = await session.runOnOrg(['org', 'display']);
      expectSfSuccess(result);
      expect(result.json.result).toMatchObject({
        connectedStatus: 'Connected',
        username: 'alice@acme.demo',
        alias: 'emu',
        apiVersion: '66.0',
      });
      expect(result.json.result.instanceUrl.replace(/\/$/, '')).toBe(session.org.url);
    },
    SF_TIMEOUT,
  );

  it(
    'queries records with relationship fields and subqueries',
    async () => {
      const result = await session.runOnOrg(
        ['data', 'query'],
        [
          '--query',
          "SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'Northwind Traders'",
        ],
      );
      expectSfSuccess(result);
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
      const expected = (await session.org.api(`/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`))
        .body.totalSize;
      const child = await session.runOnOrg(
        ['data', 'query'],
        ['--query', 'SELECT COUNT() FROM Contact', '--result-format', 'json'],
      );
      expectSfSuccess(child);
      expect(child.json.result.totalSize).toBe(expected);
    },
    SF_TIMEOUT,
  );

  it(
    'creates, gets, updates and deletes a record',
    async () => {
      const created = await session.runOnOrg(
        ['data', 'create', 'record'],
        ['--sobject', 'Account', '--values', "Name='Made By Sf' Industry=Retail"],
      );
      expectSfSuccess(created);
      const id: string = created.json.result.id;
      expect(id).toMatch(/^001[A-Za-z0-9]{15}$/);

      const fetched = await session.runOnOrg(
        ['data', 'get', 'record'],
        ['--sobject', 'Account', '--record-id', id],
      );
      expectSfSuccess(fetched);
      expect(fetched.json.result).toMatchObject({ Id: id, Name: 'Made By Sf', Industry: 'Retail' });

      const updated = await session.runOnOrg(
        ['data', 'update', 'record'],
        ['--sobject', 'Account', '--record-id', id, '--values', "Name='Renamed By Sf'"],
      );
      expectSfSuccess(updated);
      const byWhere = await session.runOnOrg(
        ['data', 'get', 'record'],
        ['--sobject', 'Account', '--where', "Name='Renamed By Sf'"],
      );
      expectSfSuccess(byWhere);
      expect(byWhere.json.result.Id).toBe(id);

      const deleted = await session.runOnOrg(
        ['data', 'delete', 'record'],
        ['--sobject', 'Account', '--record-id', id],
      );
      expectSfSuccess(deleted);
      expect((await session.org.api(`/sobjects/Account/${id}`)).status).toBe(404);
    },
    SF_TIMEOUT,
  );

  it(
    'describes an object and lists the objects',
    async () => {
      const describe = await session.runOnOrg(['sobject', 'describe'], ['--sobject', 'Contact']);
      expectSfSuccess(describe);
      expect(describe.json.result.name).toBe('Contact');
      expect(describe.json.result.fields.map((field: { name: string }) => field.name)).toContain('AccountId');

      const list = await session.runOnOrg(['sobject', 'list'], ['--sobject', 'all']);
      expectSfSuccess(list);
      expect(list.json.result).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Opportunity']));
    },
    SF_TIMEOUT,
  );

  it(
    'queries the Tooling API as an org without Apex',
    async () => {
      const result = await session.runOnOrg(
        ['data', 'query'],
        ['--use-tooling-api', '--query', 'SELECT Id, Name FROM ApexClass'],
      );
      expectSfSuccess(result);
      expect(result.json.result).toMatchObject({ totalSize: 0, records: [] });
    },
    SF_TIMEOUT,
  );
});
