import { describe, expect, it } from 'vitest';
import {
  buildRecordSearch,
  normalizeSearchResults,
  soslSearchExpression,
} from '../../src/meetings/record-search.ts';

describe('buildRecordSearch', () => {
  it('builds one SOSL search across the five objects with the fields a person needs', () => {
    const plan = buildRecordSearch('  Globex  ');
    expect(plan).toEqual({
      ok: true,
      objects: ['Opportunity', 'Contact', 'Lead', 'Account', 'Case'],
      sosl:
        'FIND {Globex*} IN ALL FIELDS RETURNING ' +
        'Opportunity(Id, Name, Account.Name, StageName, CloseDate, Amount, Owner.Name LIMIT 5), ' +
        'Contact(Id, Name, Account.Name, Title, Email LIMIT 5), ' +
        'Lead(Id, Name, Company, Status, Email WHERE IsConverted = false LIMIT 5), ' +
        'Account(Id, Name, Industry, Website, Owner.Name LIMIT 5), ' +
        'Case(Id, CaseNumber, Subject, Status, Account.Name LIMIT 5)',
    });
  });

  it('cannot be broken out of: braces, quotes and operators are literal', () => {
    const plan = buildRecordSearch('} RETURNING User(Id) {');
    expect(plan.ok && plan.sosl.startsWith('FIND {\\} RETURNING User\\(Id\\) \\{} IN ALL FIELDS')).toBe(true);
    expect(soslSearchExpression('Salt and Pepper')).toBe('Salt "and" Pepper*');
    expect(soslSearchExpression('smith-jones OR')).toBe('smith\\-jones "OR"');
    expect(soslSearchExpression("O'Brien")).toBe("O\\'Brien*");
    expect(soslSearchExpression('Dana L')).toBe('Dana L');
  });

  it('answers short, empty and overlong terms without a query', () => {
    for (const term of ['', '   ', 'a', ' é ', '\n*\t']) {
      const plan = buildRecordSearch(term);
      expect(plan.ok).toBe(false);
      if (!plan.ok && term.trim().length < 2) expect(plan.code).toBe('term_too_short');
    }
    expect(buildRecordSearch('ab').ok).toBe(true);
    expect(buildRecordSearch('x'.repeat(201))).toMatchObject({ ok: false, code: 'term_too_long' });
  });

  it('limits rows per object within bounds', () => {
    const plan = buildRecordSearch('Globex', { limitPerObject: 500 });
    expect(plan.ok && plan.sosl.match(/LIMIT 50\)/g)?.length).toBe(5);
  });

  it('leaves out objects and fields the profile cannot read', () => {
    // Dave's profile: no Case, no Opportunity.Amount.
    const plan = buildRecordSearch('Globex', {
      readable: {
        Opportunity: ['Id', 'Name', 'AccountId', 'StageName', 'CloseDate', 'OwnerId'],
        Contact: ['Id', 'Name', 'AccountId', 'Title', 'Email'],
        Lead: ['Id', 'Name', 'Company', 'Status', 'Email'],
        Account: ['Id', 'Name', 'Industry', 'Website', 'OwnerId'],
      },
    });
    expect(plan.ok && plan.objects).toEqual(['Opportunity', 'Contact', 'Lead', 'Account']);
    expect(plan.ok && plan.sosl).toContain(
      'Opportunity(Id, Name, Account.Name, StageName, CloseDate, Owner.Name LIMIT 5)',
    );
    expect(plan.ok && plan.sosl).not.toContain('Case(');
    // Without Account, no relationship leads to it (Salesforce would answer INVALID_FIELD).
    const withoutAccount = buildRecordSearch('Globex', {
      readable: { Contact: ['Id', 'Name', 'AccountId', 'Title', 'Email', 'OwnerId'] },
    });
    expect(withoutAccount.ok && withoutAccount.sosl).toContain('Contact(Id, Name, Title, Email LIMIT 5)');
    expect(buildRecordSearch('Globex', { readable: {} })).toMatchObject({
      ok: false,
      code: 'nothing_searchable',
    });
  });
});

describe('normalizeSearchResults', () => {
  it('turns searchRecords into uniform rows', () => {
    const rows = normalizeSearchResults([
      {
        attributes: {
          type: 'Opportunity',
          url: '/services/data/v66.0/sobjects/Opportunity/0068d0000000001AAA',
        },
        Id: '0068d0000000001AAA',
        Name: 'Globex - Enterprise License',
        Account: { attributes: { type: 'Account', url: '/x' }, Name: 'Globex' },
        StageName: 'Negotiation/Review',
        CloseDate: '2027-02-14',
        Amount: 120000,
        Owner: { attributes: { type: 'User', url: '/y' }, Name: 'Alice Admin' },
      },
      {
        attributes: { type: 'Contact', url: '/c' },
        Id: '0038d0000000001AAA',
        Name: 'Dana Lee',
        Account: null,
        Title: 'VP Operations',
        Email: 'dana@globex.example',
      },
      {
        attributes: { type: 'Case', url: '/k' },
        Id: '5008d0000000001AAA',
        CaseNumber: '00001042',
        Subject: 'Login fails after SSO change',
        Status: 'New',
        Account: { attributes: { type: 'Account', url: '/x' }, Name: 'Globex' },
      },
      {
        attributes: { type: 'Lead', url: '/l' },
        Id: '00Q8d0000000001EAA',
        Name: 'Sam Ortiz',
        Company: 'Initech',
        Status: 'Open - Not Contacted',
        Email: null,
      },
      {
        attributes: { type: 'Account', url: '/a' },
        Id: '0018d0000000001AAA',
        Name: 'Globex',
        Industry: null,
        Website: 'globex.example',
      },
      { attributes: { type: 'User', url: '/u' }, Id: '0058d0000000001AAA', Name: 'Alice' },
      null,
    ]);
    expect(rows).toEqual([
      {
        type: 'Opportunity',
        id: '0068d0000000001AAA',
        title: 'Globex - Enterprise License',
        subtitle: 'Globex · Negotiation/Review · closes 2027-02-14',
        fields: [
          { name: 'Name', label: 'Name', value: 'Globex - Enterprise License' },
          { name: 'Account.Name', label: 'Account', value: 'Globex' },
          { name: 'StageName', label: 'Stage', value: 'Negotiation/Review' },
          { name: 'CloseDate', label: 'Close date', value: '2027-02-14' },
          { name: 'Amount', label: 'Amount', value: 120000 },
          { name: 'Owner.Name', label: 'Owner', value: 'Alice Admin' },
        ],
      },
      {
        type: 'Contact',
        id: '0038d0000000001AAA',
        title: 'Dana Lee',
        subtitle: 'VP Operations · dana@globex.example',
        fields: [
          { name: 'Name', label: 'Name', value: 'Dana Lee' },
          { name: 'Account.Name', label: 'Account', value: null },
          { name: 'Title', label: 'Title', value: 'VP Operations' },
          { name: 'Email', label: 'Email', value: 'dana@globex.example' },
        ],
      },
      {
        type: 'Case',
        id: '5008d0000000001AAA',
        title: 'Case 00001042: Login fails after SSO change',
        subtitle: 'New · Globex',
        fields: [
          { name: 'CaseNumber', label: 'Case number', value: '00001042' },
          { name: 'Subject', label: 'Subject', value: 'Login fails after SSO change' },
          { name: 'Status', label: 'Status', value: 'New' },
          { name: 'Account.Name', label: 'Account', value: 'Globex' },
        ],
      },
      expect.objectContaining({
        type: 'Lead',
        title: 'Sam Ortiz',
        subtitle: 'Initech · Open - Not Contacted',
      }),
      expect.objectContaining({ type: 'Account', title: 'Globex', subtitle: 'globex.example' }),
    ]);
  });

  it('leaves out fields a restricted profile did not get', () => {
    const [row] = normalizeSearchResults([
      {
        attributes: { type: 'Opportunity' },
        Id: '0068d0000000001AAA',
        Name: 'Deal',
        StageName: 'Prospecting',
      },
    ]);
    expect(row.fields.map((entry) => entry.name)).toEqual(['Name', 'StageName']);
  });
});
