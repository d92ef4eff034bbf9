/**
 * The send form never refuses what it prefilled: for random meetings (any minute, second and
 * millisecond, from a minute to beyond Salesforce's 14-day event, years 1700 to 4000) and random
 * item texts (emoji, astral characters, long lines), every value the form prefills — and every
 * default it shows — is accepted by the send's own checks against the same describe, as the form's
 * values are posted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSendForm, type SendForm } from '../../../src/meetings/form-description.ts';
import type { Meeting, MeetingItemKind } from '../../../src/meetings/meeting-format.ts';
import { meetingSchema } from '../../../src/meetings/meeting-format.ts';
import { buildSendRequest } from '../../../src/meetings/payloads/send-request.ts';
import { ACTIVE_USERS, ALICE_ID, allDescribes, RECORD_IDS } from '../fixtures.ts';

const ITEM_KINDS: MeetingItemKind[] = ['insight', 'decision', 'next_step', 'task'];
const SEND_KINDS = ['task', 'event', 'note'] as const;

const text = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 2000 }),
  fc
    .array(fc.constantFrom('😀', '👩‍👩‍👧', '𝒳', 'é', 'a', ' ', '\n', 'word '), {
      minLength: 1,
      maxLength: 3000,
    })
    .map((parts) => parts.join('')),
);

const MIN_TIME = Date.UTC(1700, 0, 2);
const MAX_TIME = Date.UTC(3999, 11, 1);

const meeting = fc
  .record({
    start: fc.integer({ min: MIN_TIME, max: MAX_TIME }),
    lengthMs: fc.oneof(
      fc.integer({ min: 1, max: 4 * 3_600_000 }),
      fc.integer({ min: 1, max: 30 * 24 * 3_600_000 }),
    ),
    kind: fc.constantFrom(...ITEM_KINDS),
    text,
    title: fc.string({ minLength: 1, maxLength: 200 }).filter((title) => title.trim().length > 0),
  })
  .map(
    ({ start, lengthMs, kind, text: itemText, title }): Meeting => ({
      title,
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + lengthMs).toISOString(),
      participants: [{ name: 'Alice Admin', email: 'alice@acme.demo', internal: true }],
      items: [{ id: 'i1', kind, text: itemText }],
    }),
  );

function postedValues(form: SendForm): Record<string, string | number | null> {
  return Object.fromEntries(form.fields.map((field) => [field.name, field.value as string | number | null]));
}

describe('what the send form prefills, the send accepts', () => {
  it('for random meeting times and item texts, every kind', () => {
    fc.assert(
      fc.property(meeting, fc.constantFrom(...SEND_KINDS), (generated, kind) => {
        // Only meetings the import accepts.
        const parsed = meetingSchema.safeParse(generated);
        fc.pre(parsed.success);
        const result = describeSendForm({
          kind,
          item: generated.items[0],
          meeting: generated,
          describe: allDescribes(),
          users: ACTIVE_USERS,
          connectedUserId: ALICE_ID,
          now: new Date(Date.UTC(2027, 1, 1, 16, 20, 31)),
        });
        if (!result.ok) throw new Error(result.message);
        const built = buildSendRequest({
          kind,
          values: postedValues(result.form),
          records: [{ type: 'Opportunity', id: RECORD_IDS.Opportunity }],
          idempotencyKey: 'user-1:key-property',
          apiVersion: '66.0',
          describe: allDescribes(),
          activeUserIds: ACTIVE_USERS.map((user) => user.Id),
        });
        expect(built.ok ? [] : built.errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a meeting ending on a non-whole minute prefills an event that is sent (17:00:00 → 17:45:30)', () => {
    const generated: Meeting = {
      title: 'Odd end',
      startTime: '2027-02-01T17:00:00Z',
      endTime: '2027-02-01T17:45:30Z',
      participants: [],
      items: [{ id: 'd1', kind: 'decision', text: 'Ship it' }],
    };
    const result = describeSendForm({
      kind: 'event',
      item: generated.items[0],
      meeting: generated,
      describe: allDescribes(),
      users: ACTIVE_USERS,
      connectedUserId: ALICE_ID,
      now: new Date('2027-02-01T18:00:00Z'),
    });
    if (!result.ok) throw new Error(result.message);
    const values = postedValues(result.form);
    expect(values).toMatchObject({
      startDateTime: '2027-02-01T17:00:00.000Z',
      endDateTime: '2027-02-01T17:46:00.000Z',
      durationInMinutes: 46,
    });
    const built = buildSendRequest({
      kind: 'event',
      values,
      records: [{ type: 'Opportunity', id: RECORD_IDS.Opportunity }],
      idempotencyKey: 'user-1:key-odd',
      apiVersion: '66.0',
      describe: allDescribes(),
    });
    expect(built.ok ? [] : built.errors).toEqual([]);
  });

  it('counts lengths in UTF-16 units like Salesforce: 255 emoji do not fit a 255-unit Subject', () => {
    const built = buildSendRequest({
      kind: 'task',
      values: { subject: '😀'.repeat(128), status: 'Not Started', priority: 'Normal', ownerId: ALICE_ID },
      records: [{ type: 'Opportunity', id: RECORD_IDS.Opportunity }],
      idempotencyKey: 'user-1:key-emoji',
      apiVersion: '66.0',
      describe: allDescribes(),
    });
    expect(built.ok ? [] : built.errors).toEqual([
      expect.objectContaining({ field: 'subject', code: 'too_long' }),
    ]);
  });
});
