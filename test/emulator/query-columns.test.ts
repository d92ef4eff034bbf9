import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg({ seed: 'demo' });

async function columns(soql: string) {
  return org.api(`/query?q=${encodeURIComponent(soql)}&columns=true`);
}

const KEYS = [
  'aggregate',
  'apexType',
  'booleanType',
  'columnName',
  'custom',
  'displayName',
  'foreignKeyName',
  'insertable',
  'joinColumns',
  'numberType',
  'textType',
  'updatable',
];

describe('GET /query?columns=true', () => {
  it('describes plain fields in Salesforce key order, with the entity and key prefix instead of rows', async () => {
    const result = await columns('SELECT Id, Name, NumberOfEmployees, AnnualRevenue FROM Account');
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual([
      'columnMetadata',
      'entityName',
      'groupBy',
      'idSelected',
      'keyPrefix',
    ]);
    expect(result.body).toMatchObject({
      entityName: 'Account',
      groupBy: false,
      idSelected: true,
      keyPrefix: '001',
    });
    const [id, name, employees, revenue] = result.body.columnMetadata;
    expect(Object.keys(id)).toEqual(KEYS);
    expect(id).toEqual({
      aggregate: false,
      apexType: 'Id',
      booleanType: false,
      columnName: 'Id',
      custom: false,
      displayName: 'Id',
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: false,
      textType: false,
      updatable: false,
    });
    expect(name).toMatchObject({
      columnName: 'Name',
      apexType: 'String',
      textType: true,
      insertable: true,
      updatable: true,
    });
    expect(employees).toMatchObject({
      columnName: 'NumberOfEmployees',
      apexType: 'Integer',
      numberType: true,
    });
    expect(revenue).toMatchObject({ columnName: 'AnnualRevenue', apexType: 'Decimal', numberType: true });
  });

  it('nests relationship fields under their relationship and subqueries as aggregate columns', async () => {
    const result = await columns(
      'SELECT Name, Owner.Name, Owner.Email, (SELECT LastName, Email FROM Contacts) FROM Account',
    );
    expect(result.status).toBe(200);
    expect(result.body.idSelected).toBe(false);
    const [, owner, contacts] = result.body.columnMetadata;
    expect(owner).toMatchObject({
      columnName: 'Owner',
      aggregate: false,
      apexType: null,
      displayName: 'Owner',
    });
    expect(owner.joinColumns.map((column: { displayName: string }) => column.displayName)).toEqual([
      'Owner.Name',
      'Owner.Email',
    ]);
    expect(owner.joinColumns[0]).toMatchObject({ columnName: 'Name', insertable: false, updatable: false });
    expect(contacts).toMatchObject({ columnName: 'Contacts', aggregate: true, displayName: 'Contacts' });
    expect(contacts.joinColumns.map((column: { columnName: string }) => column.columnName)).toEqual([
      'LastName',
      'Email',
    ]);
  });

  it('describes aggregates by their function, grouped fields by name, and COUNT() as no columns', async () => {
    const grouped = await columns(
      'SELECT Industry, COUNT(Id), MAX(AnnualRevenue) top FROM Account GROUP BY Industry',
    );
    expect(grouped.status).toBe(200);
    expect(grouped.body.groupBy).toBe(true);
    expect(grouped.body.columnMetadata).toEqual([
      expect.objectContaining({ columnName: 'Industry', aggregate: false, apexType: 'String' }),
      expect.objectContaining({
        columnName: 'expr0',
        aggregate: true,
        displayName: 'COUNT(Id)',
        apexType: 'Integer',
        numberType: true,
      }),
      expect.objectContaining({
        columnName: 'top',
        aggregate: true,
        displayName: 'MAX(AnnualRevenue)',
        apexType: 'Decimal',
      }),
    ]);
    const count = await columns('SELECT COUNT() FROM Contact');
    expect(count.status).toBe(200);
    expect(count.body).toEqual({
      columnMetadata: [],
      entityName: 'Contact',
      groupBy: false,
      idSelected: false,
      keyPrefix: '003',
    });
  });

  it('fails as the query would for an unknown field, without running it', async () => {
    const result = await columns('SELECT Nope__c FROM Account');
    expect(result.status).toBe(400);
    expect(result.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('leaves queries without columns=true untouched', async () => {
    const result = await org.api(
      `/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}&columns=false`,
    );
    expect(result.body.records).toHaveLength(1);
  });
});
