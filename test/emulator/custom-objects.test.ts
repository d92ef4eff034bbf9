import { describe, expect, it } from 'vitest';
import { createOrgFromData, exportOrgData, replaceOrgData } from '../../emulator/index.ts';
import { useTestOrg } from '../support/emulator.ts';
import { customSchemaOrgData } from './support/custom-schema-org.ts';

const org = useTestOrg({ seed: undefined, data: customSchemaOrgData() });

describe('custom objects and fields from the org data file', () => {
  it('lists the custom object in describeGlobal as custom, with a custom key prefix', async () => {
    const global = await org.api('/sobjects');
    const invoice = global.body.sobjects.find((entry: { name: string }) => entry.name === 'Invoice__c');
    expect(invoice).toMatchObject({
      custom: true,
      label: 'Invoice',
      labelPlural: 'Invoices',
      queryable: true,
    });
    expect(invoice.keyPrefix).toMatch(/^a[0-9A-Z]{2}$/);
    const account = global.body.sobjects.find((entry: { name: string }) => entry.name === 'Account');
    expect(account.custom).toBe(false);
  });

  it('describes custom fields with their types and flags, and the child relationship on the parent', async () => {
    const describe = await org.api('/sobjects/Invoice__c/describe');
    expect(describe.status).toBe(200);
    const field = (name: string) =>
      describe.body.fields.find((entry: { name: string }) => entry.name === name);
    expect(field('Number__c')).toMatchObject({
      type: 'string',
      length: 20,
      custom: true,
      externalId: true,
      unique: true,
      idLookup: true,
    });
    expect(field('Amount__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2, custom: true });
    expect(field('Account__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account__r',
    });
    expect(field('Name')).toMatchObject({ nameField: true, nillable: false, custom: false });
    expect(field('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['User'] });
    const account = await org.api('/sobjects/Account/describe');
    expect(
      account.body.fields.find((entry: { name: string }) => entry.name === 'Legacy_Id__c'),
    ).toMatchObject({
      custom: true,
      externalId: true,
    });
    expect(account.body.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'Invoice__c',
        field: 'Account__c',
        relationshipName: 'Invoices__r',
      }),
    );
  });

  it('queries custom fields, parent relationships (__r) and child subqueries', async () => {
    const query = await org.api(
      `/query?q=${encodeURIComponent(
        'SELECT Name, Amount__c, Status__c, Account__r.Name FROM Invoice__c WHERE Amount__c > 100',
      )}`,
    );
    expect(query.status).toBe(200);
    expect(query.body.records).toEqual([
      expect.objectContaining({
        Name: 'INV-1',
        Amount__c: 120.5,
        Status__c: 'Draft',
        Account__r: expect.objectContaining({ Name: 'Globex' }),
      }),
    ]);
    const children = await org.api(
      `/query?q=${encodeURIComponent("SELECT Name, (SELECT Number__c FROM Invoices__r ORDER BY Number__c) FROM Account WHERE Legacy_Id__c = 'L-1'")}`,
    );
    expect(
      children.body.records[0].Invoices__r.records.map((record: { Number__c: string }) => record.Number__c),
    ).toEqual(['N-1', 'N-2']);
  });

  it('finds custom object records with SOSL', async () => {
    const search = await org.api(
      `/search?q=${encodeURIComponent('FIND {INV-2} RETURNING Invoice__c(Name, Number__c)')}`,
    );
    expect(search.status).toBe(200);
    expect(search.body.searchRecords).toEqual([expect.objectContaining({ Name: 'INV-2', Number__c: 'N-2' })]);
  });

  it('creates, updates and deletes custom object records with defaults applied', async () => {
    const created = await org.api('/sobjects/Invoice__c', {
      method: 'POST',
      body: { Name: 'INV-3', Number__c: 'N-3', Amount__c: 10 },
    });
    expect(created.status).toBe(201);
    const read = await org.api(`/sobjects/Invoice__c/${created.body.id}`);
    expect(read.body).toMatchObject({ Name: 'INV-3', Status__c: 'Draft', Paid__c: false, Account__c: null });
    expect(read.body.attributes).toEqual({
      type: 'Invoice__c',
      url: `/services/data/v66.0/sobjects/Invoice__c/${created.body.id}`,
    });
    const updated = await org.api(`/sobjects/Invoice__c/${created.body.id}`, {
      method: 'PATCH',
      body: { Status__c: 'Sent', Paid__c: true },
    });
    expect(updated.status).toBe(204);
    expect((await org.api(`/sobjects/Invoice__c/${created.body.id}`)).body).toMatchObject({
      Status__c: 'Sent',
      Paid__c: true,
    });
    expect((await org.api(`/sobjects/Invoice__c/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses a second record with a unique value (case-insensitively) with DUPLICATE_VALUE', async () => {
    const duplicate = await org.api('/sobjects/Invoice__c', {
      method: 'POST',
      body: { Name: 'INV-dup', Number__c: 'n-1' },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toEqual([
      {
        errorCode: 'DUPLICATE_VALUE',
        message: expect.stringMatching(
          /^duplicate value found: Number__c duplicates value on record with id: a/,
        ),
        fields: [],
      },
    ]);
  });

  it('requires the Name of a custom object record and checks custom field types', async () => {
    const missing = await org.api('/sobjects/Invoice__c', { method: 'POST', body: { Number__c: 'N-9' } });
    expect(missing.status).toBe(400);
    expect(missing.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] });
    const wrongType = await org.api('/sobjects/Invoice__c', {
      method: 'POST',
      body: { Name: 'INV-x', Amount__c: 'lots' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body[0].fields).toEqual(['Amount__c']);
  });

  it('refuses custom definitions that do not hold together, naming each problem', () => {
    const data = customSchemaOrgData();
    data.customObjects = [
      { name: 'Bad', label: 'Bad' },
      {
        name: 'Ok__c',
        label: 'Ok',
        fields: [
          { name: 'Parent__c', label: 'Parent', type: 'reference', referenceTo: 'Nowhere__c' },
          { name: 'Flag__c', label: 'Flag', type: 'boolean', externalId: true },
          { name: 'Stage__c', label: 'Stage', type: 'picklist', picklistValues: ['A'], defaultValue: 'B' },
          { name: 'Owner_Account__c', label: 'Owner Account', type: 'reference', referenceTo: 'Account' },
          { name: 'Billing_Account__c', label: 'Billing Account', type: 'reference', referenceTo: 'Account' },
        ],
      },
    ];
    data.records = {};
    expect(() => createOrgFromData(data)).toThrow(/customObjects\[0\]\.name/);
    data.customObjects = [(data.customObjects as unknown[])[1]];
    let message = '';
    try {
      createOrgFromData(data);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('customObjects[0].fields[0].referenceTo: unknown object "Nowhere__c"');
    expect(message).toContain('customObjects[0].fields[1].externalId');
    expect(message).toContain('customObjects[0].fields[2].defaultValue');
    expect(message).toContain(
      'customObjects[0].fields[4].childRelationshipName: Account already has a child relationship named Oks__r',
    );
  });

  it('refuses a data file holding a unique value twice', () => {
    const data = customSchemaOrgData();
    const records = data.records as Record<string, unknown[]>;
    records.Invoice__c.push({ Name: 'INV-9', Number__c: 'n-1' });
    expect(() => createOrgFromData(data)).toThrow(/records\.Invoice__c\[\d\]\.Number__c: duplicate value/);
  });

  it('writes the custom schema back out with the data, and a running org keeps its schema', () => {
    const exported = exportOrgData(org.emulator.org);
    expect(exported.customObjects?.[0].name).toBe('Invoice__c');
    expect(exported.customFields?.Account?.[0].name).toBe('Legacy_Id__c');
    const reloaded = createOrgFromData(JSON.parse(JSON.stringify(exported)));
    expect(reloaded.schema.field('Invoice__c', 'Number__c')?.externalId).toBe(true);
    expect(() =>
      replaceOrgData(org.emulator.org, { format: 'forcefield-emulator-org', version: 1, records: {} }),
    ).toThrow(/custom objects and fields differ/);
  });
});
