import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

function tree(type: string, records: unknown[]) {
  return org.api(`/composite/tree/${type}`, { method: 'POST', body: { records } });
}

function count(objectName: string, where: string): Promise<number> {
  return org
    .api(`/query?q=${encodeURIComponent(`SELECT COUNT() FROM ${objectName} WHERE ${where}`)}`)
    .then((result) => result.body.totalSize);
}

describe('composite/tree', () => {
  it('creates nested trees, linking children to parents, roots first in the results', async () => {
    const result = await tree('Account', [
      {
        attributes: { type: 'Account', referenceId: 'acme' },
        Name: 'Tree Acme',
        Contacts: {
          records: [
            {
              attributes: { type: 'Contact', referenceId: 'ada' },
              LastName: 'Ada',
              Email: 'ada@tree.example',
            },
            { attributes: { type: 'Contact', referenceId: 'bob' }, LastName: 'Bob' },
          ],
        },
        Opportunities: {
          records: [
            {
              attributes: { type: 'Opportunity', referenceId: 'deal' },
              Name: 'Tree Deal',
              StageName: 'Prospecting',
              CloseDate: '2026-06-30',
            },
          ],
        },
      },
      { attributes: { type: 'Account', referenceId: 'globex' }, Name: 'Tree Globex' },
    ]);
    expect(result.status).toBe(201);
    expect(result.body.hasErrors).toBe(false);
    expect(result.body.results.map((entry: { referenceId: string }) => entry.referenceId)).toEqual([
      'acme',
      'globex',
      'ada',
      'bob',
      'deal',
    ]);
    const ids = Object.fromEntries(
      result.body.results.map((entry: { referenceId: string; id: string }) => [entry.referenceId, entry.id]),
    );
    expect(org.emulator.org.store.get('Contact', ids.ada)?.AccountId).toBe(ids.acme);
    expect(org.emulator.org.store.get('Opportunity', ids.deal)?.AccountId).toBe(ids.acme);
    expect(org.emulator.org.store.get('Account', ids.globex)?.Name).toBe('Tree Globex');
  });

  it('creates nothing when one record fails, and answers 400 naming only that record', async () => {
    const result = await tree('Account', [
      {
        attributes: { type: 'Account', referenceId: 'ok' },
        Name: 'Tree Rollback',
        Contacts: {
          records: [
            { attributes: { type: 'Contact', referenceId: 'badEmail' }, LastName: 'Bad', Email: '123' },
          ],
        },
      },
    ]);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      hasErrors: true,
      results: [
        {
          referenceId: 'badEmail',
          errors: [
            {
              statusCode: 'INVALID_EMAIL_ADDRESS',
              message: expect.stringContaining('123'),
              fields: ['Email'],
            },
          ],
        },
      ],
    });
    expect(await count('Account', "Name = 'Tree Rollback'")).toBe(0);
  });

  it('reports every instance of a duplicate referenceId and creates nothing', async () => {
    const result = await tree('Account', [
      { attributes: { type: 'Account', referenceId: 'same' }, Name: 'Tree Dup One' },
      { attributes: { type: 'Account', referenceId: 'same' }, Name: 'Tree Dup Two' },
    ]);
    expect(result.status).toBe(400);
    expect(result.body.results).toHaveLength(2);
    expect(result.body.results[0]).toMatchObject({
      referenceId: 'same',
      errors: [{ statusCode: 'INVALID_INPUT' }],
    });
    expect(await count('Account', "Name LIKE 'Tree Dup%'")).toBe(0);
  });

  it('refuses a root of another type than the URL names, and a record without a referenceId', async () => {
    const wrongType = await tree('Account', [
      { attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'X' },
    ]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.results[0]).toMatchObject({
      referenceId: 'c1',
      errors: [{ statusCode: 'INVALID_INPUT' }],
    });
    const noReference = await tree('Account', [{ attributes: { type: 'Account' }, Name: 'Tree No Ref' }]);
    expect(noReference.status).toBe(400);
    expect(await count('Account', "Name = 'Tree No Ref'")).toBe(0);
  });

  it('refuses more than 200 records in one request', async () => {
    const records = Array.from({ length: 201 }, (_, index) => ({
      attributes: { type: 'Account', referenceId: `r${index}` },
      Name: 'Tree Too Many',
    }));
    const result = await tree('Account', records);
    expect(result.status).toBe(400);
    expect(result.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(await count('Account', "Name = 'Tree Too Many'")).toBe(0);
  });

  it('answers 404 for an unknown object', async () => {
    const result = await tree('Nope', [{ attributes: { type: 'Nope', referenceId: 'n' } }]);
    expect(result.status).toBe(404);
  });
});
