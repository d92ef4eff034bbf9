import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../emulator/core/datetime.ts';
import { ManualClock, Org, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import type { StoredRecord } from '../../emulator/schema/types.ts';
import { describeDemoData, SEEDED_OBJECTS, seedBulk, seedDemoData } from '../../emulator/seed/demo.ts';
import { Random } from '../../emulator/seed/random.ts';

const FIXED_NOW = Date.UTC(2026, 2, 16, 18, 30);

function seededOrg(seed?: number): Org {
  const org = new Org({ clock: new ManualClock(FIXED_NOW) });
  seedDemoData(org, seed === undefined ? {} : { seed });
  return org;
}

/** Every seeded record, object by object, in id order: what "identical data" compares. */
function snapshot(org: Org): Record<string, StoredRecord[]> {
  const result: Record<string, StoredRecord[]> = {};
  for (const objectName of SEEDED_OBJECTS) {
    result[objectName] = [...org.store.table(objectName).records.values()].sort((left, right) =>
      String(left.Id).localeCompare(String(right.Id)),
    );
  }
  return result;
}

function records(org: Org, objectName: string): StoredRecord[] {
  return [...org.store.table(objectName).records.values()].filter((record) => record.IsDeleted !== true);
}

describe('Random', () => {
  it('is reproducible from its seed and stays in range', () => {
    const first = new Random(42);
    const second = new Random(42);
    const values = Array.from({ length: 50 }, () => first.next());
    expect(values).toEqual(Array.from({ length: 50 }, () => second.next()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const integers = Array.from({ length: 200 }, () => first.int(3, 5));
    expect(new Set(integers)).toEqual(new Set([3, 4, 5]));
  });
});

describe('seedDemoData', () => {
  const org = seededOrg();

  it('creates a small B2B org', () => {
    const counts = describeDemoData(org);
    expect(counts.Account).toBe(12);
    expect(counts.Contact).toBeGreaterThanOrEqual(24);
    expect(counts.Contact).toBeLessThanOrEqual(48);
    expect(counts.Lead).toBe(10);
    expect(counts.Opportunity).toBe(15);
    expect(counts.OpportunityContactRole).toBeGreaterThanOrEqual(15);
    expect(counts.Case).toBe(8);
    expect(counts.Task).toBe(12);
    expect(counts.Event).toBe(6);
  });

  it('is deterministic: the same seed and clock give identical records, ids included', () => {
    expect(snapshot(seededOrg())).toEqual(snapshot(org));
    expect(snapshot(seededOrg(42))).toEqual(snapshot(org));
  });

  it('differs with a different seed', () => {
    const other = seededOrg(7);
    const names = (target: Org) => records(target, 'Account').map((record) => record.Name);
    expect(names(other)).not.toEqual(names(org));
    expect(snapshot(other)).not.toEqual(snapshot(org));
  });

  it('attaches every Contact to an existing Account, with an email at the company domain', () => {
    const accounts = new Map(records(org, 'Account').map((account) => [account.Id, account]));
    for (const contact of records(org, 'Contact')) {
      const account = accounts.get(contact.AccountId as string);
      expect(account).toBeDefined();
      const domain = String(account!.Website).replace('https://www.', '');
      expect(contact.Email).toMatch(new RegExp(`^[a-z]+\\.[a-z]+@${domain.replace(/\./g, '\\.')}$`));
      expect(contact.Name).toBe(`${contact.FirstName} ${contact.LastName}`);
    }
    for (const account of accounts.values()) {
      const contacts = records(org, 'Contact').filter((contact) => contact.AccountId === account.Id);
      expect(contacts.length).toBeGreaterThanOrEqual(2);
      expect(contacts.length).toBeLessThanOrEqual(4);
    }
  });

  it('gives each Opportunity exactly one primary contact role, on a contact of its account', () => {
    const roles = records(org, 'OpportunityContactRole');
    const contacts = new Map(records(org, 'Contact').map((contact) => [contact.Id, contact]));
    for (const opportunity of records(org, 'Opportunity')) {
      const own = roles.filter((role) => role.OpportunityId === opportunity.Id);
      expect(own.filter((role) => role.IsPrimary === true)).toHaveLength(1);
      for (const role of own)
        expect(contacts.get(role.ContactId as string)?.AccountId).toBe(opportunity.AccountId);
    }
  });

  it('derives opportunity state from the stage, with closed deals in the past and open ones ahead', () => {
    const today = formatDate(FIXED_NOW);
    const opportunities = records(org, 'Opportunity');
    const won = opportunities.filter((opportunity) => opportunity.StageName === 'Closed Won');
    const lost = opportunities.filter((opportunity) => opportunity.StageName === 'Closed Lost');
    expect(won.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    for (const opportunity of won) expect(opportunity).toMatchObject({ IsClosed: true, IsWon: true });
    for (const opportunity of lost) expect(opportunity).toMatchObject({ IsClosed: true, IsWon: false });
    for (const opportunity of opportunities) {
      if (opportunity.IsClosed) expect(String(opportunity.CloseDate) < today).toBe(true);
      else expect(String(opportunity.CloseDate) > today).toBe(true);
      expect(opportunity.Amount).toBeGreaterThan(0);
    }
  });

  it('splits ownership between alice and bob, opportunities included', () => {
    const alice = org.userIdByUsername('alice@acme.demo')!;
    const bob = org.userIdByUsername('bob@acme.demo')!;
    const carol = org.userIdByUsername('carol@acme.demo')!;
    const owners = records(org, 'Opportunity').map((opportunity) => opportunity.OwnerId);
    expect(owners).toContain(alice);
    expect(owners).toContain(bob);
    for (const objectName of ['Account', 'Contact', 'Lead', 'Case', 'Task', 'Event']) {
      const objectOwners = new Set(records(org, objectName).map((record) => record.OwnerId));
      expect(objectOwners.has(carol)).toBe(false);
      for (const owner of objectOwners) expect([alice, bob]).toContain(owner);
    }
  });

  it('mixes lead, case and task states, and links activities to real records', () => {
    const leadStatuses = new Set(records(org, 'Lead').map((lead) => lead.Status));
    expect(leadStatuses.has('Working - Contacted')).toBe(true);
    const caseStatuses = new Set(records(org, 'Case').map((record) => record.Status));
    expect(caseStatuses.size).toBeGreaterThanOrEqual(3);
    const tasks = records(org, 'Task');
    expect(tasks.some((task) => task.Status === 'Completed')).toBe(true);
    expect(tasks.some((task) => task.Status !== 'Completed')).toBe(true);
    for (const activity of [...tasks, ...records(org, 'Event')]) {
      expect(org.store.find(activity.WhoId as string)).toBeDefined();
      if (activity.WhatId !== null) expect(org.store.find(activity.WhatId as string)).toBeDefined();
    }
    for (const event of records(org, 'Event')) {
      expect(event.StartDateTime).toBeTruthy();
      expect(event.DurationInMinutes).toBeGreaterThan(0);
    }
  });
});

describe('seedBulk', () => {
  it('creates the requested records deterministically', () => {
    const build = () => {
      const org = new Org({ clock: new ManualClock(FIXED_NOW) });
      const result = seedBulk(org, { accounts: 20, contacts: 60, leads: 20, seed: 3 });
      return { result, snapshot: records(org, 'Contact') };
    };
    const first = build();
    expect(first.result.accountIds).toHaveLength(20);
    expect(first.result.contactIds).toHaveLength(60);
    expect(first.result.leadIds).toHaveLength(20);
    expect(build().snapshot).toEqual(first.snapshot);
  });
});

describe('the demo org over HTTP', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('serves a seeded Account by id', async () => {
    const account = records(emulator.org, 'Account')[0];
    const session = emulator.org.tokens.issueAccessToken(emulator.org.adminUserId, 'forcefield-demo', [
      'api',
    ]);
    const response = await fetch(`${emulator.url}/services/data/v66.0/sobjects/Account/${account.Id}`, {
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ Id: account.Id, Name: account.Name, Industry: account.Industry });
  });
});
