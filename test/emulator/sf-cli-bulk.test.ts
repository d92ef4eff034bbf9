import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';
import { SfCli, type SfResult } from '../support/sf-cli.ts';

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
  const login = await sf.run(
    ['org', 'login', 'access-token', '--instance-url', org.url, '--no-prompt', '--alias', 'emu'],
    { SF_ACCESS_TOKEN: org.token },
  );
  expectSuccess(login);
}, SF_TIMEOUT);

afterAll(async () => {
  sf?.dispose();
  await org?.emulator.stop();
});

describe('the Salesforce CLI with Bulk API 2.0', () => {
  it(
    'imports a CSV file with data import bulk',
    async () => {
      const file = path.join(sf.home, 'contacts.csv');
      writeFileSync(
        file,
        'FirstName,LastName,Email\nAda,Bulkley,ada@bulk.example\n"Grace, Jr.",Bulkley,grace@bulk.example\n',
      );
      const result = await sf.run([
        'data',
        'import',
        'bulk',
        '--target-org',
        'emu',
        '--sobject',
        'Contact',
        '--file',
        file,
        '--wait',
        '2',
      ]);
      expectSuccess(result);
      expect(result.json.result).toMatchObject({
        processedRecords: 2,
        successfulRecords: 2,
        failedRecords: 0,
      });
      const check = await org.api(
        `/query?q=${encodeURIComponent("SELECT FirstName FROM Contact WHERE LastName = 'Bulkley' ORDER BY Email")}`,
      );
      expect(check.body.records.map((record: { FirstName: string }) => record.FirstName)).toEqual([
        'Ada',
        'Grace, Jr.',
      ]);
    },
    SF_TIMEOUT,
  );

  it(
    'exports query results to CSV with data export bulk',
    async () => {
      const file = path.join(sf.home, 'accounts.csv');
      const result = await sf.run([
        'data',
        'export',
        'bulk',
        '--target-org',
        'emu',
        '--query',
        'SELECT Id, Name, Owner.Name FROM Account ORDER BY Name',
        '--output-file',
        file,
        '--wait',
        '2',
      ]);
      expectSuccess(result);
      const expected = await org.api(
        `/query?q=${encodeURIComponent('SELECT Id, Name FROM Account ORDER BY Name')}`,
      );
      expect(result.json.result.totalSize).toBe(expected.body.totalSize);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('"Id","Name","Owner.Name"');
      expect(lines).toHaveLength(expected.body.totalSize + 1);
      expect(lines[1]).toBe(
        `"${expected.body.records[0].Id}","${expected.body.records[0].Name}","Alice Admin"`,
      );
    },
    SF_TIMEOUT,
  );
});
