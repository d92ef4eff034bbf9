import { describe, expect, it } from 'vitest';
import {
  compactQueryResult,
  compactSearchResult,
  measureCompaction,
  pageFromRemainder,
} from '../../../../src/agent/tools/compact/compact-pages.ts';
import { truncateText } from '../../../../src/agent/tools/compact/compact-record.ts';
import { compactRecord, compactRecordText } from '../../../../src/agent/tools/compact/record-text.ts';
import { summarizeDescribe } from '../../../../src/agent/tools/compact/summarize-describe.ts';
import { executeTool } from '../../../../src/agent/tools/execute-tool.ts';
import type { AgentSalesforceClient } from '../../../../src/agent/tools/tool-catalog.ts';

const url = (type: string, id: string) => `/services/data/v66.0/sobjects/${type}/${id}`;
const contactId = (index: number) => `0038d00000000${String(index).padStart(2, '0')}AAA`;

/** A contact as Salesforce returns it from `SELECT Id, Name, Email, Phone, Title, Description, Account.Name, Account.Owner.Name, MailingAddress …`. */
function rawContact(index: number) {
  return {
    attributes: { type: 'Contact', url: url('Contact', contactId(index)) },
    Id: contactId(index),
    Name: `Person ${index}`,
    Email: `person${index}@globex.example`,
    Phone: null,
    Title: index % 2 === 0 ? 'Buyer' : null,
    Description: null,
    Account: {
      attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
      Name: 'Globex',
      Owner: { attributes: { type: 'User', url: url('User', '0058d0000000001AAA') }, Name: 'Alice Admin' },
    },
    MailingAddress: { street: null, city: 'Miami', country: 'US', geocodeAccuracy: null },
  };
}

describe('compactRecord', () => {
  it('keeps type and id, drops attributes and nulls, flattens parents and compound fields', () => {
    expect(compactRecord(rawContact(2))).toEqual({
      type: 'Contact',
      Id: '0038d0000000002AAA',
      Name: 'Person 2',
      Email: 'person2@globex.example',
      Title: 'Buyer',
      'Account.Name': 'Globex',
      'Account.Owner.Name': 'Alice Admin',
      'MailingAddress.city': 'Miami',
      'MailingAddress.country': 'US',
    });
  });

  it('recovers the id from attributes.url when Id was not selected', () => {
    expect(
      compactRecord({ attributes: { type: 'Lead', url: url('Lead', '00Q8d0000000001AAA') }, Company: 'X' }),
    ).toEqual({ type: 'Lead', Id: '00Q8d0000000001AAA', Company: 'X' });
  });

  it('truncates long text with a marker, never splitting a surrogate pair', () => {
    const long = `${'😀'.repeat(600)}`;
    const compact = compactRecord(
      { attributes: { type: 'Case' }, Description: long },
      { maxTextLength: 500 },
    );
    expect(compact.Description).toBe(`${'😀'.repeat(500)}… [truncated, 100 more characters]`);
    expect(truncateText('short', 500)).toBe('short');
  });
});

/** A contact as `GET sobjects/Contact/{id}` returns it (all fields), from the emulator's demo org (plus a postal code and a description). */
const retrievedContact = {
  attributes: { type: 'Contact', url: url('Contact', '0038d0000000003AAA') },
  Id: '0038d0000000003AAA',
  IsDeleted: false,
  CreatedDate: '2026-11-21T07:15:37.445+0000',
  CreatedById: '0058d0000000001AAA',
  LastModifiedDate: '2026-11-21T07:15:37.445+0000',
  LastModifiedById: '0058d0000000001AAA',
  SystemModstamp: '2026-11-21T07:15:37.445+0000',
  OwnerId: '0058d0000000001AAA',
  MasterRecordId: null,
  AccountId: '0018d0000000001AAA',
  LastName: 'Novak',
  FirstName: 'Ahmed',
  Salutation: null,
  Name: 'Ahmed Novak',
  OtherStreet: null,
  OtherCity: null,
  OtherState: null,
  OtherPostalCode: null,
  OtherCountry: null,
  OtherLatitude: null,
  OtherLongitude: null,
  OtherGeocodeAccuracy: null,
  OtherAddress: null,
  MailingStreet: null,
  MailingCity: 'Miami',
  MailingState: 'FL',
  MailingPostalCode: '33101',
  MailingCountry: 'United States',
  MailingLatitude: null,
  MailingLongitude: null,
  MailingGeocodeAccuracy: null,
  MailingAddress: {
    street: null,
    city: 'Miami',
    state: 'FL',
    postalCode: '33101',
    country: 'United States',
    latitude: null,
    longitude: null,
    geocodeAccuracy: null,
  },
  Phone: '(305) 555-0181',
  Fax: null,
  MobilePhone: null,
  HomePhone: null,
  OtherPhone: null,
  AssistantPhone: null,
  ReportsToId: null,
  Email: 'ahmed.novak@harborviewhotels.example',
  Title: 'Senior Buyer',
  Department: 'Procurement',
  AssistantName: null,
  LeadSource: 'Partner Referral',
  Birthdate: null,
  Description: 'First line\nsecond line',
  HasOptedOutOfEmail: false,
  DoNotCall: false,
  HasOptedOutOfFax: false,
  LastActivityDate: null,
  LastCURequestDate: null,
  LastCUUpdateDate: null,
  LastViewedDate: '2026-11-21T08:00:00.000+0000',
  LastReferencedDate: '2026-11-21T08:00:00.000+0000',
  EmailBouncedReason: null,
  EmailBouncedDate: null,
  IsEmailBounced: false,
};

describe('compactRecordText (the single-record form)', () => {
  it('is `Type Id Name`, then Field=value lines: no nulls, audit fields or repeated address', () => {
    expect(compactRecordText(retrievedContact)).toBe(
      [
        'Contact 0038d0000000003AAA Ahmed Novak',
        'CreatedDate=2026-11-21T07:15:37.445Z',
        'LastModifiedDate=2026-11-21T07:15:37.445Z',
        'OwnerId=0058d0000000001AAA',
        'AccountId=0018d0000000001AAA',
        'LastName=Novak',
        'FirstName=Ahmed',
        'MailingCity=Miami',
        'MailingState=FL',
        'MailingPostalCode="33101"',
        'MailingCountry=United States',
        'Phone=(305) 555-0181',
        'Email=ahmed.novak@harborviewhotels.example',
        'Title=Senior Buyer',
        'Department=Procurement',
        'LeadSource=Partner Referral',
        'Description="First line\\nsecond line"',
        'HasOptedOutOfEmail=false',
        'DoNotCall=false',
        'HasOptedOutOfFax=false',
        'IsEmailBounced=false',
      ].join('\n'),
    );
    expect(
      measureCompaction(retrievedContact, compactRecordText(retrievedContact)).ratio,
    ).toBeLessThanOrEqual(0.4);
  });

  it('keeps audit fields the caller asked for by name, and an address whose parts were not returned', () => {
    const text = compactRecordText(
      {
        attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
        CreatedById: '0058d0000000001AAA',
        BillingAddress: { city: 'Miami', country: 'US' },
      },
      { requestedFields: ['createdbyid', 'BillingAddress'] },
    );
    expect(text).toBe(
      'Account 0018d0000000001AAA\nCreatedById=0058d0000000001AAA\nBillingAddress.city=Miami\nBillingAddress.country=US',
    );
  });

  it('quotes only values plain text would misread', () => {
    const text = compactRecordText({
      attributes: { type: 'Case', url: url('Case', '5008d0000000001AAA') },
      Subject: ' padded',
      Origin: '',
      Comments: 'true',
      Reason: '"quoted"',
      Priority: 'High',
      Amount__c: 12.5,
    });
    expect(text.split('\n').slice(1)).toEqual([
      'Subject=" padded"',
      'Origin=""',
      'Comments="true"',
      'Reason="\\"quoted\\""',
      'Priority=High',
      'Amount__c=12.5',
    ]);
  });
});

describe('tool results in the record form', () => {
  const client = (search: unknown, record: unknown) =>
    ({
      search: async () => search,
      retrieve: async () => record,
    }) as unknown as AgentSalesforceClient;
  const environment = (search: unknown, record: unknown = {}) => ({
    client: client(search, record),
    keepRemainder: () => 'cursor',
    takeRemainder: () => undefined,
  });
  const oneAccount = {
    searchRecords: [
      {
        attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
        Id: '0018d0000000001AAA',
        Name: 'Harborview Hospitality',
        Industry: 'Hospitality',
        BillingCity: 'Miami',
      },
    ],
  };

  it('a search that finds one record answers with the record, within 40% of the raw bytes', async () => {
    const execution = await executeTool('search_records', { term: 'Harborview' }, environment(oneAccount));
    expect(execution).toMatchObject({
      kind: 'ok',
      output: 'Account 0018d0000000001AAA Harborview Hospitality\nIndustry=Hospitality\nBillingCity=Miami',
      recordIds: ['0018d0000000001AAA'],
    });
    expect(
      execution.kind === 'ok' && (execution.contextBytes ?? 0) / (execution.rawBytes ?? 1),
    ).toBeLessThanOrEqual(0.4);
    // Two records: the table form.
    const two = {
      searchRecords: [
        oneAccount.searchRecords[0],
        { ...oneAccount.searchRecords[0], Id: '0018d0000000002AAA' },
      ],
    };
    const table = await executeTool('search_records', { term: 'Harborview' }, environment(two));
    expect(table.output).toMatchObject({ ok: true, returned: 2 });
  });

  it('get_record answers with the record form', async () => {
    const execution = await executeTool(
      'get_record',
      { objectType: 'Contact', id: '0038d0000000003AAA' },
      environment({}, retrievedContact),
    );
    expect(execution.kind).toBe('ok');
    expect(String(execution.output).startsWith('Contact 0038d0000000003AAA Ahmed Novak\n')).toBe(true);
    expect(execution.recordIds).toEqual(['0038d0000000003AAA']);
  });
});

describe('compactQueryResult', () => {
  it('puts the shared type once, and caps child subquery rows', () => {
    const raw = {
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
          Id: '0018d0000000001AAA',
          Name: 'Globex',
          Contacts: {
            totalSize: 12,
            done: true,
            records: Array.from({ length: 12 }, (_, index) => ({
              attributes: { type: 'Contact', url: url('Contact', contactId(index)) },
              LastName: `L${index}`,
            })),
          },
          Opportunities: null,
        },
      ],
    };
    const { page, remainder } = compactQueryResult(raw, { maxChildRecords: 2 });
    expect(remainder).toBeNull();
    expect(page).toEqual({
      object: 'Account',
      totalSize: 1,
      returned: 1,
      fields: ['Id', 'Name', 'Contacts'],
      childFields: { Contacts: ['Id', 'LastName'] },
      rows: [
        [
          '0018d0000000001AAA',
          'Globex',
          {
            total: 12,
            rows: [
              [contactId(0), 'L0'],
              [contactId(1), 'L1'],
            ],
          },
        ],
      ],
    });
    // Not capped: the child rows alone.
    expect(compactQueryResult(raw, { maxChildRecords: 20 }).page.rows[0]?.[2]).toHaveLength(12);
  });

  it('writes field names once, and null only to hold a place in a row', () => {
    const raw = { totalSize: 3, done: true, records: [rawContact(1), rawContact(2), rawContact(3)] };
    const { page } = compactQueryResult(raw);
    expect(page.fields).toEqual([
      'Id',
      'Name',
      'Email',
      'Account.Name',
      'Account.Owner.Name',
      'MailingAddress.city',
      'MailingAddress.country',
      'Title',
    ]);
    expect(page.fields).not.toContain('Phone'); // null on every record
    expect(page.rows[0]).toEqual([
      contactId(1),
      'Person 1',
      'person1@globex.example',
      'Globex',
      'Alice Admin',
      'Miami',
      'US',
      null,
    ]);
    expect(page.rows[1]?.[7]).toBe('Buyer');
  });

  it('shortens datetimes losslessly and drops bookkeeping fields', () => {
    const raw = {
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Task', url: url('Task', '00T8d0000000001AAA') },
          CreatedDate: '2026-03-02T10:00:00.000+0000',
          ReminderDateTime: '2026-03-02T10:00:00.250+0000',
          ActivityDate: '2026-03-05',
          SystemModstamp: '2026-03-02T10:00:00.000+0000',
        },
      ],
    };
    expect(compactQueryResult(raw).page).toMatchObject({
      fields: ['Id', 'CreatedDate', 'ReminderDateTime', 'ActivityDate'],
      rows: [['00T8d0000000001AAA', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00.250Z', '2026-03-05']],
    });
  });

  it('drops the audit and system columns of a wide page unless the query named them', () => {
    const wide = (index: number) => ({
      attributes: { type: 'Opportunity', url: url('Opportunity', `0068d00000000${index}0AAA`) },
      Id: `0068d00000000${index}0AAA`,
      IsDeleted: false,
      CreatedDate: '2026-03-02T10:00:00.000+0000',
      CreatedById: '0058d0000000001AAA',
      LastModifiedById: '0058d0000000002AAA',
      SystemModstamp: '2026-03-02T10:00:00.000+0000',
      OwnerId: '0058d0000000001AAA',
      Name: `Deal ${index}`,
      LastViewedDate: '2026-03-03T10:00:00.000+0000',
      LastReferencedDate: null,
      Contacts: {
        totalSize: 1,
        done: true,
        records: [
          {
            attributes: { type: 'Contact', url: url('Contact', contactId(index)) },
            Id: contactId(index),
            CreatedById: '0058d0000000003AAA',
          },
        ],
      },
    });
    const raw = { totalSize: 2, done: true, records: [wide(1), wide(2)] };
    // FIELDS(ALL) names no field: the system columns go, in children too; CreatedDate and OwnerId stay.
    const all = compactQueryResult(raw).page;
    expect(all.fields).toEqual(['Id', 'CreatedDate', 'OwnerId', 'Name', 'Contacts']);
    expect(all.childFields).toEqual({ Contacts: ['Id'] });
    // Named (in any case), they stay; unnamed ones still go.
    const named = compactQueryResult(raw, { requestedFields: ['createdbyid', 'IsDeleted'] }).page;
    expect(named.fields).toEqual([
      'Id',
      'IsDeleted',
      'CreatedDate',
      'CreatedById',
      'OwnerId',
      'Name',
      'Contacts',
    ]);
    expect(named.rows[0]).toEqual([
      '0068d0000000010AAA',
      false,
      '2026-03-02T10:00:00Z',
      '0058d0000000001AAA',
      '0058d0000000001AAA',
      'Deal 1',
      [['0038d0000000001AAA', '0058d0000000003AAA']],
    ]);
    // The batches behind nextRecordsUrl are compacted with the same names.
    const more = compactQueryResult(
      { ...raw, done: false, nextRecordsUrl: '/services/data/v66.0/query/01g-2000' },
      { requestedFields: ['CreatedById'], createCursor: () => 'c' },
    );
    expect(more.remainder?.requestedFields).toEqual(['CreatedById']);
  });

  it('query_records keeps a system field the query selects by name, not under FIELDS(ALL)', async () => {
    const raw = {
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
          Id: '0018d0000000001AAA',
          Name: 'Harborview',
          CreatedById: '0058d0000000001AAA',
          LastModifiedById: '0058d0000000002AAA',
        },
      ],
    };
    const environment = {
      client: { query: async () => raw } as unknown as AgentSalesforceClient,
      keepRemainder: () => 'cursor',
      takeRemainder: () => undefined,
    };
    const named = await executeTool(
      'query_records',
      { soql: 'SELECT Id, Name, CreatedById, LastModifiedById FROM Account' },
      environment,
    );
    expect(named.output).toMatchObject({ fields: ['Id', 'Name', 'CreatedById', 'LastModifiedById'] });
    const filtered = await executeTool(
      'query_records',
      { soql: "SELECT FIELDS(ALL) FROM Account WHERE CreatedById = '0058d0000000001AAA'" },
      environment,
    );
    expect(filtered.output).toMatchObject({ fields: ['Id', 'Name', 'CreatedById'] });
    const all = await executeTool('query_records', { soql: 'SELECT FIELDS(ALL) FROM Account' }, environment);
    expect(all.output).toMatchObject({ fields: ['Id', 'Name'] });
  });

  it('pages: a cursor and a remainder, then the rest from the remainder', () => {
    const raw = {
      totalSize: 60,
      done: true,
      records: Array.from({ length: 60 }, (_, index) => rawContact(index)),
    };
    let cursors = 0;
    const createCursor = () => `cur_${++cursors}`;
    const first = compactQueryResult(raw, { pageSize: 25, createCursor });
    expect(first.page.returned).toBe(25);
    expect(first.page.more).toEqual({ remaining: 35, cursor: 'cur_1' });
    expect(first.remainder?.records).toHaveLength(35);
    expect(first.remainder?.shown).toBe(25);

    const second = pageFromRemainder(first.remainder!, { pageSize: 25, createCursor });
    expect('rows' in second.page && second.page.rows[0]?.[0]).toBe(contactId(25));
    expect(second.page.more).toEqual({ remaining: 10, cursor: 'cur_2' });
    const third = pageFromRemainder(second.remainder!, { pageSize: 25, createCursor });
    expect(third.page.returned).toBe(10);
    expect(third.page.more).toBeUndefined();
    expect(third.remainder).toBeNull();
  });

  it('counts rows Salesforce has not sent yet, and keeps its locator', () => {
    const raw = {
      totalSize: 4500,
      done: false,
      nextRecordsUrl: '/services/data/v66.0/query/01g8d0000000001AAA-2000',
      records: Array.from({ length: 30 }, (_, index) => rawContact(index)),
    };
    const { page, remainder } = compactQueryResult(raw, { pageSize: 25, createCursor: () => 'c' });
    expect(page.more).toEqual({ remaining: 4475, cursor: 'c' });
    expect(remainder?.nextRecordsUrl).toBe('/services/data/v66.0/query/01g8d0000000001AAA-2000');
  });

  it('stops a page early when it would exceed the byte budget (but shows at least one record)', () => {
    const raw = {
      totalSize: 5,
      done: true,
      records: Array.from({ length: 5 }, (_, index) => ({
        attributes: { type: 'Case', url: url('Case', `5008d00000000${index}0AAA`) },
        Description: 'x'.repeat(400),
      })),
    };
    const { page } = compactQueryResult(raw, { maxPageBytes: 1000, createCursor: () => 'c' });
    expect(page.returned).toBe(2);
    const tiny = compactQueryResult(raw, { maxPageBytes: 10, createCursor: () => 'c' });
    expect(tiny.page.returned).toBe(1);
  });

  it('passes a COUNT() result through as a number', () => {
    expect(compactQueryResult({ totalSize: 41, done: true, records: [] }).page).toEqual({
      totalSize: 41,
      returned: 0,
      fields: [],
      rows: [],
    });
  });

  it('demands a cursor maker only when there is more', () => {
    const raw = {
      totalSize: 30,
      done: true,
      records: Array.from({ length: 30 }, (_, index) => rawContact(index)),
    };
    expect(() => compactQueryResult(raw)).toThrow(/createCursor/);
  });

  it('is at most 40% of the raw bytes for a typical contact query', () => {
    const raw = {
      totalSize: 20,
      done: true,
      records: Array.from({ length: 20 }, (_, index) => rawContact(index)),
    };
    const { page } = compactQueryResult(raw);
    const measured = measureCompaction(raw, page);
    expect(measured.ratio).toBeLessThanOrEqual(0.4);
    expect(measured.compactBytes).toBe(Buffer.byteLength(JSON.stringify(page)));
  });
});

describe('compactSearchResult', () => {
  it('keeps each record’s type: a table per object', () => {
    const raw = {
      searchRecords: [
        {
          attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
          Id: '0018d0000000001AAA',
          Name: 'Globex',
        },
        {
          attributes: { type: 'Contact', url: url('Contact', contactId(1)) },
          Id: contactId(1),
          Name: 'Ann',
          Email: null,
        },
      ],
    };
    expect(compactSearchResult(raw).page).toEqual({
      returned: 2,
      results: [
        { object: 'Account', fields: ['Id', 'Name'], rows: [['0018d0000000001AAA', 'Globex']] },
        { object: 'Contact', fields: ['Id', 'Name'], rows: [[contactId(1), 'Ann']] },
      ],
    });
  });
});

describe('summarizeDescribe', () => {
  it('keeps names, types, flags, required fields and active picklist values', () => {
    const raw = {
      name: 'Opportunity',
      label: 'Opportunity',
      createable: true,
      updateable: true,
      deletable: false,
      urls: { sobject: '/services/data/v66.0/sobjects/Opportunity' },
      fields: [
        {
          name: 'Id',
          label: 'Opportunity ID',
          type: 'id',
          nillable: false,
          createable: false,
          updateable: false,
          defaultedOnCreate: true,
          picklistValues: [],
        },
        {
          name: 'Name',
          label: 'Name',
          type: 'string',
          length: 120,
          nillable: false,
          createable: true,
          updateable: true,
          defaultedOnCreate: false,
          picklistValues: [],
        },
        {
          name: 'StageName',
          label: 'Stage',
          type: 'picklist',
          nillable: false,
          createable: true,
          updateable: true,
          defaultedOnCreate: false,
          picklistValues: [
            { active: true, defaultValue: false, label: 'Prospecting', value: 'Prospecting', validFor: null },
            { active: false, defaultValue: false, label: 'Old', value: 'Old', validFor: null },
            { active: true, defaultValue: false, label: 'Closed Won', value: 'Closed Won', validFor: null },
          ],
        },
        {
          name: 'AccountId',
          label: 'Account ID',
          type: 'reference',
          referenceTo: ['Account'],
          nillable: true,
          createable: true,
          updateable: false,
          defaultedOnCreate: false,
          picklistValues: [],
        },
        {
          name: 'IsWon',
          label: 'Won',
          type: 'boolean',
          nillable: false,
          createable: false,
          updateable: false,
          defaultedOnCreate: true,
          picklistValues: [],
        },
      ],
    };
    expect(summarizeDescribe(raw, { maxPicklistValues: 1 })).toEqual({
      name: 'Opportunity',
      label: 'Opportunity',
      createable: true,
      updateable: true,
      deletable: false,
      requiredOnCreate: ['Name', 'StageName'],
      fields: [
        { name: 'Id', type: 'id', label: 'Opportunity ID', readOnly: true },
        { name: 'Name', type: 'string', required: true, length: 120 },
        {
          name: 'StageName',
          type: 'picklist',
          label: 'Stage',
          required: true,
          picklist: ['Prospecting'],
          morePicklistValues: 1,
        },
        { name: 'AccountId', type: 'reference', createOnly: true, referenceTo: ['Account'] },
        { name: 'IsWon', type: 'boolean', label: 'Won', readOnly: true },
      ],
    });
  });
});
