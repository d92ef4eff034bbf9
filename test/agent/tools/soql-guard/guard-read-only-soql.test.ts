import { describe, expect, it } from 'vitest';
import { guardReadOnlySoql } from '../../../../src/agent/tools/soql-guard/guard-read-only-soql.ts';
import { namesInSoql } from '../../../../src/agent/tools/soql-guard/soql-text.ts';
import { HOSTILE_CORPUS } from './hostile-soql.ts';

const ALLOWED_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Task', 'Event', 'User'];
const guard = (text: unknown) => guardReadOnlySoql(text, { allowedObjects: ALLOWED_OBJECTS });

describe('guardReadOnlySoql: hostile corpus', () => {
  it('has at least 30 entries', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE_CORPUS)('%s', (_name, input, expected) => {
    const result = guard(input);
    if ('refused' in expected) {
      expect(result).toMatchObject({ ok: false, code: expected.refused });
      if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
    } else {
      expect(result).toMatchObject({ ok: true, soql: expected.soql });
    }
  });
});

describe('guardReadOnlySoql: ordinary queries', () => {
  it('keeps WHERE, ORDER BY, date literals, semi-joins and parent paths', () => {
    const result = guard(
      "SELECT Id, Name, Account.Owner.Name FROM Contact WHERE CreatedDate = LAST_N_DAYS:30 AND AccountId IN (SELECT Id FROM Account WHERE Industry = 'Energy') AND (Email LIKE '%@acme.demo' OR Email = null) ORDER BY Name DESC NULLS LAST LIMIT 25",
    );
    expect(result).toEqual({
      ok: true,
      soql: "SELECT Id, Name, Account.Owner.Name FROM Contact WHERE CreatedDate = LAST_N_DAYS:30 AND AccountId IN (SELECT Id FROM Account WHERE Industry = 'Energy') AND (Email LIKE '%@acme.demo' OR Email = NULL) ORDER BY Name DESC NULLS LAST LIMIT 25",
      object: 'Contact',
      limit: 25,
      shape: 'records',
    });
  });

  it('adds no LIMIT to COUNT() (it would cap the count) and reports the shape', () => {
    expect(guard('SELECT COUNT() FROM Lead WHERE IsConverted = false')).toEqual({
      ok: true,
      soql: 'SELECT COUNT() FROM Lead WHERE IsConverted = FALSE',
      object: 'Lead',
      limit: null,
      shape: 'count',
    });
  });

  it('adds no LIMIT to an aggregate without GROUP BY (Salesforce refuses one)', () => {
    expect(guard('SELECT SUM(Amount) FROM Opportunity WHERE IsWon = true')).toMatchObject({
      ok: true,
      soql: 'SELECT SUM(Amount) FROM Opportunity WHERE IsWon = TRUE',
      limit: null,
      shape: 'aggregate',
    });
  });

  it('caps grouped aggregates like records', () => {
    expect(guard('SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName LIMIT 5000')).toMatchObject(
      {
        ok: true,
        soql: 'SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName LIMIT 200',
        limit: 200,
        shape: 'grouped',
      },
    );
  });

  it('honours the caller’s limits and child relationship allow-list', () => {
    const options = {
      allowedObjects: ['Account'],
      allowedChildRelationships: ['Contacts'],
      maxLimit: 10,
      defaultLimit: 5,
      maxChildLimit: 3,
    };
    expect(
      guardReadOnlySoql('SELECT Id, (SELECT Id FROM contacts LIMIT 9) FROM Account', options),
    ).toMatchObject({
      ok: true,
      soql: 'SELECT Id, (SELECT Id FROM Contacts LIMIT 3) FROM Account LIMIT 5',
    });
    expect(guardReadOnlySoql('SELECT Id, (SELECT Id FROM Histories) FROM Account', options)).toMatchObject({
      ok: false,
      code: 'relationship_not_allowed',
    });
  });

  it('keeps multi-byte text inside literals as it is', () => {
    expect(guard("SELECT Id FROM Contact WHERE LastName = 'Müller-Łukasz 日本'")).toMatchObject({
      ok: true,
      soql: "SELECT Id FROM Contact WHERE LastName = 'Müller-Łukasz 日本' LIMIT 50",
    });
  });

  it('gives the model a message that names what to change', () => {
    const result = guard('SELECT Id FROM LoginHistory');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('Allowed objects: Account, Contact');
  });
});

describe('namesInSoql', () => {
  it('lists the names a query mentions, not the words inside its string literals', () => {
    const names = namesInSoql(
      "SELECT Id, CreatedById, Account.Name FROM Contact WHERE Title = 'IsDeleted \\' LastModifiedById' ORDER BY SystemModstamp LIMIT 5",
    );
    expect(names).toEqual(
      expect.arrayContaining(['Id', 'CreatedById', 'Account.Name', 'Contact', 'Title', 'SystemModstamp']),
    );
    expect(names).not.toContain('IsDeleted');
    expect(names).not.toContain('LastModifiedById');
    expect(namesInSoql('SELECT FIELDS(ALL) FROM Opportunity LIMIT 50')).not.toContain('CreatedById');
  });
});
