/**
 * The pure builders against the emulator over real HTTP: the SOSL, SOQL and composite bodies they
 * produce are accepted, find what they should, and create exactly the records the form describes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSObjectSchema, type SendDescribes } from '../../src/meetings/form-fields.ts';
import { mapSalesforceErrors } from '../../src/meetings/payloads/salesforce-error-mapping.ts';
import {
  buildMarkerLookup,
  findMarkedRecordId,
  noteContentHasMarker,
} from '../../src/meetings/payloads/send-marker.ts';
import { buildSendRequest, type SendRequest } from '../../src/meetings/payloads/send-request.ts';
import type { ReadableFields } from '../../src/meetings/record-rows.ts';
import { buildRecordSearch, normalizeSearchResults } from '../../src/meetings/record-search.ts';
import { LINKABLE_RECORD_TYPES, type LinkableRecordType } from '../../src/meetings/record-types.ts';
import { rankSuggestions } from '../../src/meetings/suggestion-ranking.ts';
import {
  accountIdsOf,
  buildAccountLookup,
  buildParticipantLookup,
  collectSuggestionResults,
  emptySuggestionResults,
  externalEmails,
} from '../../src/meetings/suggestions.ts';
import { API_VERSION, startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;
let describes: SendDescribes;
const records = {} as Record<LinkableRecordType, string>;
let aliceId: string;

async function first(soql: string): Promise<Record<string, unknown>> {
  const result = await org.api(`/query?q=${encodeURIComponent(soql)}`);
  expect(result.status).toBe(200);
  return result.body.records[0];
}

beforeAll(async () => {
  org = await startTestOrg({ seed: 'demo' });
  aliceId = org.emulator.org.userIdByUsername('alice@acme.demo')!;
  describes = {};
  for (const name of ['Task', 'Event', 'ContentNote', 'Note'] as const) {
    describes[name] = describeSObjectSchema.parse((await org.api(`/sobjects/${name}/describe`)).body);
  }
  for (const type of LINKABLE_RECORD_TYPES) {
    const where = type === 'Lead' ? ' WHERE IsConverted = false' : '';
    records[type] = String((await first(`SELECT Id FROM ${type}${where} ORDER BY CreatedDate LIMIT 1`)).Id);
  }
});

afterAll(async () => {
  await org?.emulator.stop();
});

async function send(request: SendRequest) {
  if (request.operation === 'composite')
    return org.api('/composite', { method: 'POST', body: request.composite });
  return org.api(`/sobjects/${request.object}`, { method: 'POST', body: request.body });
}

function built(input: Parameters<typeof buildSendRequest>[0]): SendRequest {
  const result = buildSendRequest(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.request;
}

/** `built` for this API version, checked against the org's describes. */
function builtDescribed(
  input: Omit<Parameters<typeof buildSendRequest>[0], 'apiVersion' | 'describe'>,
): SendRequest {
  return built({ ...input, apiVersion: API_VERSION, describe: describes });
}

describe('record search against the emulator', () => {
  it('runs as one SOSL search and finds records by prefix', async () => {
    const plan = buildRecordSearch('Harborv');
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const result = await org.api(`/search?q=${encodeURIComponent(plan.sosl)}`);
    expect(result.status).toBe(200);
    const rows = normalizeSearchResults(result.body.searchRecords);
    const types = new Set(rows.map((row) => row.type));
    expect(types.has('Account')).toBe(true);
    expect(types.has('Opportunity')).toBe(true);
    expect(rows.find((row) => row.type === 'Opportunity')?.subtitle).toMatch(/^Harborview Hospitality · /);
  });

  it('searches reserved characters literally', async () => {
    const plan = buildRecordSearch('Harborview & {Sons} - "x" OR *');
    if (!plan.ok) throw new Error(plan.message);
    const result = await org.api(`/search?q=${encodeURIComponent(plan.sosl)}`);
    expect(result.status).toBe(200);
  });

  it('keeps to what a restricted profile can read (dave: no Case, no Opportunity.Amount)', async () => {
    const dave = await startTestOrg({ seed: 'demo' }, 'dave@acme.demo');
    try {
      const global = await dave.api('/sobjects');
      const visible = new Set(global.body.sobjects.map((entry: { name: string }) => entry.name));
      const readable: ReadableFields = {};
      for (const type of LINKABLE_RECORD_TYPES) {
        if (!visible.has(type)) continue;
        const described = await dave.api(`/sobjects/${type}/describe`);
        readable[type] = described.body.fields.map((field: { name: string }) => field.name);
      }
      const plan = buildRecordSearch('Harborview', { readable });
      if (!plan.ok) throw new Error(plan.message);
      expect(plan.objects).not.toContain('Case');
      const result = await dave.api(`/search?q=${encodeURIComponent(plan.sosl)}`);
      expect(result.status).toBe(200);
      expect(normalizeSearchResults(result.body.searchRecords).length).toBeGreaterThan(0);
    } finally {
      await dave.emulator.stop();
    }
  });
});

describe('suggestions against the emulator', () => {
  it('finds contacts, leads, accounts, open opportunities and cases in two composite calls', async () => {
    const contact = await first(
      'SELECT Email, AccountId, Account.Name FROM Contact WHERE Email != null AND AccountId != null LIMIT 1',
    );
    const lead = await first('SELECT Email FROM Lead WHERE IsConverted = false AND Email != null LIMIT 1');
    const emails = externalEmails([
      { email: String(contact.Email).toUpperCase(), internal: false },
      { email: String(lead.Email), internal: false },
      { email: 'alice@acme.demo', internal: true },
    ]);
    const results = emptySuggestionResults();
    const call1 = buildParticipantLookup(emails, { apiVersion: API_VERSION });
    const response1 = await org.api('/composite', { method: 'POST', body: call1 });
    expect(response1.status).toBe(200);
    collectSuggestionResults(results, response1.body);
    expect(results.problems).toEqual([]);
    expect(results.contacts.map((row) => row.Email)).toContain(contact.Email);
    expect(results.leads.map((row) => row.Email)).toContain(lead.Email);

    const call2 = buildAccountLookup(accountIdsOf(results), { apiVersion: API_VERSION });
    const response2 = await org.api('/composite', { method: 'POST', body: call2 });
    expect(response2.status).toBe(200);
    collectSuggestionResults(results, response2.body);
    expect(results.problems).toEqual([]);
    expect(results.accounts.map((row) => row.Id)).toContain(contact.AccountId);

    const ranked = rankSuggestions(results, new Date());
    const accountName = (contact.Account as { Name: string }).Name;
    if (results.opportunities.length > 0) {
      expect(ranked[0].type).toBe('Opportunity');
      expect(ranked[0].reason).toContain(`${accountName}'s open opportunity`);
    }
    expect(ranked.some((entry) => entry.type === 'Lead')).toBe(true);
    expect(ranked.filter((entry) => entry.preferred)).toHaveLength(1);
  });
});

describe('sends against the emulator', () => {
  it.each(LINKABLE_RECORD_TYPES)('creates a task on a %s, linked the right way', async (type) => {
    const request = builtDescribed({
      kind: 'task',
      values: {
        subject: 'Send the revised quote',
        description: 'From the meeting',
        status: 'In Progress',
        dueDate: '2027-02-05',
      },
      records: [{ type, id: records[type] }],
      idempotencyKey: `task-${type}`,
    });
    const created = await send(request);
    expect(created.status).toBe(201);
    const task = await first(
      `SELECT WhoId, WhatId, Status, Priority, ActivityDate, OwnerId, Description FROM Task WHERE Id = '${created.body.id}'`,
    );
    const lookup = type === 'Contact' || type === 'Lead' ? 'WhoId' : 'WhatId';
    expect(task[lookup]).toBe(records[type]);
    expect(task[lookup === 'WhoId' ? 'WhatId' : 'WhoId']).toBeNull();
    expect(task).toMatchObject({
      Status: 'In Progress',
      Priority: 'Normal',
      ActivityDate: '2027-02-05',
      OwnerId: aliceId,
    });
  });

  it('creates an event with a duration and finds it again by its marker', async () => {
    const sentAt = new Date();
    const request = builtDescribed({
      kind: 'event',
      values: {
        subject: 'Security review',
        startDateTime: '2027-02-01T17:00:00Z',
        durationInMinutes: 45,
        showAs: 'Free',
      },
      records: [{ type: 'Opportunity', id: records.Opportunity }],
      idempotencyKey: 'event-1',
    });
    const created = await send(request);
    expect(created.status).toBe(201);
    const event = await first(
      `SELECT EndDateTime, ShowAs, WhatId FROM Event WHERE Id = '${created.body.id}'`,
    );
    expect(event).toMatchObject({ ShowAs: 'Free', WhatId: records.Opportunity });
    expect(String(event.EndDateTime)).toMatch(/^2027-02-01T17:45:00/);

    const lookup = buildMarkerLookup({
      kind: 'event',
      record: { type: 'Opportunity', id: records.Opportunity },
      connectedUserId: aliceId,
      sentAt,
      createdBy: new Date(sentAt.getTime() + 60_000),
    });
    const found = await org.api(`/${lookup.endpoint}?q=${encodeURIComponent(lookup.soql)}`);
    expect(found.status).toBe(200);
    expect(findMarkedRecordId(found.body.records, lookup, request.marker)).toBe(created.body.id);
  });

  it('creates an Enhanced Note and its link in one composite', async () => {
    const request = builtDescribed({
      kind: 'note',
      values: { title: 'Pricing decision', body: 'Go with the 3-year plan & a <10%> "loyalty" discount.' },
      records: [{ type: 'Case', id: records.Case }],
      idempotencyKey: 'note-1',
    });
    const response = await send(request);
    expect(response.status).toBe(200);
    const [note, link] = response.body.compositeResponse;
    expect([note.httpStatusCode, link.httpStatusCode]).toEqual([201, 201]);
    const stored = await first(`SELECT TextPreview FROM ContentNote WHERE Id = '${note.body.id}'`);
    expect(stored.TextPreview).toMatch(/^Go with the 3-year plan & a <10%> "loyalty" discount\./);
    const linked = await first(
      `SELECT LinkedEntityId, ShareType FROM ContentDocumentLink WHERE Id = '${link.body.id}'`,
    );
    expect(linked).toMatchObject({ LinkedEntityId: records.Case, ShareType: 'V' });

    const lookup = buildMarkerLookup({
      kind: 'note',
      record: { type: 'Case', id: records.Case },
      connectedUserId: aliceId,
      sentAt: new Date(),
      createdBy: new Date(Date.now() + 60_000),
      title: 'Pricing decision',
    });
    const found = await org.api(`/${lookup.endpoint}?q=${encodeURIComponent(lookup.soql)}`);
    expect(found.status).toBe(200);
    expect(found.body.records.map((row: Record<string, unknown>) => row.ContentDocumentId)).toContain(
      note.body.id,
    );
    const content = (await org.api(`/sobjects/ContentNote/${note.body.id}?fields=Content`)).body.Content;
    if (typeof content === 'string' && !content.startsWith('/'))
      expect(noteContentHasMarker(content, request.marker)).toBe(true);
  });

  it('creates a classic Note', async () => {
    const request = builtDescribed({
      kind: 'note',
      noteFormat: 'classic',
      values: { title: 'Pricing decision', body: 'Go with the 3-year plan.' },
      records: [{ type: 'Lead', id: records.Lead }],
      idempotencyKey: 'note-2',
    });
    const created = await send(request);
    expect(created.status).toBe(201);
    expect(await first(`SELECT ParentId FROM Note WHERE Id = '${created.body.id}'`)).toMatchObject({
      ParentId: records.Lead,
    });
  });

  it("maps the emulator's errors back onto the form", async () => {
    const sendTask = (status: string, record: { type: LinkableRecordType; id: string }) =>
      send(
        built({
          kind: 'task',
          values: { subject: 'Call', status },
          records: [record],
          idempotencyKey: `task-error-${status}`,
          apiVersion: API_VERSION,
          // Without describe nothing checks the picklist here, so Salesforce does.
        }),
      );
    const badStatus = await sendTask('Done', { type: 'Account', id: records.Account });
    expect(badStatus.status).toBe(400);
    expect(mapSalesforceErrors(badStatus.body, 'task')).toEqual([
      {
        field: 'status',
        code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: expect.stringContaining('Done'),
      },
    ]);
    const missing = await sendTask('Not Started', { type: 'Account', id: '0018d0000009999AAA' });
    expect(missing.status).toBe(400);
    const errors = mapSalesforceErrors(missing.body, 'task');
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('record');
  });
});
