import { describe, expect, it } from 'vitest';
import {
  MARKER_RESERVED_LENGTH,
  markerFor,
  noteContentHasMarker,
} from '../../../src/meetings/payloads/send-marker.ts';
import {
  type BuildSendInput,
  buildSendRequest,
  type SendRequest,
} from '../../../src/meetings/payloads/send-request.ts';
import { ALICE_ID, allDescribes, BOB_ID, loadDescribe, RECORD_IDS, withField } from '../fixtures.ts';

const KEY = 'workspace-1:user-7:7b0c1f0e-4d55-4a53-9d55-2f0d7c1f3a10';
const MARKER = markerFor(KEY);

function build(overrides: Partial<BuildSendInput>) {
  return buildSendRequest({
    kind: 'task',
    values: {},
    records: [{ type: 'Opportunity', id: RECORD_IDS.Opportunity }],
    idempotencyKey: KEY,
    apiVersion: '66.0',
    describe: allDescribes(),
    ...overrides,
  });
}

function request(overrides: Partial<BuildSendInput>): SendRequest {
  const result = build(overrides);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.request;
}

const TASK_VALUES = {
  subject: 'Send the revised quote to Dana',
  description: 'Send the revised quote to Dana\n\nNext step from the meeting “Globex renewal” on 2027-02-01.',
  ownerId: BOB_ID,
  status: 'In Progress',
  priority: 'High',
  dueDate: '2027-02-05',
};
describe('buildSendRequest: task', () => {
  it.each([
    ['Contact', 'WhoId'],
    ['Lead', 'WhoId'],
    ['Account', 'WhatId'],
    ['Opportunity', 'WhatId'],
    ['Case', 'WhatId'],
  ] as const)('links a %s through %s only', (type, lookup) => {
    const sent = request({ values: TASK_VALUES, records: [{ type, id: RECORD_IDS[type] }] });
    expect(sent).toEqual({
      kind: 'task',
      operation: 'create',
      object: 'Task',
      record: { type, id: RECORD_IDS[type] },
      marker: MARKER,
      body: {
        Subject: 'Send the revised quote to Dana',
        Description: `${TASK_VALUES.description}\n\n${MARKER}`,
        OwnerId: BOB_ID,
        Status: 'In Progress',
        Priority: 'High',
        ActivityDate: '2027-02-05',
        [lookup]: RECORD_IDS[type],
      },
    });
    if (sent.operation === 'create')
      expect(Object.keys(sent.body).filter((key) => /^Wh(o|at)Id$/.test(key))).toEqual([lookup]);
  });

  it('refuses a blank required field the org would default (the form marks it required)', () => {
    for (const describe of [allDescribes(), undefined]) {
      const result = build({
        describe,
        values: { subject: 'Call Dana', status: '', priority: null, ownerId: ' ', dueDate: null },
      });
      expect(result.ok ? [] : result.errors.map((error) => [error.field, error.code])).toEqual([
        ['ownerId', 'required'],
        ['status', 'required'],
        ['priority', 'required'],
      ]);
    }
  });

  it('leaves empty optional fields, and fields left out, to Salesforce defaults', () => {
    const sent = request({ values: { subject: 'Call Dana', description: '  ', dueDate: null } });
    expect(sent.operation === 'create' && sent.body).toEqual({
      Subject: 'Call Dana',
      Description: MARKER,
      WhatId: RECORD_IDS.Opportunity,
    });
  });
});

describe('buildSendRequest: event', () => {
  const EVENT_VALUES = {
    subject: 'Security review with Globex IT',
    description: 'Book a security review',
    ownerId: ALICE_ID,
    startDateTime: '2027-02-01T17:00:00.000Z',
    endDateTime: '2027-02-01T17:30:00.000Z',
    durationInMinutes: 30,
    location: 'Zoom',
    showAs: 'Busy',
  };

  it('sends start and end (Salesforce derives the duration)', () => {
    const sent = request({
      kind: 'event',
      values: EVENT_VALUES,
      records: [{ type: 'Contact', id: RECORD_IDS.Contact }],
    });
    expect(sent.operation === 'create' && sent.body).toEqual({
      Subject: 'Security review with Globex IT',
      Description: `Book a security review\n\n${MARKER}`,
      OwnerId: ALICE_ID,
      StartDateTime: '2027-02-01T17:00:00.000Z',
      EndDateTime: '2027-02-01T17:30:00.000Z',
      Location: 'Zoom',
      ShowAs: 'Busy',
      WhoId: RECORD_IDS.Contact,
    });
  });

  it('sends a duration when there is no end, and normalizes offsets to UTC', () => {
    const sent = request({
      kind: 'event',
      values: {
        ...EVENT_VALUES,
        startDateTime: '2027-02-01T18:00:00+01:00',
        endDateTime: '',
        durationInMinutes: '45',
      },
    });
    expect(sent.operation === 'create' && sent.body).toMatchObject({
      StartDateTime: '2027-02-01T17:00:00.000Z',
      DurationInMinutes: 45,
    });
    expect(sent.operation === 'create' && 'EndDateTime' in sent.body).toBe(false);
  });

  it('checks the times', () => {
    const errorsOf = (values: Record<string, unknown>) => {
      const result = build({ kind: 'event', values: { ...EVENT_VALUES, ...values } });
      return result.ok ? [] : result.errors.map((error) => [error.field, error.code]);
    };
    expect(errorsOf({ endDateTime: '2027-02-01T16:00:00Z', durationInMinutes: null })).toEqual([
      ['endDateTime', 'end_before_start'],
    ]);
    expect(errorsOf({ endDateTime: null, durationInMinutes: null })).toEqual([['endDateTime', 'required']]);
    expect(errorsOf({ durationInMinutes: 90 })).toEqual([['durationInMinutes', 'duration_mismatch']]);
    expect(errorsOf({ startDateTime: '2027-02-30T10:00:00Z' })).toEqual([
      ['startDateTime', 'invalid_datetime'],
    ]);
    expect(errorsOf({ startDateTime: '2027-02-01T10:00:00' })).toEqual([
      ['startDateTime', 'invalid_datetime'],
    ]);
    expect(errorsOf({ startDateTime: null })).toEqual([['startDateTime', 'required']]);
    expect(errorsOf({ endDateTime: '2027-03-01T17:00:00Z', durationInMinutes: null })).toEqual([
      ['endDateTime', 'too_long'],
    ]);
    expect(errorsOf({ endDateTime: null, durationInMinutes: -5 })).toEqual([
      ['durationInMinutes', 'invalid_duration'],
    ]);
    expect(errorsOf({ showAs: 'Maybe' })).toEqual([['showAs', 'invalid_option']]);
  });
});

describe('buildSendRequest: note', () => {
  it('creates an Enhanced Note and its link in one all-or-none composite', () => {
    const sent = request({
      kind: 'note',
      values: {
        title: 'Pricing decision',
        body: 'Go with the 3-year plan & a <10%> "loyalty" discount.\nDana\'s call.',
      },
      records: [{ type: 'Case', id: RECORD_IDS.Case }],
    });
    expect(sent.operation).toBe('composite');
    if (sent.operation !== 'composite') return;
    expect(sent.composite).toEqual({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v66.0/sobjects/ContentNote',
          referenceId: 'note',
          body: { Title: 'Pricing decision', Content: expect.any(String) },
        },
        {
          method: 'POST',
          url: '/services/data/v66.0/sobjects/ContentDocumentLink',
          referenceId: 'link',
          body: {
            ContentDocumentId: '@{note.id}',
            LinkedEntityId: RECORD_IDS.Case,
            ShareType: 'V',
            Visibility: 'AllUsers',
          },
        },
      ],
    });
    const html = Buffer.from(String(sent.composite.compositeRequest[0].body?.Content), 'base64').toString(
      'utf8',
    );
    expect(html).toBe(
      `<p>Go with the 3-year plan &amp; a &lt;10%&gt; &quot;loyalty&quot; discount.<br>Dana&#39;s call.</p><p>${MARKER}</p>`,
    );
    expect(noteContentHasMarker(String(sent.composite.compositeRequest[0].body?.Content), MARKER)).toBe(true);
  });

  it('falls back to a classic Note', () => {
    const sent = request({
      kind: 'note',
      noteFormat: 'classic',
      values: { title: 'Pricing decision', body: 'Go with the 3-year plan.' },
      records: [{ type: 'Lead', id: RECORD_IDS.Lead }],
    });
    expect(sent).toMatchObject({
      object: 'Note',
      operation: 'create',
      body: {
        ParentId: RECORD_IDS.Lead,
        Title: 'Pricing decision',
        Body: `Go with the 3-year plan.\n\n${MARKER}`,
      },
    });
  });
});

describe('buildSendRequest: validation', () => {
  const codes = (result: ReturnType<typeof build>) =>
    result.ok ? [] : result.errors.map((error) => [error.field, error.code]);

  it('requires exactly one linked record of an allowed type with a matching id', () => {
    const values = { subject: 'Call' };
    expect(codes(build({ values, records: [] }))).toEqual([['record', 'required']]);
    expect(
      codes(
        build({
          values,
          records: [
            { type: 'Lead', id: RECORD_IDS.Lead },
            { type: 'Account', id: RECORD_IDS.Account },
          ],
        }),
      ),
    ).toEqual([['record', 'too_many_records']]);
    expect(codes(build({ values, records: [{ type: 'User', id: ALICE_ID }] }))).toEqual([
      ['record', 'record_type_not_allowed'],
    ]);
    expect(codes(build({ values, records: [{ type: 'Account', id: 'nope' }] }))).toEqual([
      ['record', 'invalid_id'],
    ]);
    expect(codes(build({ values, records: [{ type: 'Account', id: RECORD_IDS.Contact }] }))).toEqual([
      ['record', 'record_type_mismatch'],
    ]);
  });

  it('refuses a record type the lookup cannot reference', () => {
    const task = withField(loadDescribe('Task'), 'WhoId', null);
    expect(
      codes(
        build({
          values: { subject: 'Call' },
          records: [{ type: 'Lead', id: RECORD_IDS.Lead }],
          describe: { Task: task },
        }),
      ),
    ).toEqual([['record', 'record_type_not_allowed']]);
  });

  it('reports every field problem at once', () => {
    const result = build({
      values: {
        description: 'x'.repeat(32000),
        ownerId: RECORD_IDS.Account,
        status: 'Done',
        priority: 'Normal',
        dueDate: '2027-13-01',
      },
    });
    expect(codes(result)).toEqual([
      ['subject', 'required'],
      ['description', 'too_long'],
      ['ownerId', 'invalid_user'],
      ['status', 'invalid_option'],
      ['dueDate', 'invalid_date'],
    ]);
    expect(!result.ok && result.errors[1].message).toBe(
      `Description can have at most ${32000 - MARKER_RESERVED_LENGTH} characters (it has 32000).`,
    );
  });

  it('uses the lengths and required fields of the org', () => {
    const task = withField(loadDescribe('Task'), 'Subject', (subject) => ({ ...subject, length: 10 }));
    expect(codes(build({ values: { subject: 'Much too long' }, describe: { Task: task } }))).toEqual([
      ['subject', 'too_long'],
    ]);
    expect(
      codes(build({ kind: 'note', noteFormat: 'classic', values: { title: 'x'.repeat(81), body: 'b' } })),
    ).toEqual([['title', 'too_long']]);
    expect(codes(build({ kind: 'note', values: { body: 'b' } }))).toEqual([['title', 'required']]);
  });

  it('refuses fields the profile cannot write and fields the kind does not have', () => {
    const task = withField(loadDescribe('Task'), 'Priority', (priority) => ({
      ...priority,
      createable: false,
    }));
    expect(codes(build({ values: { subject: 'Call', priority: 'High' }, describe: { Task: task } }))).toEqual(
      [['priority', 'field_not_available']],
    );
    expect(codes(build({ values: { subject: 'Call', location: 'HQ' } }))).toEqual([[null, 'unknown_field']]);
  });

  it('works without describe, with the standard lengths', () => {
    expect(build({ values: { subject: 'Call' }, describe: undefined }).ok).toBe(true);
    expect(codes(build({ values: { subject: 'x'.repeat(256) }, describe: undefined }))).toEqual([
      ['subject', 'too_long'],
    ]);
  });
});

describe('the responsible user', () => {
  it("is refused when it is not in the form's active-user list (ids compared by their 15 characters)", () => {
    const values = { subject: 'Follow up', ownerId: BOB_ID };
    expect(build({ values, activeUserIds: [ALICE_ID] })).toEqual({
      ok: false,
      errors: [
        { field: 'ownerId', code: 'inactive_user', message: expect.stringContaining('not an active') },
      ],
    });
    expect(build({ values, activeUserIds: [BOB_ID.slice(0, 15)] }).ok).toBe(true);
    // Without a cached list nothing is assumed: Salesforce decides.
    expect(build({ values }).ok).toBe(true);
  });
});
