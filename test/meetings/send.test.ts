/**
 * Meeting insights to Salesforce, end to end: the HTTP API of a running service against the
 * emulator, with every result read back from the emulator itself. Runs on SQLite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { markerFor } from '../../src/meetings/payloads/send-marker.ts';
import { connect, logIn, type ServiceSession } from '../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { countCalls, emulatorAdminCall, newKey, orgReader, type SendBody, sendItem } from './support.ts';

const KINDS = ['task', 'event', 'note'] as const;

/** The statuses the emulator answered, oldest first, for requests whose path ends with `suffix`, since `since`. */
async function answeredStatuses(emulator: RunningEmulator, suffix: string, since: string): Promise<number[]> {
  const log = (await emulatorAdminCall(emulator, 'GET', '/requests?limit=50')) as {
    requests: Array<{ time: string; path: string; status: number | null }>;
  };
  return log.requests
    .filter((request) => request.time >= since && request.path.endsWith(suffix))
    .map((request) => request.status ?? 0);
}
const TYPES = ['Lead', 'Account', 'Contact', 'Opportunity', 'Case'] as const;

describe.each(STORE_DIALECTS)('meeting insights to Salesforce (%s)', (dialect) => {
  let emulator: RunningEmulator;
  let testStore: TestStore;
  let test: TestService;
  let alice: ServiceSession;
  let bob: ServiceSession;
  let carol: ServiceSession;
  let aliceConnection: string;
  let bobConnection: string;
  let org: ReturnType<typeof orgReader>;
  let clockOffset = 0;
  let meetings: Record<string, string>;
  const records = {} as Record<(typeof TYPES)[number], string>;
  let aliceSalesforceId: string;
  let bobSalesforceId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    org = orgReader(emulator);
    testStore = await openTestStore(dialect);
    test = await startTestService(
      emulatorSalesforce(emulator.url),
      { MEETING_SEND_SETTLE_MS: '300' },
      testStore.store,
      () => Date.now() + clockOffset,
    );
    alice = await logIn(test.service.url, 'alice@forcefield.demo');
    bob = await logIn(test.service.url, 'bob@forcefield.demo');
    carol = await logIn(test.service.url, 'carol@forcefield.demo');
    aliceConnection = await connect(alice, emulator, { kind: 'personal', username: 'alice@acme.demo' });
    bobConnection = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    aliceSalesforceId = emulator.org.userIdByUsername('alice@acme.demo')!;
    bobSalesforceId = emulator.org.userIdByUsername('bob@acme.demo')!;
    const listed = await alice.call('GET', '/api/meetings');
    meetings = Object.fromEntries(
      listed.body.meetings.map((meeting: { id: string; title: string }) => [
        meeting.title.split(' ')[0],
        meeting.id,
      ]),
    );
    // Records alice owns (Opportunity sharing is private) or everyone sees, one of each type.
    const first = async (soql: string) => String((await org.query(soql))[0].Id);
    records.Lead = await first(
      `SELECT Id FROM Lead WHERE IsConverted = false AND OwnerId = '${aliceSalesforceId}' LIMIT 1`,
    );
    records.Account = await first(`SELECT Id FROM Account WHERE OwnerId = '${aliceSalesforceId}' LIMIT 1`);
    records.Contact = await first(
      `SELECT Id FROM Contact WHERE AccountId != null AND OwnerId = '${aliceSalesforceId}' LIMIT 1`,
    );
    records.Opportunity = await first(
      `SELECT Id FROM Opportunity WHERE IsClosed = false AND OwnerId = '${aliceSalesforceId}' LIMIT 1`,
    );
    records.Case = await first(`SELECT Id FROM Case WHERE AccountId != null LIMIT 1`);
  });

  afterAll(async () => {
    await test?.stop();
    await testStore?.dispose();
    await emulator?.stop();
  });

  describe('meetings and who sees them', () => {
    it('seeds the demo meetings; members see the ones they took part in, admins all', async () => {
      const titles = async (session: ServiceSession) =>
        (await session.call('GET', '/api/meetings')).body.meetings
          .map((meeting: { title: string }) => meeting.title.split(' ')[0])
          .sort();
      expect(await titles(alice)).toEqual(['Harborview', 'Intro', 'Meridian', 'Pinecrest']);
      expect(await titles(bob)).toEqual(['Harborview', 'Intro', 'Meridian']);
      expect(await titles(carol)).toEqual(['Meridian', 'Pinecrest']);
      expect((await bob.call('GET', `/api/meetings/${meetings.Pinecrest}`)).status).toBe(404);
      const full = await carol.call('GET', `/api/meetings/${meetings.Pinecrest}`);
      expect(full.status).toBe(200);
      expect(new Set(full.body.meeting.items.map((item: { kind: string }) => item.kind))).toEqual(
        new Set(['insight', 'decision', 'next_step', 'task']),
      );
      // Nobody can send from a meeting they cannot see.
      const refused = await sendItem(bob, meetings.Pinecrest, 'task-1', {
        connectionId: bobConnection,
        kind: 'task',
        values: { subject: 'x' },
        records: [{ type: 'Account', id: records.Account }],
      });
      expect(refused.status).toBe(404);
    });

    it('creates meetings through the API, validates them, and shares them', async () => {
      const created = await bob.call('POST', '/api/meetings', {
        title: 'Internal pipeline review',
        startTime: '2027-02-01T15:00:00Z',
        endTime: '2027-02-01T15:30:00+00:00',
        participants: [{ name: 'Bob', email: 'bob@forcefield.demo', internal: true }],
        items: [
          { kind: 'decision', text: 'Focus on the Meridian renewal.' },
          { kind: 'task', text: 'Update forecasts.' },
        ],
      });
      expect(created.status).toBe(201);
      expect(created.body.meeting.items.map((item: { id: string }) => item.id)).toEqual(['1', '2']);
      const id = created.body.meeting.id;
      expect((await carol.call('GET', `/api/meetings/${id}`)).status).toBe(404);
      expect((await alice.call('GET', `/api/meetings/${id}`)).status).toBe(200);
      const invalid = await bob.call('POST', '/api/meetings', {
        title: 'Bad',
        startTime: '2027-02-01T15:00:00Z',
        endTime: '2027-02-01T14:00:00Z',
        participants: [],
        items: [{ kind: 'decision', text: 'x', dueDate: '2027-02-30' }],
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(
        expect.arrayContaining(['endTime', 'items.0.dueDate']),
      );
      // Carol is neither participant nor creator: she cannot share it (she cannot even see it).
      expect((await carol.call('PUT', `/api/meetings/${id}/shares`, { shares: [] })).status).toBe(404);
      const users = (await alice.call('GET', '/api/users')).body.users as Array<{
        id: string;
        email: string;
      }>;
      const carolId = users.find((user) => user.email === 'carol@forcefield.demo')!.id;
      const shared = await bob.call('PUT', `/api/meetings/${id}/shares`, {
        shares: [{ type: 'user', id: carolId }],
      });
      expect(shared.status).toBe(200);
      expect((await carol.call('GET', `/api/meetings/${id}`)).status).toBe(200);
      const groups = (await alice.call('GET', '/api/groups')).body.groups as Array<{ id: string }>;
      await bob.call('PUT', `/api/meetings/${id}/shares`, { shares: [{ type: 'group', id: groups[0].id }] });
      expect((await carol.call('GET', `/api/meetings/${id}`)).status).toBe(200);
      expect((await carol.call('DELETE', `/api/meetings/${id}`)).status).toBe(403);
      expect((await bob.call('DELETE', `/api/meetings/${id}`)).status).toBe(200);
      expect((await alice.call('GET', `/api/meetings/${id}`)).status).toBe(404);
    });
  });

  describe('the send form, record search and suggestions, within the API budget', () => {
    it('describes the task form from the org: labels, required, picklists with defaults, users, prefill', async () => {
      const path = `/api/meetings/${meetings.Harborview}/items/next-step-1/form?kind=task&connectionId=${aliceConnection}`;
      let form:
        | {
            status: number;
            body: { form: { fields: Array<Record<string, unknown>>; record: { types: string[] } } };
          }
        | undefined;
      const cold = await countCalls(emulator, async () => {
        form = await alice.call('GET', path);
      });
      expect(form?.status).toBe(200);
      expect(cold).toBeLessThanOrEqual(3);
      const fields = Object.fromEntries(form!.body.form.fields.map((field) => [field.name, field]));
      expect(fields.subject).toMatchObject({
        required: true,
        value: expect.stringMatching(/^Send the revised proposal/),
      });
      expect(fields.status).toMatchObject({ type: 'picklist', required: true, defaultValue: 'Not Started' });
      expect(fields.priority).toMatchObject({ type: 'picklist', defaultValue: 'Normal' });
      expect(fields.dueDate.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(fields.ownerId).toMatchObject({ type: 'user', value: aliceSalesforceId });
      expect((fields.ownerId.options as Array<{ value: string }>).map((option) => option.value)).toContain(
        bobSalesforceId,
      );
      expect(form!.body.form.record.types.sort()).toEqual([...TYPES].sort());

      const warm = await countCalls(emulator, () => alice.call('GET', path));
      expect(warm).toBe(0);
      const describePath = '/sobjects/Task/describe';
      clockOffset += 5 * 60_000; // the describe is stale now: one If-Modified-Since, answered 304
      try {
        let since = new Date().toISOString();
        expect(await countCalls(emulator, () => alice.call('GET', path))).toBe(1);
        expect(await answeredStatuses(emulator, describePath, since)).toEqual([304]);
        // Fresh again: no call within the freshness window.
        expect(await countCalls(emulator, () => alice.call('GET', path))).toBe(0);

        // The org's metadata changes (Last-Modified moves on): after the freshness window the
        // revalidation gets a full 200, whose describe and Last-Modified replace the cached ones…
        emulator.org.markSchemaModified();
        clockOffset += 2 * 60_000;
        since = new Date().toISOString();
        const replaced = await countCalls(emulator, async () => {
          const answer = await alice.call('GET', path);
          expect(answer.status).toBe(200);
        });
        expect(replaced).toBe(1);
        expect(await answeredStatuses(emulator, describePath, since)).toEqual([200]);
        // …so the next revalidation, with the new Last-Modified, is a 304 again.
        clockOffset += 2 * 60_000;
        since = new Date().toISOString();
        expect(await countCalls(emulator, () => alice.call('GET', path))).toBe(1);
        expect(await answeredStatuses(emulator, describePath, since)).toEqual([304]);
      } finally {
        clockOffset -= 9 * 60_000;
      }

      const event = await alice.call(
        'GET',
        `/api/meetings/${meetings.Harborview}/items/decision-1/form?kind=event&connectionId=${aliceConnection}`,
      );
      const eventFields = Object.fromEntries(
        event.body.form.fields.map((field: { name: string }) => [field.name, field]),
      );
      expect(Object.keys(eventFields)).toEqual(
        expect.arrayContaining(['startDateTime', 'endDateTime', 'durationInMinutes', 'location', 'showAs']),
      );
      const note = await alice.call(
        'GET',
        `/api/meetings/${meetings.Harborview}/items/insight-1/form?kind=note&connectionId=${aliceConnection}`,
      );
      expect(note.body.form.object).toBe('ContentNote');
      expect(note.body.form.fields.map((field: { name: string }) => field.name)).toEqual(['title', 'body']);
      // Not someone else's connection.
      expect((await bob.call('GET', path.replace('Harborview', 'x'))).status).toBe(404);
      expect(
        (
          await bob.call(
            'GET',
            `/api/meetings/${meetings.Harborview}/items/next-step-1/form?kind=task&connectionId=${aliceConnection}`,
          )
        ).status,
      ).toBe(404);
    });

    it('searches records in one SOSL call, and short terms in none', async () => {
      let result: { status: number; body: { records: Array<{ type: string; title: string }> } } | undefined;
      // Cold (nothing about the profile cached): a profile that reads the five objects costs the
      // search alone, no metadata calls — alice (admin) and bob (standard user) alike.
      const cold = await countCalls(emulator, () =>
        alice.call(
          'GET',
          `/api/meetings/${meetings.Harborview}/record-search?connectionId=${aliceConnection}&q=Harbor`,
        ),
      );
      expect(cold).toBe(1);
      const bobCold = await countCalls(emulator, async () => {
        const answer = await bob.call(
          'GET',
          `/api/meetings/${meetings.Harborview}/record-search?connectionId=${bobConnection}&q=Harbor`,
        );
        expect(answer.status).toBe(200);
        expect(answer.body.records.length).toBeGreaterThan(0);
      });
      expect(bobCold).toBe(1);
      const calls = await countCalls(emulator, async () => {
        result = await alice.call(
          'GET',
          `/api/meetings/${meetings.Harborview}/record-search?connectionId=${aliceConnection}&q=Harborv`,
        );
      });
      expect(calls).toBe(1);
      expect(result?.status).toBe(200);
      const types = new Set(result!.body.records.map((row) => row.type));
      expect(types.has('Account') && types.has('Opportunity') && types.has('Contact')).toBe(true);
      const special = await alice.call(
        'GET',
        `/api/meetings/${meetings.Harborview}/record-search?connectionId=${aliceConnection}&q=${encodeURIComponent('O\'Brien & {x} "y" - *')}`,
      );
      expect(special.status).toBe(200);
      const short = await countCalls(emulator, async () => {
        const answer = await alice.call(
          'GET',
          `/api/meetings/${meetings.Harborview}/record-search?connectionId=${aliceConnection}&q=a`,
        );
        expect(answer.body).toMatchObject({ records: [], notice: { code: 'term_too_short' } });
      });
      expect(short).toBe(0);
    });

    it('suggests the active opportunity first, with a reason, in at most two calls', async () => {
      let result:
        | {
            status: number;
            body: { suggestions: Array<{ type: string; title: string; reason: string; preferred: boolean }> };
          }
        | undefined;
      const calls = await countCalls(emulator, async () => {
        result = await alice.call(
          'GET',
          `/api/meetings/${meetings.Harborview}/suggestions?connectionId=${aliceConnection}`,
        );
      });
      // Cold for alice's profile, and still exactly the two composites: no metadata calls.
      expect(calls).toBe(2);
      const [top] = result!.body.suggestions;
      expect(top).toMatchObject({ type: 'Opportunity', preferred: true });
      expect(top.title).toMatch(/^Harborview Hospitality/);
      expect(top.reason).toMatch(
        /(Mei Rossi|Sofia Ibrahim) \(\w+\.\w+@harborviewhotels\.example\).*Harborview Hospitality's open opportunity closing \d{4}-\d{2}-\d{2}/,
      );
      const types = result!.body.suggestions.map((suggestion) => suggestion.type);
      expect(types).toEqual(expect.arrayContaining(['Contact', 'Account']));
      // A lead participant is suggested as a lead (a lead has no account: one call).
      let lead: { body: { suggestions: unknown[] } } | undefined;
      const leadCalls = await countCalls(emulator, async () => {
        lead = await bob.call(
          'GET',
          `/api/meetings/${meetings.Intro}/suggestions?connectionId=${bobConnection}`,
        );
      });
      expect(leadCalls).toBe(1);
      expect(lead!.body.suggestions[0]).toMatchObject({ type: 'Lead', title: 'Priya Dubois' });
    });

    it('searches and suggests as a profile that cannot read Case nor Opportunity.Amount (dave)', async () => {
      // Carol's connection logs in to Salesforce as dave (Sales Contractor: no Case, no Amount).
      const daveConnection = await connect(carol, emulator, { kind: 'personal', username: 'dave@acme.demo' });
      const dave = new jsforce.Connection({
        oauth2: { clientId: DEMO_APP.clientId, clientSecret: DEMO_APP.clientSecret, loginUrl: emulator.url },
        version: '66.0',
      });
      await dave.login('dave@acme.demo', 'demo1234');
      // Opportunities are private: dave sees the ones he owns.
      const [meridian] = await org.query("SELECT Id FROM Account WHERE Name = 'Meridian Telecom'");
      const created = await dave.sobject('Opportunity').create({
        Name: 'Meridian Telecom - Contractor renewal',
        AccountId: meridian.Id,
        StageName: 'Prospecting',
        CloseDate: '2027-03-31',
      });
      const search = `/api/meetings/${meetings.Meridian}/record-search?connectionId=${daveConnection}&q=Meridian`;
      let found: { status: number; body: { records: Array<Record<string, unknown>> } } | undefined;
      const since = new Date().toISOString();
      const cold = await countCalls(emulator, async () => {
        found = await carol.call('GET', search);
      });
      expect(found?.status, JSON.stringify(found?.body)).toBe(200);
      // The full search, refused (dave cannot read Case); then describeGlobal and four describes
      // (Case is not listed); then the search without what dave cannot read.
      expect(cold).toBe(7);
      expect(await answeredStatuses(emulator, '/search', since)).toEqual([400, 200]);
      const rows = found!.body.records as Array<{
        type: string;
        id: string;
        fields: Array<{ name: string }>;
      }>;
      const types = new Set(rows.map((row) => row.type));
      expect(types.has('Opportunity') && types.has('Account') && types.has('Contact')).toBe(true);
      expect(types.has('Case')).toBe(false);
      const opportunity = rows.find((row) => row.type === 'Opportunity' && row.id === created.id);
      expect(opportunity?.fields.map((field) => field.name)).toEqual([
        'Name',
        'Account.Name',
        'StageName',
        'CloseDate',
        'Owner.Name',
      ]);
      // Warm: exactly the search.
      expect(await countCalls(emulator, () => carol.call('GET', search))).toBe(1);

      let suggested:
        | {
            body: {
              suggestions: Array<{ type: string; id: string; fields: Array<{ name: string }> }>;
              problems: unknown[];
            };
          }
        | undefined;
      const suggestionCalls = await countCalls(emulator, async () => {
        suggested = await carol.call(
          'GET',
          `/api/meetings/${meetings.Meridian}/suggestions?connectionId=${daveConnection}`,
        );
      });
      expect(suggestionCalls).toBe(2); // what dave reads is cached (the search asked): no refusal
      const checkSuggestions = () => {
        expect(suggested!.body.problems).toEqual([]);
        const [top] = suggested!.body.suggestions;
        expect(top).toMatchObject({ type: 'Opportunity', id: created.id });
        expect(top.fields.map((field) => field.name)).not.toContain('Amount');
        expect(suggested!.body.suggestions.some((suggestion) => suggestion.type === 'Case')).toBe(false);
      };
      checkSuggestions();

      // Cold again (the cached view expired): the composites name everything first; Salesforce
      // refuses the opportunities (Amount) and cases subrequests; the metadata is fetched once and
      // only those two subrequests are asked again.
      clockOffset += 11 * 60_000;
      try {
        const coldSuggestions = await countCalls(emulator, async () => {
          suggested = await carol.call(
            'GET',
            `/api/meetings/${meetings.Meridian}/suggestions?connectionId=${daveConnection}`,
          );
        });
        checkSuggestions();
        // contacts+leads, accounts+opportunities+cases (two refused), describeGlobal, four describes, the retry
        expect(coldSuggestions).toBe(8);
      } finally {
        clockOffset -= 11 * 60_000;
      }
    });

    it("lists the demo meetings' external participants as contacts and leads of the demo org", async () => {
      for (const meeting of Object.values(meetings)) {
        const view = (await alice.call('GET', `/api/meetings/${meeting}`)).body.meeting;
        for (const participant of view.participants.filter(
          (person: { internal: boolean }) => !person.internal,
        )) {
          const contacts = await org.query(`SELECT Id FROM Contact WHERE Email = '${participant.email}'`);
          const leads = await org.query(`SELECT Id FROM Lead WHERE Email = '${participant.email}'`);
          expect(contacts.length + leads.length, participant.email).toBe(1);
        }
      }
    });
  });

  describe('creating records', () => {
    const valuesFor = (kind: (typeof KINDS)[number], label: string): Record<string, string | number> => {
      if (kind === 'task') {
        return {
          subject: `Task ${label}`,
          description: 'Follow up.',
          status: 'In Progress',
          priority: 'High',
          dueDate: '2027-03-01',
          ownerId: bobSalesforceId,
        };
      }
      if (kind === 'event') {
        return {
          subject: `Event ${label}`,
          description: 'Demo.',
          startDateTime: '2027-03-02T16:00:00Z',
          endDateTime: '2027-03-02T16:45:00Z',
          location: 'Zoom',
          showAs: 'Busy',
        };
      }
      return { title: `Note ${label}`, body: 'Pricing: 3-year plan & <10%> "loyalty" discount.' };
    };

    it.each(KINDS.flatMap((kind) => TYPES.map((type) => [kind, type] as const)))(
      'sends a %s to a %s: the right record, in one API call',
      async (kind, type) => {
        const label = `${kind}-${type}-${dialect}`;
        let response:
          | { status: number; body: { outcome: string; send: Record<string, unknown> } }
          | undefined;
        const key = newKey();
        const calls = await countCalls(emulator, async () => {
          response = await sendItem(alice, meetings.Harborview, 'next-step-1', {
            connectionId: aliceConnection,
            kind,
            values: valuesFor(kind, label),
            records: [{ type, id: records[type] }],
            idempotencyKey: key,
          });
        });
        expect(response?.status, JSON.stringify(response?.body)).toBe(201);
        expect(calls).toBe(1);
        const send = response!.body.send as {
          salesforceId: string;
          url: string;
          object: string;
          status: string;
          record: unknown;
        };
        expect(send).toMatchObject({ status: 'succeeded', record: { type, id: records[type] } });
        expect(send.url).toBe(`${emulator.url}/lightning/r/${send.object}/${send.salesforceId}/view`);
        const lookup = type === 'Contact' || type === 'Lead' ? 'WhoId' : 'WhatId';
        const other = lookup === 'WhoId' ? 'WhatId' : 'WhoId';
        const accountOf = async () => {
          if (type === 'Account') return records.Account;
          if (type === 'Lead') return null;
          const [row] = await org.query(`SELECT AccountId FROM ${type} WHERE Id = '${records[type]}'`);
          return row.AccountId;
        };
        if (kind === 'task') {
          const [task] = await org.query(
            `SELECT WhoId, WhatId, AccountId, OwnerId, Status, Priority, ActivityDate, Subject, Description FROM Task WHERE Id = '${send.salesforceId}'`,
          );
          expect(task).toMatchObject({
            [lookup]: records[type],
            [other]: null,
            OwnerId: bobSalesforceId,
            Status: 'In Progress',
            Priority: 'High',
            ActivityDate: '2027-03-01',
            Subject: `Task ${label}`,
          });
          expect(task.AccountId).toBe(await accountOf());
          expect(task.Description).toMatch(/^Follow up\.\n\n\[ff:[0-9a-f]{12}\]$/);
        } else if (kind === 'event') {
          const [event] = await org.query(
            `SELECT WhoId, WhatId, AccountId, OwnerId, StartDateTime, EndDateTime, DurationInMinutes, Location, ShowAs FROM Event WHERE Id = '${send.salesforceId}'`,
          );
          expect(event).toMatchObject({
            [lookup]: records[type],
            [other]: null,
            OwnerId: aliceSalesforceId,
            DurationInMinutes: 45,
            Location: 'Zoom',
            ShowAs: 'Busy',
          });
          expect(String(event.StartDateTime)).toMatch(/^2027-03-02T16:00:00/);
          expect(event.AccountId).toBe(await accountOf());
        } else {
          expect(send.object).toBe('ContentNote');
          const links = await org.query(
            `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${send.salesforceId}'`,
          );
          expect(links.map((link) => link.LinkedEntityId)).toContain(records[type]);
          const [note] = await org.query(
            `SELECT Title, TextPreview, OwnerId FROM ContentNote WHERE Id = '${send.salesforceId}'`,
          );
          expect(note).toMatchObject({ Title: `Note ${label}`, OwnerId: aliceSalesforceId });
          expect(note.TextPreview).toMatch(/^Pricing: 3-year plan & <10%> "loyalty" discount\./);
        }
        // The item keeps what was sent: kind, id, link, who, when; no Salesforce field values.
        const view = (await alice.call('GET', `/api/meetings/${meetings.Harborview}`)).body.meeting;
        const item = view.items.find((candidate: { id: string }) => candidate.id === 'next-step-1');
        const kept = item.sends.find(
          (candidate: { salesforceId: string }) => candidate.salesforceId === send.salesforceId,
        );
        expect(kept).toMatchObject({
          kind,
          status: 'succeeded',
          url: send.url,
          sentBy: { email: 'alice@forcefield.demo' },
        });
        expect(kept.sentAt).toMatch(/^\d{4}-/);
        expect(JSON.stringify(kept)).not.toContain(label);
        // Audited: a meeting.send success naming the record, with ids and codes only.
        const { events } = await test.service.context.audit.query({
          action: 'meeting.send',
          outcome: 'success',
          limit: 500,
        });
        const audited = events.filter((event) => event.recordIds.includes(send.salesforceId));
        expect(audited).toHaveLength(1);
        expect(audited[0].recordIds).toEqual([send.salesforceId]);
        expect(audited[0].detail).toEqual({
          meetingId: meetings.Harborview,
          itemId: 'next-step-1',
          sendId: (send as unknown as { id: string }).id,
          kind,
          recordType: type,
          attempt: 1,
        });
        expect(JSON.stringify(audited[0])).not.toContain(label);
      },
    );

    it('sends classic Notes when the workspace is set to them', async () => {
      expect((await bob.call('PUT', '/api/meetings/settings', { noteFormat: 'classic' })).status).toBe(403);
      expect((await alice.call('PUT', '/api/meetings/settings', { noteFormat: 'classic' })).status).toBe(200);
      try {
        const sent = await sendItem(alice, meetings.Harborview, 'insight-1', {
          connectionId: aliceConnection,
          kind: 'note',
          values: { title: 'Classic', body: 'A classic note.' },
          records: [{ type: 'Account', id: records.Account }],
        });
        expect(sent.status).toBe(201);
        expect(sent.body.send.object).toBe('Note');
        const [note] = await org.query(
          `SELECT ParentId, Title, Body FROM Note WHERE Id = '${sent.body.send.salesforceId}'`,
        );
        expect(note).toMatchObject({ ParentId: records.Account, Title: 'Classic' });
      } finally {
        await alice.call('PUT', '/api/meetings/settings', { noteFormat: 'enhanced' });
      }
    });
  });

  describe('errors come back per field, and nothing is written', () => {
    const countActivities = async () =>
      (await org.query('SELECT Id FROM Task')).length +
      (await org.query('SELECT Id FROM Event')).length +
      (await org.query('SELECT Id FROM ContentNote')).length;

    /** A send from bob's connection, a task unless `kind` says otherwise. */
    const bobSend = (
      values: SendBody['values'],
      on: SendBody['records'],
      kind: SendBody['kind'] = 'task',
    ): SendBody => ({ connectionId: bobConnection, kind, values, records: on });

    /** One of bob's accounts, as a record to send to. */
    const bobAccount = async () => {
      const [account] = await org.query(
        `SELECT Id FROM Account WHERE OwnerId = '${bobSalesforceId}' LIMIT 1`,
      );
      return { type: 'Account', id: account.Id };
    };

    async function expectFieldError(body: SendBody, field: string | null, code?: string) {
      const before = await countActivities();
      const response = await sendItem(bob, meetings.Meridian, 'task-1', body);
      expect(response.status, JSON.stringify(response.body)).toBe(422);
      expect(response.body.error.code).toBe('invalid_send');
      const errors = response.body.error.details.errors as Array<{
        field: string | null;
        code: string;
        message: string;
      }>;
      expect(
        errors.some((error) => error.field === field && (code === undefined || error.code === code)),
        JSON.stringify(errors),
      ).toBe(true);
      expect(errors.every((error) => error.message.length > 0)).toBe(true);
      expect(await countActivities()).toBe(before);
      return errors;
    }

    it('refuses a missing required field, two records, a Lead with an Account, a wrong id', async () => {
      const account = await bobAccount();
      await expectFieldError(bobSend({ subject: '  ' }, [account]), 'subject', 'required');
      await expectFieldError(bobSend({ subject: 'Demo' }, [account], 'event'), 'startDateTime', 'required');
      await expectFieldError(bobSend({ subject: 'x' }, []), 'record', 'required');
      await expectFieldError(
        bobSend({ subject: 'x' }, [{ type: 'Lead', id: records.Lead }, account]),
        'record',
        'too_many_records',
      );
      await expectFieldError(
        bobSend({ subject: 'x' }, [{ type: 'Account', id: records.Lead }]),
        'record',
        'record_type_mismatch',
      );
      await expectFieldError(
        bobSend({ subject: 'x', dueDate: '2027-02-30' }, [account]),
        'dueDate',
        'invalid_date',
      );
    });

    it("maps Salesforce's own refusals to the form: unknown record, invisible record, bad picklist", async () => {
      const missingAccount = { type: 'Account', id: '0018d0000009999AAA' };
      const opportunity = { type: 'Opportunity', id: records.Opportunity };
      // An id of the right type that does not exist.
      await expectFieldError(bobSend({ subject: 'x' }, [missingAccount]), 'record');
      // Alice's private opportunity: bob's Salesforce user cannot see it.
      const errors = await expectFieldError(bobSend({ subject: 'x' }, [opportunity]), 'record');
      expect(errors[0].code).toBe('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
      // The same through an Enhanced Note: the composite is all or nothing.
      await expectFieldError(bobSend({ title: 'x', body: 'y' }, [opportunity], 'note'), 'record');
      // A status the org does not have: Salesforce's message, on the status field.
      const picklist = await expectFieldError(
        bobSend({ subject: 'x', status: 'Done' }, [await bobAccount()]),
        'status',
      );
      expect(picklist[0].message).toContain('Done');
      // An explicit, valid owner leaves the record as the only candidate of a fieldless refusal.
      await expectFieldError(
        bobSend({ subject: 'x', ownerId: bobSalesforceId }, [missingAccount]),
        'record',
        'INVALID_CROSS_REFERENCE_KEY',
      );
      // Every failed send is audited.
      const { events } = await test.service.context.audit.query({
        action: 'meeting.send',
        outcome: 'failure',
      });
      expect(events.length).toBeGreaterThanOrEqual(5);
    });
  });

  describe("Salesforce's own validation errors", () => {
    const taskBody = (subject: string, key: string): SendBody => ({
      connectionId: aliceConnection,
      kind: 'task',
      values: { subject, priority: 'High' },
      records: [{ type: 'Account', id: records.Account }],
      idempotencyKey: key,
    });

    it.each([
      {
        name: 'a validation rule naming Subject',
        fault: {
          message: 'Subject must start with a project code.',
          fields: ['Subject'],
        },
        expected: {
          field: 'subject',
          code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Subject must start with a project code.',
        },
      },
      {
        name: 'a validation rule naming a custom field not on the form',
        fault: { message: 'Region is required for EMEA accounts.', fields: ['Region__c'] },
        expected: {
          field: null,
          code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Region is required for EMEA accounts.',
        },
      },
      {
        name: 'a required field missing (Priority)',
        fault: {
          errorCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Priority]',
          fields: ['Priority'],
        },
        expected: {
          field: 'priority',
          code: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Priority]',
        },
      },
    ])('$name → 422 on the right form field, nothing created, audited', async ({ fault, expected }) => {
      const subject = `Validated ${expected.code} ${expected.field} ${dialect}`;
      const key = newKey();
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'POST',
        path: '/services/data/*/sobjects/Task',
        kind: 'validation-error',
        times: 1,
        ...fault,
      });
      const refused = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error.code).toBe('invalid_send');
      expect(refused.body.error.details.errors).toEqual([expected]);
      expect(await org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toEqual([]);
      const row = await test.service.store.db
        .selectFrom('meeting_sends')
        .select(['id', 'status', 'error_code'])
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', error_code: expected.code });
      const { events } = await test.service.context.audit.query({
        action: 'meeting.send',
        outcome: 'failure',
        limit: 500,
      });
      const audited = events.filter((event) => (event.detail as { sendId?: string }).sendId === row.id);
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ errorCode: expected.code, recordIds: [] });
      expect(JSON.stringify(audited[0])).not.toContain(subject);
      // The item shows the true outcome: failed, with Salesforce's code.
      const view = (await alice.call('GET', `/api/meetings/${meetings.Harborview}`)).body.meeting;
      const item = view.items.find((candidate: { id: string }) => candidate.id === 'task-1');
      expect(item.sends.find((send: { id: string }) => send.id === row.id)).toMatchObject({
        status: 'failed',
        errorCode: expected.code,
        salesforceId: null,
      });
    });

    it('a failed key is not reused for another item (409), but may be sent again for its own', async () => {
      const subject = `Refused then fixed ${dialect}`;
      const key = newKey();
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'POST',
        path: '/services/data/*/sobjects/Task',
        kind: 'validation-error',
        times: 1,
        message: 'Not yet.',
        fields: ['Subject'],
      });
      expect((await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key))).status).toBe(422);
      // The same key for another item of the meeting, or another meeting: refused, nothing sent.
      const calls = await countCalls(emulator, async () => {
        const otherItem = await sendItem(alice, meetings.Harborview, 'next-step-1', taskBody(subject, key));
        expect(otherItem.status).toBe(409);
        expect(otherItem.body.error.code).toBe('idempotency_key_reused');
        const otherMeeting = await sendItem(alice, meetings.Intro, 'task-1', taskBody(subject, key));
        expect(otherMeeting.status).toBe(409);
      });
      expect(calls).toBe(0);
      const row = await test.service.store.db
        .selectFrom('meeting_sends')
        .select(['meeting_id', 'item_id', 'status'])
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ meeting_id: meetings.Harborview, item_id: 'task-1', status: 'failed' });
      // Its own item, fixed: sent, once.
      const sent = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      expect(await org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    });
  });

  describe('a responsible user who is not an active user of the org', () => {
    it('is refused on the responsible-user field, before Salesforce when the form listed the users', async () => {
      const [account] = await org.query(
        `SELECT Id FROM Account WHERE OwnerId = '${bobSalesforceId}' LIMIT 1`,
      );
      const body = (ownerId: string): SendBody => ({
        connectionId: bobConnection,
        kind: 'task',
        values: { subject: 'Owner check', ownerId },
        records: [{ type: 'Account', id: account.Id }],
      });
      const tasksBefore = (await org.query("SELECT Id FROM Task WHERE Subject = 'Owner check'")).length;
      // The form lists the org's active users (and caches them).
      const form = await bob.call(
        'GET',
        `/api/meetings/${meetings.Meridian}/items/task-1/form?kind=task&connectionId=${bobConnection}`,
      );
      expect(form.status).toBe(200);
      const missing = '0058d0000009999AAA';
      let refused: Awaited<ReturnType<typeof sendItem>> | undefined;
      const calls = await countCalls(emulator, async () => {
        refused = await sendItem(bob, meetings.Meridian, 'task-1', body(missing));
      });
      expect(calls).toBe(0);
      expect(refused?.status).toBe(422);
      expect(refused?.body.error.details.errors).toEqual([
        { field: 'ownerId', code: 'inactive_user', message: expect.stringContaining('not an active') },
      ]);

      // Once the list is stale, Salesforce refuses the owner with an error naming no field; the
      // owner is told apart from the record by the active users (one read, on this path only).
      clockOffset += 11 * 60_000;
      try {
        const atSalesforce = await countCalls(emulator, async () => {
          refused = await sendItem(bob, meetings.Meridian, 'task-1', body(missing));
        });
        expect(refused?.status, JSON.stringify(refused?.body)).toBe(422);
        expect(refused?.body.error.details.errors).toEqual([
          { field: 'ownerId', code: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id' },
        ]);
        expect(atSalesforce).toBe(2); // the refused create, then the active users
      } finally {
        clockOffset -= 11 * 60_000;
      }
      expect((await org.query("SELECT Id FROM Task WHERE Subject = 'Owner check'")).length).toBe(tasksBefore);
      // An active user is accepted.
      const sent = await sendItem(bob, meetings.Meridian, 'task-1', body(aliceSalesforceId));
      expect(sent.status).toBe(201);
      const [task] = await org.query(`SELECT OwnerId FROM Task WHERE Id = '${sent.body.send.salesforceId}'`);
      expect(task.OwnerId).toBe(aliceSalesforceId);
    });
  });

  describe('exactly once', () => {
    const taskBody = (subject: string, key: string): SendBody => ({
      connectionId: aliceConnection,
      kind: 'task',
      values: { subject, status: 'Not Started' },
      records: [{ type: 'Account', id: records.Account }],
      idempotencyKey: key,
    });
    const tasksWithSubject = async (subject: string) =>
      org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`);

    it('20 concurrent identical sends create one record and all answer it', async () => {
      const subject = `Concurrent ${dialect}`;
      const key = newKey();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key)),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(19).fill(200), 201]);
      const ids = new Set(answers.map((answer) => answer.body.send.salesforceId));
      expect(ids.size).toBe(1);
      // The 19 duplicates are audited as replays of the one send, naming its record.
      const sendId = answers[0].body.send.id;
      const { events: replayed } = await test.service.context.audit.query({
        action: 'meeting.send.replayed',
        limit: 500,
      });
      const ofThisSend = replayed.filter(
        (event) => (event.detail as { sendId?: string } | null)?.sendId === sendId,
      );
      expect(ofThisSend).toHaveLength(19);
      expect(ofThisSend.every((event) => event.outcome === 'success')).toBe(true);
      expect(ofThisSend.every((event) => event.recordIds.join() === [...ids][0])).toBe(true);
      expect(await tasksWithSubject(subject)).toHaveLength(1);
      // A double click later: still the same record; the key with other values is refused.
      const again = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(again.status).toBe(200);
      expect(again.body.send.salesforceId).toBe([...ids][0]);
      const reused = await sendItem(
        alice,
        meetings.Harborview,
        'task-1',
        taskBody(`${subject} changed`, key),
      );
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
      expect(
        (
          await sendItem(bob, meetings.Harborview, 'task-1', {
            ...taskBody(subject, key),
            connectionId: bobConnection,
          })
        ).status,
      ).toBe(409);
    });

    it('a response lost after Salesforce committed: found by its marker, never created twice', async () => {
      const subject = `Dropped ${dialect}`;
      const key = newKey();
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'POST',
        path: '/services/data/*/sobjects/Task',
        kind: 'drop-after',
        times: 1,
      });
      const first = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      // The marker lookup right after the drop already finds the record.
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const retry = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(retry.status).toBe(200);
      expect(retry.body.send.salesforceId).toBe(first.body.send.salesforceId);
      const tasks = await tasksWithSubject(subject);
      expect(tasks.map((task) => task.Id)).toEqual([first.body.send.salesforceId]);
      const { events } = await test.service.context.audit.query({ action: 'meeting.send.resolved' });
      expect(events.some((event) => event.recordIds.includes(first.body.send.salesforceId))).toBe(true);
    });

    it('a lost response whose lookup fails too: unknown, then the retry returns the one record', async () => {
      const subject = `Dropped twice ${dialect}`;
      const key = newKey();
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'POST',
        path: '/services/data/*/sobjects/Task',
        kind: 'drop-after',
        times: 1,
      });
      // jsforce retries GETs on 5xx; a 403 it does not.
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'GET',
        path: '/services/data/*/queryAll',
        kind: 'request-limit-exceeded',
        times: 1,
      });
      const first = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(first.status).toBe(503);
      expect(first.body.error).toMatchObject({
        code: 'send_outcome_unknown',
        details: { retryAfterSeconds: 1 },
      });
      const view = (await alice.call('GET', `/api/meetings/${meetings.Harborview}`)).body.meeting;
      const item = view.items.find((candidate: { id: string }) => candidate.id === 'task-1');
      expect(item.sends.some((send: { status: string }) => send.status === 'unknown')).toBe(true);
      const retry = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      const tasks = await tasksWithSubject(subject);
      expect(tasks.map((task) => task.Id)).toEqual([retry.body.send.salesforceId]);
    });

    it('a request that never reached Salesforce: after the settle time the retry sends it, once', async () => {
      const subject = `Dropped before ${dialect}`;
      const key = newKey();
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'POST',
        path: '/services/data/*/sobjects/Task',
        kind: 'drop-before',
        times: 1,
      });
      const first = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(first.status).toBe(503);
      expect(await tasksWithSubject(subject)).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 350));
      const retry = await sendItem(alice, meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(retry.status, JSON.stringify(retry.body)).toBe(201);
      expect(await tasksWithSubject(subject)).toHaveLength(1);
      const marker = markerFor(
        `${(await test.service.store.db.selectFrom('users').select('id').where('email', '=', 'alice@forcefield.demo').executeTakeFirstOrThrow()).id}:${key}`,
      );
      const [task] = await org.query(
        `SELECT Description FROM Task WHERE Id = '${retry.body.send.salesforceId}'`,
      );
      expect(task.Description.endsWith(marker)).toBe(true);
    });

    it('an Enhanced Note whose response is lost is found by its content marker', async () => {
      const key = newKey();
      await emulatorAdminCall(emulator, 'POST', '/faults', {
        method: 'POST',
        path: '/services/data/*/composite',
        kind: 'drop-after',
        times: 1,
      });
      const body: SendBody = {
        connectionId: aliceConnection,
        kind: 'note',
        values: { title: `Dropped note ${dialect}`, body: 'Kept once.' },
        records: [{ type: 'Opportunity', id: records.Opportunity }],
        idempotencyKey: key,
      };
      const first = await sendItem(alice, meetings.Harborview, 'decision-1', body);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const retry = await sendItem(alice, meetings.Harborview, 'decision-1', body);
      expect(retry.body.send.salesforceId).toBe(first.body.send.salesforceId);
      expect(
        await org.query(`SELECT Id FROM ContentNote WHERE Title = 'Dropped note ${dialect}'`),
      ).toHaveLength(1);
    });
  });
});
