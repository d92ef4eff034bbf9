import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSfSuccess, SF_TIMEOUT, useSfCliOrg } from './sf-cli-org.ts';

const session = useSfCliOrg();

describe('the Salesforce CLI with Bulk API 2.0', () => {
  it(
    'imports a CSV file with data import bulk',
    async () => {
      const file = path.join(session.sf.home, 'contacts.csv');
      writeFileSync(
        file,
        'FirstName,LastName,Email\nAda,Bulkley,ada@bulk.example\n"Grace, Jr.",Bulkley,grace@bulk.example\n',
      );
      const result = await session.runOnOrg(
        ['data', 'import', 'bulk'],
        ['--sobject', 'Contact', '--file', file, '--wait', '2'],
      );
      expectSfSuccess(result);
      expect(result.json.result).toMatchObject({
        processedRecords: 2,
        successfulRecords: 2,
        failedRecords: 0,
      });
      const check = await session.org.api(
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
      const file = path.join(session.sf.home, 'accounts.csv');
      const result = await session.runOnOrg(
        ['data', 'export', 'bulk'],
        [
          '--query',
          'SELECT Id, Name, Owner.Name FROM Account ORDER BY Name',
          '--output-file',
          file,
          '--wait',
          '2',
        ],
      );
      expectSfSuccess(result);
      const expected = await session.org.api(
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
