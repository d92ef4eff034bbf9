import { describe, expect, it } from 'vitest';
import {
  compactQueryResult,
  compactSearchResult,
  measureCompaction,
  pageFromRemainder,
} from '../../../../src/agent/tools/compact/compact-pages.ts';
import { contactId, rawContact, url } from './fixtures.ts';

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
