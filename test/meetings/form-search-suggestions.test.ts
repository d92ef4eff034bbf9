/**
 * The send form, the record search and the suggestions, each within its Salesforce API budget. The
 * HTTP API of a running service against the emulator, every result read back from the emulator
 * itself. Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import jsforce from 'jsforce';
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../emulator/index.ts';
import { connect } from '../support/connections.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { answeredStatuses, TYPES, useMeetingService } from './service-fixture.ts';
import { countCalls } from './support.ts';

describe.each(STORE_DIALECTS)('the send form, record search and suggestions (%s)', (dialect) => {
  let clockOffset = 0;
  const world = useMeetingService(dialect, () => Date.now() + clockOffset);

  describe('the send form, record search and suggestions, within the API budget', () => {
    it('describes the task form from the org: labels, required, picklists with defaults, users, prefill', async () => {
      const path = `/api/meetings/${world.meetings.Harborview}/items/next-step-1/form?kind=task&connectionId=${world.aliceConnection}`;
      let form:
        | {
            status: number;
            body: { form: { fields: Array<Record<string, unknown>>; record: { types: string[] } } };
          }
        | undefined;
      const cold = await countCalls(world.emulator, async () => {
        form = await world.alice.call('GET', path);
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
      expect(fields.ownerId).toMatchObject({ type: 'user', value: world.aliceSalesforceId });
      expect((fields.ownerId.options as Array<{ value: string }>).map((option) => option.value)).toContain(
        world.bobSalesforceId,
      );
      expect(form!.body.form.record.types.sort()).toEqual([...TYPES].sort());

      const warm = await countCalls(world.emulator, () => world.alice.call('GET', path));
      expect(warm).toBe(0);
      const describePath = '/sobjects/Task/describe';
      clockOffset += 5 * 60_000; // the describe is stale now: one If-Modified-Since, answered 304
      try {
        let since = new Date().toISOString();
        expect(await countCalls(world.emulator, () => world.alice.call('GET', path))).toBe(1);
        expect(await answeredStatuses(world.emulator, describePath, since)).toEqual([304]);
        // Fresh again: no call within the freshness window.
        expect(await countCalls(world.emulator, () => world.alice.call('GET', path))).toBe(0);

        // The org's metadata changes (Last-Modified moves on): after the freshness window the
        // revalidation gets a full 200, whose describe and Last-Modified replace the cached ones…
        world.emulator.org.markSchemaModified();
        clockOffset += 2 * 60_000;
        since = new Date().toISOString();
        const replaced = await countCalls(world.emulator, async () => {
          const answer = await world.alice.call('GET', path);
          expect(answer.status).toBe(200);
        });
        expect(replaced).toBe(1);
        expect(await answeredStatuses(world.emulator, describePath, since)).toEqual([200]);
        // …so the next revalidation, with the new Last-Modified, is a 304 again.
        clockOffset += 2 * 60_000;
        since = new Date().toISOString();
        expect(await countCalls(world.emulator, () => world.alice.call('GET', path))).toBe(1);
        expect(await answeredStatuses(world.emulator, describePath, since)).toEqual([304]);
      } finally {
        clockOffset -= 9 * 60_000;
      }

      const event = await world.alice.call(
        'GET',
        `/api/meetings/${world.meetings.Harborview}/items/decision-1/form?kind=event&connectionId=${world.aliceConnection}`,
      );
      const eventFields = Object.fromEntries(
        event.body.form.fields.map((field: { name: string }) => [field.name, field]),
      );
      expect(Object.keys(eventFields)).toEqual(
        expect.arrayContaining(['startDateTime', 'endDateTime', 'durationInMinutes', 'location', 'showAs']),
      );
      const note = await world.alice.call(
        'GET',
        `/api/meetings/${world.meetings.Harborview}/items/insight-1/form?kind=note&connectionId=${world.aliceConnection}`,
      );
      expect(note.body.form.object).toBe('ContentNote');
      expect(note.body.form.fields.map((field: { name: string }) => field.name)).toEqual(['title', 'body']);
      // Not someone else's connection.
      expect((await world.bob.call('GET', path.replace('Harborview', 'x'))).status).toBe(404);
      expect(
        (
          await world.bob.call(
            'GET',
            `/api/meetings/${world.meetings.Harborview}/items/next-step-1/form?kind=task&connectionId=${world.aliceConnection}`,
          )
        ).status,
      ).toBe(404);
    });

    it('searches records in one SOSL call, and short terms in none', async () => {
      let result: { status: number; body: { records: Array<{ type: string; title: string }> } } | undefined;
      // Cold (nothing about the profile cached): a profile that reads the five objects costs the
      // search alone, no metadata calls — alice (admin) and bob (standard user) alike.
      const cold = await countCalls(world.emulator, () =>
        world.alice.call(
          'GET',
          `/api/meetings/${world.meetings.Harborview}/record-search?connectionId=${world.aliceConnection}&q=Harbor`,
        ),
      );
      expect(cold).toBe(1);
      const bobCold = await countCalls(world.emulator, async () => {
        const answer = await world.bob.call(
          'GET',
          `/api/meetings/${world.meetings.Harborview}/record-search?connectionId=${world.bobConnection}&q=Harbor`,
        );
        expect(answer.status).toBe(200);
        expect(answer.body.records.length).toBeGreaterThan(0);
      });
      expect(bobCold).toBe(1);
      const calls = await countCalls(world.emulator, async () => {
        result = await world.alice.call(
          'GET',
          `/api/meetings/${world.meetings.Harborview}/record-search?connectionId=${world.aliceConnection}&q=Harborv`,
        );
      });
      expect(calls).toBe(1);
      expect(result?.status).toBe(200);
      const types = new Set(result!.body.records.map((row) => row.type));
      expect(types.has('Account') && types.has('Opportunity') && types.has('Contact')).toBe(true);
      const special = await world.alice.call(
        'GET',
        `/api/meetings/${world.meetings.Harborview}/record-search?connectionId=${world.aliceConnection}&q=${encodeURIComponent('O\'Brien & {x} "y" - *')}`,
      );
      expect(special.status).toBe(200);
      const short = await countCalls(world.emulator, async () => {
        const answer = await world.alice.call(
          'GET',
          `/api/meetings/${world.meetings.Harborview}/record-search?connectionId=${world.aliceConnection}&q=a`,
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
      const calls = await countCalls(world.emulator, async () => {
        result = await world.alice.call(
          'GET',
          `/api/meetings/${world.meetings.Harborview}/suggestions?connectionId=${world.aliceConnection}`,
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
      const leadCalls = await countCalls(world.emulator, async () => {
        lead = await world.bob.call(
          'GET',
          `/api/meetings/${world.meetings.Intro}/suggestions?connectionId=${world.bobConnection}`,
        );
      });
      expect(leadCalls).toBe(1);
      expect(lead!.body.suggestions[0]).toMatchObject({ type: 'Lead', title: 'Priya Dubois' });
    });

    it('searches and suggests as a profile that cannot read Case nor Opportunity.Amount (dave)', async () => {
      // Carol's connection logs in to Salesforce as dave (Sales Contractor: no Case, no Amount).
      const daveConnection = await connect(world.carol, world.emulator, {
        kind: 'personal',
        username: 'dave@acme.demo',
      });
      const dave = new jsforce.Connection({
        oauth2: {
          clientId: DEMO_APP.clientId,
          clientSecret: DEMO_APP.clientSecret,
          loginUrl: world.emulator.url,
        },
        version: '66.0',
      });
      await dave.login('dave@acme.demo', 'demo1234');
      // Opportunities are private: dave sees the ones he owns.
      const [meridian] = await world.org.query("SELECT Id FROM Account WHERE Name = 'Meridian Telecom'");
      const created = await dave.sobject('Opportunity').create({
        Name: 'Meridian Telecom - Contractor renewal',
        AccountId: meridian.Id,
        StageName: 'Prospecting',
        CloseDate: '2027-03-31',
      });
      const search = `/api/meetings/${world.meetings.Meridian}/record-search?connectionId=${daveConnection}&q=Meridian`;
      let found: { status: number; body: { records: Array<Record<string, unknown>> } } | undefined;
      const since = new Date().toISOString();
      const cold = await countCalls(world.emulator, async () => {
        found = await world.carol.call('GET', search);
      });
      expect(found?.status, JSON.stringify(found?.body)).toBe(200);
      // The full search, refused (dave cannot read Case); then describeGlobal and four describes
      // (Case is not listed); then the search without what dave cannot read.
      expect(cold).toBe(7);
      expect(await answeredStatuses(world.emulator, '/search', since)).toEqual([400, 200]);
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
      expect(await countCalls(world.emulator, () => world.carol.call('GET', search))).toBe(1);

      let suggested:
        | {
            body: {
              suggestions: Array<{ type: string; id: string; fields: Array<{ name: string }> }>;
              problems: unknown[];
            };
          }
        | undefined;
      const suggestionCalls = await countCalls(world.emulator, async () => {
        suggested = await world.carol.call(
          'GET',
          `/api/meetings/${world.meetings.Meridian}/suggestions?connectionId=${daveConnection}`,
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
        const coldSuggestions = await countCalls(world.emulator, async () => {
          suggested = await world.carol.call(
            'GET',
            `/api/meetings/${world.meetings.Meridian}/suggestions?connectionId=${daveConnection}`,
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
      for (const meeting of Object.values(world.meetings)) {
        const view = (await world.alice.call('GET', `/api/meetings/${meeting}`)).body.meeting;
        for (const participant of view.participants.filter(
          (person: { internal: boolean }) => !person.internal,
        )) {
          const contacts = await world.org.query(
            `SELECT Id FROM Contact WHERE Email = '${participant.email}'`,
          );
          const leads = await world.org.query(`SELECT Id FROM Lead WHERE Email = '${participant.email}'`);
          expect(contacts.length + leads.length, participant.email).toBe(1);
        }
      }
    });
  });
});
