import { describe, expect, it } from 'vitest';
import { rankSuggestions } from '../../src/meetings/suggestion-ranking.ts';
import {
  accountIdsOf,
  buildAccountLookup,
  buildParticipantLookup,
  collectSuggestionResults,
  emptySuggestionResults,
  externalEmails,
  type SuggestionResults,
} from '../../src/meetings/suggestions.ts';
import { sampleMeeting } from './fixtures.ts';

const NOW = new Date('2027-02-01T16:00:00Z');
const GLOBEX = '0018d0000000001AAA';
const INITECH = '0018d0000000002AAA';

const attributes = (type: string, id: string) => ({
  type,
  url: `/services/data/v66.0/sobjects/${type}/${id}`,
});
const account = (name: string) => ({ attributes: attributes('Account', ''), Name: name });

function decodedQueries(body: { compositeRequest: Array<{ url: string; referenceId: string }> }) {
  return Object.fromEntries(
    body.compositeRequest.map((request) => [
      request.referenceId,
      decodeURIComponent(request.url.replace('/services/data/v66.0/query?q=', '')),
    ]),
  );
}

describe('suggestion lookups', () => {
  it("takes the external participants' emails, lower-cased, once each", () => {
    const meeting = sampleMeeting();
    expect(
      externalEmails([...meeting.participants, { email: 'dana@globex.example ', internal: false }]),
    ).toEqual(['dana@globex.example', 'sam@initech.example']);
    expect(externalEmails([{ email: 'alice@acme.demo', internal: true }])).toEqual([]);
  });

  it('call 1: contacts and unconverted leads by email, in one composite', () => {
    const body = buildParticipantLookup(['dana@globex.example', "o'neil@initech.example"], {
      apiVersion: '66.0',
    });
    expect(body?.allOrNone).toBe(false);
    expect(body?.compositeRequest.every((request) => request.method === 'GET')).toBe(true);
    expect(decodedQueries(body!)).toEqual({
      contacts:
        'SELECT Id, Name, Account.Name, Title, Email, AccountId, LastActivityDate, LastModifiedDate FROM Contact ' +
        "WHERE Email IN ('dana@globex.example', 'o\\'neil@initech.example') ORDER BY LastModifiedDate DESC LIMIT 100",
      leads:
        'SELECT Id, Name, Company, Status, Email, LastActivityDate, LastModifiedDate FROM Lead ' +
        "WHERE Email IN ('dana@globex.example', 'o\\'neil@initech.example') AND IsConverted = false " +
        'ORDER BY LastModifiedDate DESC LIMIT 100',
    });
    expect(buildParticipantLookup([], { apiVersion: '66.0' })).toBeNull();
  });

  it('call 2: the accounts, their open opportunities and open cases, in one composite', () => {
    const body = buildAccountLookup([GLOBEX, INITECH, GLOBEX], { apiVersion: '66.0' });
    const queries = decodedQueries(body!);
    expect(Object.keys(queries)).toEqual(['accounts', 'opportunities', 'cases']);
    expect(queries.accounts).toBe(
      'SELECT Id, Name, Industry, Website, Owner.Name, LastActivityDate, LastModifiedDate FROM Account ' +
        `WHERE Id IN ('${GLOBEX}', '${INITECH}')`,
    );
    expect(queries.opportunities).toContain(
      `FROM Opportunity WHERE AccountId IN ('${GLOBEX}', '${INITECH}') AND IsClosed = false`,
    );
    expect(queries.cases).toContain(
      `FROM Case WHERE AccountId IN ('${GLOBEX}', '${INITECH}') AND IsClosed = false`,
    );
    expect(buildAccountLookup([], { apiVersion: '66.0' })).toBeNull();
  });

  it('skips objects and fields the profile cannot read', () => {
    const body = buildAccountLookup([GLOBEX], {
      apiVersion: '66.0',
      readable: {
        Account: ['Id', 'Name', 'Industry', 'Website', 'OwnerId', 'LastActivityDate'],
        Opportunity: ['Id', 'Name', 'AccountId', 'StageName', 'CloseDate', 'OwnerId', 'LastActivityDate'],
      },
    });
    const queries = decodedQueries(body!);
    expect(Object.keys(queries)).toEqual(['accounts', 'opportunities']);
    expect(queries.opportunities).not.toContain('Amount');
  });

  it('collects records and refused subrequests from composite responses', () => {
    const results = emptySuggestionResults();
    collectSuggestionResults(results, {
      compositeResponse: [
        {
          referenceId: 'contacts',
          httpStatusCode: 200,
          body: {
            totalSize: 1,
            done: true,
            records: [{ attributes: attributes('Contact', 'c'), Id: 'c', AccountId: GLOBEX }],
          },
        },
        {
          referenceId: 'leads',
          httpStatusCode: 400,
          body: [{ errorCode: 'INVALID_TYPE', message: "sObject type 'Lead' is not supported." }],
        },
      ],
    });
    expect(results.contacts).toHaveLength(1);
    expect(results.problems).toEqual([
      { referenceId: 'leads', errorCode: 'INVALID_TYPE', message: "sObject type 'Lead' is not supported." },
    ]);
    expect(accountIdsOf(results)).toEqual([GLOBEX]);
  });
});

function fixtureResults(): SuggestionResults {
  return {
    contacts: [
      {
        attributes: attributes('Contact', '0038d0000000001AAA'),
        Id: '0038d0000000001AAA',
        Name: 'Dana Lee',
        Account: account('Globex'),
        Title: 'VP Operations',
        Email: 'dana@globex.example',
        AccountId: GLOBEX,
        LastActivityDate: '2027-01-20',
        LastModifiedDate: '2027-01-10T09:00:00.000+0000',
      },
      {
        attributes: attributes('Contact', '0038d0000000002AAA'),
        Id: '0038d0000000002AAA',
        Name: 'Lee Park',
        Account: account('Initech'),
        Title: null,
        Email: 'lee@initech.example',
        AccountId: INITECH,
        LastActivityDate: null,
        LastModifiedDate: '2026-12-01T09:00:00.000+0000',
      },
    ],
    leads: [
      {
        attributes: attributes('Lead', '00Q8d0000000001EAA'),
        Id: '00Q8d0000000001EAA',
        Name: 'Sam Ortiz',
        Company: 'Hooli',
        Status: 'Working - Contacted',
        Email: 'sam@hooli.example',
        LastActivityDate: null,
        LastModifiedDate: '2027-01-30T09:00:00.000+0000',
      },
    ],
    accounts: [
      {
        attributes: attributes('Account', GLOBEX),
        Id: GLOBEX,
        Name: 'Globex',
        Industry: 'Manufacturing',
        Website: 'globex.example',
        Owner: { Name: 'Alice Admin' },
      },
      {
        attributes: attributes('Account', INITECH),
        Id: INITECH,
        Name: 'Initech',
        Industry: 'Technology',
        Website: null,
        Owner: { Name: 'Bob Seller' },
      },
    ],
    opportunities: [
      {
        attributes: attributes('Opportunity', '0068d0000000003AAA'),
        Id: '0068d0000000003AAA',
        Name: 'Initech - Add-on',
        Account: account('Initech'),
        AccountId: INITECH,
        StageName: 'Qualification',
        CloseDate: '2027-05-30',
        IsClosed: false,
        LastModifiedDate: '2027-01-31T09:00:00.000+0000',
      },
      {
        attributes: attributes('Opportunity', '0068d0000000001AAA'),
        Id: '0068d0000000001AAA',
        Name: 'Globex - Enterprise License',
        Account: account('Globex'),
        AccountId: GLOBEX,
        StageName: 'Negotiation/Review',
        CloseDate: '2027-02-14',
        Amount: 120000,
        IsClosed: false,
        LastActivityDate: '2027-01-20',
        LastModifiedDate: '2027-01-10T09:00:00.000+0000',
      },
      {
        attributes: attributes('Opportunity', '0068d0000000002AAA'),
        Id: '0068d0000000002AAA',
        Name: 'Globex - Services',
        Account: account('Globex'),
        AccountId: GLOBEX,
        StageName: 'Proposal/Price Quote',
        CloseDate: '2027-01-19',
        IsClosed: false,
        LastModifiedDate: '2026-12-01T09:00:00.000+0000',
      },
    ],
    cases: [
      {
        attributes: attributes('Case', '5008d0000000001AAA'),
        Id: '5008d0000000001AAA',
        CaseNumber: '00001042',
        Subject: 'Login fails after SSO change',
        Status: 'New',
        Account: account('Globex'),
        AccountId: GLOBEX,
        IsClosed: false,
        LastModifiedDate: '2027-01-29T09:00:00.000+0000',
      },
    ],
    problems: [],
  };
}

describe('rankSuggestions', () => {
  it('puts the active opportunity first, with a reason for every suggestion', () => {
    const ranked = rankSuggestions(fixtureResults(), NOW);
    expect(ranked.map((entry) => [entry.type, entry.title, entry.reason, entry.preferred])).toEqual([
      [
        'Opportunity',
        'Globex - Enterprise License',
        "Dana Lee (dana@globex.example) is a contact at Globex; this is Globex's open opportunity closing 2027-02-14",
        true,
      ],
      [
        'Opportunity',
        'Globex - Services',
        'Another open opportunity at Globex, whose close date 2027-01-19 has passed (Dana Lee (dana@globex.example) is a contact there)',
        false,
      ],
      [
        'Opportunity',
        'Initech - Add-on',
        'Another open opportunity at Initech, closing 2027-05-30 (Lee Park (lee@initech.example) is a contact there)',
        false,
      ],
      [
        'Contact',
        'Dana Lee',
        'Dana Lee (dana@globex.example) took part in the meeting and is a contact at Globex',
        false,
      ],
      [
        'Contact',
        'Lee Park',
        'Lee Park (lee@initech.example) took part in the meeting and is a contact at Initech',
        false,
      ],
      [
        'Lead',
        'Sam Ortiz',
        'Sam Ortiz (sam@hooli.example) took part in the meeting and is a lead from Hooli (Working - Contacted)',
        false,
      ],
      ['Account', 'Globex', 'The account where Dana Lee (dana@globex.example) works', false],
      ['Account', 'Initech', 'The account where Lee Park (lee@initech.example) works', false],
      ['Case', 'Case 00001042: Login fails after SSO change', 'Open case at Globex, status New', false],
    ]);
    expect(ranked[0].subtitle).toBe('Globex · Negotiation/Review · closes 2027-02-14');
  });

  it('breaks a close-date tie by the most recent activity', () => {
    const results = fixtureResults();
    results.opportunities = [
      {
        ...results.opportunities[1],
        Id: 'old',
        Name: 'Older',
        LastActivityDate: '2026-10-01',
        LastModifiedDate: '2026-10-01T00:00:00.000+0000',
      },
      {
        ...results.opportunities[1],
        Id: 'new',
        Name: 'Newer',
        LastActivityDate: '2027-01-31',
        LastModifiedDate: '2026-10-01T00:00:00.000+0000',
      },
    ];
    expect(
      rankSuggestions(results, NOW)
        .map((entry) => entry.id)
        .slice(0, 2),
    ).toEqual(['new', 'old']);
  });

  it('ignores closed opportunities and counts several participants at one account', () => {
    const results = fixtureResults();
    results.opportunities[1] = { ...results.opportunities[1], IsClosed: true };
    results.contacts.push({
      ...results.contacts[0],
      Id: '0038d0000000009AAA',
      Name: 'Kim Yu',
      Email: 'kim@globex.example',
    });
    const ranked = rankSuggestions(results, NOW);
    expect(ranked[0].title).toBe('Globex - Services');
    expect(ranked[0].reason).toBe(
      "Dana Lee (dana@globex.example) and 1 other participant are contacts at Globex; this is Globex's open opportunity whose close date 2027-01-19 has passed",
    );
    expect(ranked.find((entry) => entry.type === 'Account')?.reason).toBe(
      'The account where Dana Lee (dana@globex.example) and 1 other participant work',
    );
  });

  it('prefers a contact when there is no opportunity, and is empty when nothing matched', () => {
    const results = fixtureResults();
    results.opportunities = [];
    expect(rankSuggestions(results, NOW)[0]).toMatchObject({ type: 'Contact', preferred: true });
    expect(rankSuggestions(emptySuggestionResults(), NOW)).toEqual([]);
  });
});
