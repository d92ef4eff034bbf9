import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg();
  for (let index = 0; index < 10; index++) {
    await org.api('/sobjects/Account', {
      method: 'POST',
      body: { Name: `Explain ${index}`, Industry: 'Banking' },
    });
  }
});

afterAll(async () => {
  await org.emulator.stop();
});

function explain(soql: string) {
  return org.api(`/query?explain=${encodeURIComponent(soql)}`);
}

describe('query?explain=', () => {
  it('offers an Index plan for a filter on an indexed field, cheapest first, and the TableScan', async () => {
    const result = await explain("SELECT Id FROM Account WHERE Name = 'Explain 3'");
    expect(result.status).toBe(200);
    expect(result.body.sourceQuery).toBe("SELECT Id FROM Account WHERE Name = 'Explain 3'");
    expect(result.body.plans).toHaveLength(2);
    const [index, scan] = result.body.plans;
    expect(index).toEqual({
      cardinality: 1,
      fields: ['Name'],
      leadingOperationType: 'Index',
      notes: [],
      relativeCost: expect.any(Number),
      sobjectCardinality: 10,
      sobjectType: 'Account',
    });
    expect(scan).toMatchObject({
      leadingOperationType: 'TableScan',
      cardinality: 10,
      sobjectCardinality: 10,
      fields: [],
    });
    expect(index.relativeCost).toBeLessThan(scan.relativeCost);
  });

  it('explains an unindexed filter with a TableScan and a note', async () => {
    const result = await explain("SELECT Id FROM Account WHERE Industry = 'Banking'");
    expect(result.body.plans).toHaveLength(1);
    expect(result.body.plans[0]).toMatchObject({
      leadingOperationType: 'TableScan',
      notes: [
        {
          description: 'Not considering filter for optimization because unindexed',
          tableEnumOrId: 'Account',
        },
      ],
    });
  });

  it('answers MALFORMED_QUERY for a bad query or something that is not a query', async () => {
    const bad = await explain('SELECT FROM Account');
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
    const notQuery = await explain('00O000000000001');
    expect(notQuery.status).toBe(400);
    const unknown = await explain('SELECT Id FROM Nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body[0].errorCode).toBe('INVALID_TYPE');
  });
});
