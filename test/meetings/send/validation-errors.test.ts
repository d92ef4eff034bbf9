/**
 * A refused send: errors per field (ours and Salesforce's own), and nothing is written. The HTTP API
 * of a running service against the emulator, every result read back from the emulator itself. Runs
 * on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS } from '../../support/store.ts';
import { aliceAccountTask, useMeetingService } from '../service-fixture.ts';
import { countCalls, injectFault, newKey, type SendBody, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('meeting sends refused per field (%s)', (dialect) => {
  let clockOffset = 0;
  const world = useMeetingService(dialect, () => Date.now() + clockOffset);

  describe('errors come back per field, and nothing is written', () => {
    const countActivities = async () =>
      (await world.org.query('SELECT Id FROM Task')).length +
      (await world.org.query('SELECT Id FROM Event')).length +
      (await world.org.query('SELECT Id FROM ContentNote')).length;

    /** A send from bob's connection, a task unless `kind` says otherwise. */
    const bobSend = (
      values: SendBody['values'],
      on: SendBody['records'],
      kind: SendBody['kind'] = 'task',
    ): SendBody => ({ connectionId: world.bobConnection, kind, values, records: on });

    /** One of bob's accounts, as a record to send to. */
    const bobAccount = async () => {
      const [account] = await world.org.query(
        `SELECT Id FROM Account WHERE OwnerId = '${world.bobSalesforceId}' LIMIT 1`,
      );
      return { type: 'Account', id: account.Id };
    };

    async function expectFieldError(body: SendBody, field: string | null, code?: string) {
      const before = await countActivities();
      const response = await sendItem(world.bob, world.meetings.Meridian, 'task-1', body);
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
        bobSend({ subject: 'x' }, [{ type: 'Lead', id: world.records.Lead }, account]),
        'record',
        'too_many_records',
      );
      await expectFieldError(
        bobSend({ subject: 'x' }, [{ type: 'Account', id: world.records.Lead }]),
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
      const opportunity = { type: 'Opportunity', id: world.records.Opportunity };
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
        bobSend({ subject: 'x', ownerId: world.bobSalesforceId }, [missingAccount]),
        'record',
        'INVALID_CROSS_REFERENCE_KEY',
      );
      // Every failed send is audited.
      const { events } = await world.test.service.context.audit.query({
        action: 'meeting.send',
        outcome: 'failure',
      });
      expect(events.length).toBeGreaterThanOrEqual(5);
    });
  });

  describe("Salesforce's own validation errors", () => {
    const taskBody = (subject: string, key: string) =>
      aliceAccountTask(world, { subject, priority: 'High' }, key);

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
      await injectFault(world.emulator, 'validation-error', fault);
      const refused = await sendItem(
        world.alice,
        world.meetings.Harborview,
        'task-1',
        taskBody(subject, key),
      );
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error.code).toBe('invalid_send');
      expect(refused.body.error.details.errors).toEqual([expected]);
      expect(await world.org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toEqual([]);
      const row = await world.test.service.store.db
        .selectFrom('meeting_sends')
        .select(['id', 'status', 'error_code'])
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', error_code: expected.code });
      const { events } = await world.test.service.context.audit.query({
        action: 'meeting.send',
        outcome: 'failure',
        limit: 500,
      });
      const audited = events.filter((event) => (event.detail as { sendId?: string }).sendId === row.id);
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ errorCode: expected.code, recordIds: [] });
      expect(JSON.stringify(audited[0])).not.toContain(subject);
      // The item shows the true outcome: failed, with Salesforce's code.
      const view = (await world.alice.call('GET', `/api/meetings/${world.meetings.Harborview}`)).body.meeting;
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
      await injectFault(world.emulator, 'validation-error', { message: 'Not yet.', fields: ['Subject'] });
      expect(
        (await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key))).status,
      ).toBe(422);
      // The same key for another item of the meeting, or another meeting: refused, nothing sent.
      const calls = await countCalls(world.emulator, async () => {
        const otherItem = await sendItem(
          world.alice,
          world.meetings.Harborview,
          'next-step-1',
          taskBody(subject, key),
        );
        expect(otherItem.status).toBe(409);
        expect(otherItem.body.error.code).toBe('idempotency_key_reused');
        const otherMeeting = await sendItem(
          world.alice,
          world.meetings.Intro,
          'task-1',
          taskBody(subject, key),
        );
        expect(otherMeeting.status).toBe(409);
      });
      expect(calls).toBe(0);
      const row = await world.test.service.store.db
        .selectFrom('meeting_sends')
        .select(['meeting_id', 'item_id', 'status'])
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ meeting_id: world.meetings.Harborview, item_id: 'task-1', status: 'failed' });
      // Its own item, fixed: sent, once.
      const sent = await sendItem(world.alice, world.meetings.Harborview, 'task-1', taskBody(subject, key));
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      expect(await world.org.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    });
  });

  describe('a responsible user who is not an active user of the org', () => {
    it('is refused on the responsible-user field, before Salesforce when the form listed the users', async () => {
      const [account] = await world.org.query(
        `SELECT Id FROM Account WHERE OwnerId = '${world.bobSalesforceId}' LIMIT 1`,
      );
      const body = (ownerId: string): SendBody => ({
        connectionId: world.bobConnection,
        kind: 'task',
        values: { subject: 'Owner check', ownerId },
        records: [{ type: 'Account', id: account.Id }],
      });
      const tasksBefore = (await world.org.query("SELECT Id FROM Task WHERE Subject = 'Owner check'")).length;
      // The form lists the org's active users (and caches them).
      const form = await world.bob.call(
        'GET',
        `/api/meetings/${world.meetings.Meridian}/items/task-1/form?kind=task&connectionId=${world.bobConnection}`,
      );
      expect(form.status).toBe(200);
      const missing = '0058d0000009999AAA';
      let refused: Awaited<ReturnType<typeof sendItem>> | undefined;
      const calls = await countCalls(world.emulator, async () => {
        refused = await sendItem(world.bob, world.meetings.Meridian, 'task-1', body(missing));
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
        const atSalesforce = await countCalls(world.emulator, async () => {
          refused = await sendItem(world.bob, world.meetings.Meridian, 'task-1', body(missing));
        });
        expect(refused?.status, JSON.stringify(refused?.body)).toBe(422);
        expect(refused?.body.error.details.errors).toEqual([
          { field: 'ownerId', code: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id' },
        ]);
        expect(atSalesforce).toBe(2); // the refused create, then the active users
      } finally {
        clockOffset -= 11 * 60_000;
      }
      expect((await world.org.query("SELECT Id FROM Task WHERE Subject = 'Owner check'")).length).toBe(
        tasksBefore,
      );
      // An active user is accepted.
      const sent = await sendItem(
        world.bob,
        world.meetings.Meridian,
        'task-1',
        body(world.aliceSalesforceId),
      );
      expect(sent.status).toBe(201);
      const [task] = await world.org.query(
        `SELECT OwnerId FROM Task WHERE Id = '${sent.body.send.salesforceId}'`,
      );
      expect(task.OwnerId).toBe(world.aliceSalesforceId);
    });
  });
});
