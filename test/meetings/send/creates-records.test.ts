/**
 * Sending meeting items creates the Salesforce record of each kind on each linkable type. The HTTP
 * API of a running service against the emulator, every result read back from the emulator itself.
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS } from '../../support/store.ts';
import { KINDS, TYPES, useMeetingService } from '../service-fixture.ts';
import { countCalls, newKey, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('meeting sends create records (%s)', (dialect) => {
  const world = useMeetingService(dialect);

  describe('creating records', () => {
    const valuesFor = (kind: (typeof KINDS)[number], label: string): Record<string, string | number> => {
      if (kind === 'task') {
        return {
          subject: `Task ${label}`,
          description: 'Follow up.',
          status: 'In Progress',
          priority: 'High',
          dueDate: '2027-03-01',
          ownerId: world.bobSalesforceId,
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
        const calls = await countCalls(world.emulator, async () => {
          response = await sendItem(world.alice, world.meetings.Harborview, 'next-step-1', {
            connectionId: world.aliceConnection,
            kind,
            values: valuesFor(kind, label),
            records: [{ type, id: world.records[type] }],
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
        expect(send).toMatchObject({ status: 'succeeded', record: { type, id: world.records[type] } });
        expect(send.url).toBe(`${world.emulator.url}/lightning/r/${send.object}/${send.salesforceId}/view`);
        const lookup = type === 'Contact' || type === 'Lead' ? 'WhoId' : 'WhatId';
        const other = lookup === 'WhoId' ? 'WhatId' : 'WhoId';
        const accountOf = async () => {
          if (type === 'Account') return world.records.Account;
          if (type === 'Lead') return null;
          const [row] = await world.org.query(
            `SELECT AccountId FROM ${type} WHERE Id = '${world.records[type]}'`,
          );
          return row.AccountId;
        };
        if (kind === 'task') {
          const [task] = await world.org.query(
            `SELECT WhoId, WhatId, AccountId, OwnerId, Status, Priority, ActivityDate, Subject, Description FROM Task WHERE Id = '${send.salesforceId}'`,
          );
          expect(task).toMatchObject({
            [lookup]: world.records[type],
            [other]: null,
            OwnerId: world.bobSalesforceId,
            Status: 'In Progress',
            Priority: 'High',
            ActivityDate: '2027-03-01',
            Subject: `Task ${label}`,
          });
          expect(task.AccountId).toBe(await accountOf());
          expect(task.Description).toMatch(/^Follow up\.\n\n\[ff:[0-9a-f]{12}\]$/);
        } else if (kind === 'event') {
          const [event] = await world.org.query(
            `SELECT WhoId, WhatId, AccountId, OwnerId, StartDateTime, EndDateTime, DurationInMinutes, Location, ShowAs FROM Event WHERE Id = '${send.salesforceId}'`,
          );
          expect(event).toMatchObject({
            [lookup]: world.records[type],
            [other]: null,
            OwnerId: world.aliceSalesforceId,
            DurationInMinutes: 45,
            Location: 'Zoom',
            ShowAs: 'Busy',
          });
          expect(String(event.StartDateTime)).toMatch(/^2027-03-02T16:00:00/);
          expect(event.AccountId).toBe(await accountOf());
        } else {
          expect(send.object).toBe('ContentNote');
          const links = await world.org.query(
            `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${send.salesforceId}'`,
          );
          expect(links.map((link) => link.LinkedEntityId)).toContain(world.records[type]);
          const [note] = await world.org.query(
            `SELECT Title, TextPreview, OwnerId FROM ContentNote WHERE Id = '${send.salesforceId}'`,
          );
          expect(note).toMatchObject({ Title: `Note ${label}`, OwnerId: world.aliceSalesforceId });
          expect(note.TextPreview).toMatch(/^Pricing: 3-year plan & <10%> "loyalty" discount\./);
        }
        // The item keeps what was sent: kind, id, link, who, when; no Salesforce field values.
        const view = (await world.alice.call('GET', `/api/meetings/${world.meetings.Harborview}`)).body
          .meeting;
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
        const { events } = await world.test.service.context.audit.query({
          action: 'meeting.send',
          outcome: 'success',
          limit: 500,
        });
        const audited = events.filter((event) => event.recordIds.includes(send.salesforceId));
        expect(audited).toHaveLength(1);
        expect(audited[0].recordIds).toEqual([send.salesforceId]);
        expect(audited[0].detail).toEqual({
          meetingId: world.meetings.Harborview,
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
      expect((await world.bob.call('PUT', '/api/meetings/settings', { noteFormat: 'classic' })).status).toBe(
        403,
      );
      expect(
        (await world.alice.call('PUT', '/api/meetings/settings', { noteFormat: 'classic' })).status,
      ).toBe(200);
      const changes = (await world.alice.call('GET', '/api/audit?action=meetings.settings_changed')).body
        .events;
      expect(changes[0]).toMatchObject({ outcome: 'success', detail: { noteFormat: 'classic' } });
      try {
        const sent = await sendItem(world.alice, world.meetings.Harborview, 'insight-1', {
          connectionId: world.aliceConnection,
          kind: 'note',
          values: { title: 'Classic', body: 'A classic note.' },
          records: [{ type: 'Account', id: world.records.Account }],
        });
        expect(sent.status).toBe(201);
        expect(sent.body.send.object).toBe('Note');
        const [note] = await world.org.query(
          `SELECT ParentId, Title, Body FROM Note WHERE Id = '${sent.body.send.salesforceId}'`,
        );
        expect(note).toMatchObject({ ParentId: world.records.Account, Title: 'Classic' });
      } finally {
        await world.alice.call('PUT', '/api/meetings/settings', { noteFormat: 'enhanced' });
      }
    });
  });
});
