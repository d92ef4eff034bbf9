import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, startTestOrg, type TestOrg } from '../support/emulator.ts';
import { customSchemaOrgData } from './support/custom-schema-org.ts';

let org: TestOrg;
let connection: jsforce.Connection;

beforeAll(async () => {
  org = await startTestOrg({ seed: undefined, data: customSchemaOrgData() });
  connection = new jsforce.Connection({ instanceUrl: org.url, accessToken: org.token, version: API_VERSION });
});

afterAll(async () => {
  await org.emulator.stop();
});

function accountsWithLegacyId(value: string) {
  return [...org.emulator.org.store.table('Account').records.values()].filter(
    (record) => record.Legacy_Id__c === value && record.IsDeleted === false,
  );
}

describe('upsert by external id', () => {
  it('creates a record when no record holds the value: 201, created true, the value stored', async () => {
    const result = await org.api('/sobjects/Account/Legacy_Id__c/L-100', {
      method: 'PATCH',
      body: { Name: 'Upserted Co' },
    });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      id: expect.stringMatching(/^001/),
      success: true,
      errors: [],
      created: true,
    });
    expect(result.headers.get('location')).toBe(`/services/data/v66.0/sobjects/Account/${result.body.id}`);
    expect(accountsWithLegacyId('L-100').map((record) => record.Name)).toEqual(['Upserted Co']);
  });

  it('updates the one record holding the value: 200, created false', async () => {
    const result = await org.api('/sobjects/Account/Legacy_Id__c/L-1', {
      method: 'PATCH',
      body: { Phone: '555-0199' },
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ id: '001000000000001AAA', success: true, errors: [], created: false });
    expect(org.emulator.org.store.get('Account', '001000000000001AAA')?.Phone).toBe('555-0199');
  });

  it('answers 300 with the URLs of every match when several records hold the value, writing nothing', async () => {
    const result = await org.api('/sobjects/Account/Legacy_Id__c/DUP', {
      method: 'PATCH',
      body: { Name: 'Which One' },
    });
    expect(result.status).toBe(300);
    const ids = accountsWithLegacyId('DUP').map((record) => record.Id);
    expect(result.body).toEqual(ids.sort().map((id) => `/services/data/v66.0/sobjects/Account/${id}`));
    expect(
      accountsWithLegacyId('DUP')
        .map((record) => record.Name)
        .sort(),
    ).toEqual(['Initech One', 'Initech Two']);
  });

  it('answers 404 NOT_FOUND for a field that is not an external id, or does not exist', async () => {
    for (const field of ['Name', 'Nope__c']) {
      const result = await org.api(`/sobjects/Account/${field}/x`, { method: 'PATCH', body: { Phone: '1' } });
      expect(result.status).toBe(404);
      expect(result.body).toEqual([
        {
          errorCode: 'NOT_FOUND',
          message: `Provided external ID field does not exist or is not accessible: ${field}`,
        },
      ]);
    }
  });

  it('with updateOnly=true answers 404 instead of creating', async () => {
    const result = await org.api('/sobjects/Account/Legacy_Id__c/L-NEW?updateOnly=true', {
      method: 'PATCH',
      body: { Name: 'Never' },
    });
    expect(result.status).toBe(404);
    expect(accountsWithLegacyId('L-NEW')).toEqual([]);
  });

  it('refuses a body whose external id differs from the URL, and answers DML errors as an update would', async () => {
    const conflicting = await org.api('/sobjects/Account/Legacy_Id__c/L-1', {
      method: 'PATCH',
      body: { Legacy_Id__c: 'L-2' },
    });
    expect(conflicting.status).toBe(400);
    expect(conflicting.body[0].errorCode).toBe('INVALID_FIELD');
    const invalid = await org.api('/sobjects/Account/Legacy_Id__c/L-1', {
      method: 'PATCH',
      body: { NoSuchField: 1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('upserts by a number external id, storing the number', async () => {
    const created = await org.api('/sobjects/Account/Erp_Number__c/42', {
      method: 'PATCH',
      body: { Name: 'Numbered' },
    });
    expect(created.status).toBe(201);
    expect(org.emulator.org.store.get('Account', created.body.id)?.Erp_Number__c).toBe(42);
    const updated = await org.api('/sobjects/Account/Erp_Number__c/42', {
      method: 'PATCH',
      body: { Phone: '1' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(created.body.id);
    const notANumber = await org.api('/sobjects/Account/Erp_Number__c/forty-two', {
      method: 'PATCH',
      body: { Name: 'x' },
    });
    expect(notANumber.status).toBe(400);
    expect(notANumber.body[0].errorCode).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
  });

  it('upserts on a custom object by its unique external id', async () => {
    const created = await org.api('/sobjects/Invoice__c/Number__c/N-50', {
      method: 'PATCH',
      body: { Name: 'INV-50', Amount__c: 50 },
    });
    expect(created.status).toBe(201);
    const updated = await org.api('/sobjects/Invoice__c/Number__c/n-50', {
      method: 'PATCH',
      body: { Amount__c: 55 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(created.body.id);
    expect(org.emulator.org.store.get('Invoice__c', created.body.id)?.Amount__c).toBe(55);
  });

  it('creates with POST …/sobjects/T/Id and updates with PATCH …/sobjects/T/Id/{id}', async () => {
    const created = await org.api('/sobjects/Account/Id', { method: 'POST', body: { Name: 'By Id Co' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^001/),
      success: true,
      errors: [],
      created: true,
    });
    const updated = await org.api(`/sobjects/Account/Id/${created.body.id}`, {
      method: 'PATCH',
      body: { Name: 'By Id Renamed' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ id: created.body.id, success: true, errors: [], created: false });
    const missing = await org.api('/sobjects/Account/Id/001000000009999', {
      method: 'PATCH',
      body: { Name: 'x' },
    });
    expect(missing.status).toBe(404);
    const notAllowed = await org.api('/sobjects/Account/Legacy_Id__c', {
      method: 'POST',
      body: { Name: 'x' },
    });
    expect(notAllowed.status).toBe(405);
  });

  it('reads by external id (GET), with 300 and 404 as for upsert', async () => {
    const found = await org.api('/sobjects/Account/Legacy_Id__c/L-1?fields=Name,Legacy_Id__c');
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      attributes: { type: 'Account', url: '/services/data/v66.0/sobjects/Account/001000000000001AAA' },
      Name: 'Globex',
      Legacy_Id__c: 'L-1',
    });
    expect((await org.api('/sobjects/Account/Legacy_Id__c/DUP')).status).toBe(300);
    const missing = await org.api('/sobjects/Account/Legacy_Id__c/none');
    expect(missing.status).toBe(404);
    expect(missing.body[0].errorCode).toBe('NOT_FOUND');
  });

  it('deletes by external id (DELETE)', async () => {
    await org.api('/sobjects/Account/Legacy_Id__c/L-DEL', { method: 'PATCH', body: { Name: 'Delete Me' } });
    expect((await org.api('/sobjects/Account/Legacy_Id__c/L-DEL', { method: 'DELETE' })).status).toBe(204);
    expect(accountsWithLegacyId('L-DEL')).toEqual([]);
    expect((await org.api('/sobjects/Account/Legacy_Id__c/L-DEL', { method: 'DELETE' })).status).toBe(404);
  });

  it('works through jsforce: one record (sObject Rows) and many (sObject Collections upsert)', async () => {
    const single = await connection
      .sobject('Account')
      .upsert({ Name: 'Jsforce One', Legacy_Id__c: 'J-1' }, 'Legacy_Id__c');
    expect(single).toMatchObject({ success: true, created: true });
    const many = await connection.sobject('Account').upsert(
      [
        { Name: 'Jsforce One Renamed', Legacy_Id__c: 'J-1' },
        { Name: 'Jsforce Two', Legacy_Id__c: 'J-2' },
        { Name: 'Ambiguous', Legacy_Id__c: 'DUP' },
      ],
      'Legacy_Id__c',
    );
    expect(many).toEqual([
      { id: (single as { id: string }).id, success: true, errors: [], created: false },
      { id: expect.stringMatching(/^001/), success: true, errors: [], created: true },
      {
        success: false,
        errors: [expect.objectContaining({ statusCode: 'DUPLICATE_EXTERNAL_ID', fields: ['Legacy_Id__c'] })],
      },
    ]);
    expect(accountsWithLegacyId('J-1').map((record) => record.Name)).toEqual(['Jsforce One Renamed']);
  });

  it('rolls a collection upsert back entirely with allOrNone when one record fails', async () => {
    const result = await org.api('/composite/sobjects/Account/Legacy_Id__c', {
      method: 'PATCH',
      body: {
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'All Or None', Legacy_Id__c: 'AON-1' },
          { attributes: { type: 'Account' }, Legacy_Id__c: 'AON-2', NoSuchField: 1 },
        ],
      },
    });
    expect(result.status).toBe(200);
    expect(result.body[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(result.body[1]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_FIELD' }] });
    expect(accountsWithLegacyId('AON-1')).toEqual([]);
  });
});
