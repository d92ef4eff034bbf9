import { describe, expect, it } from 'vitest';
import {
  type BuildSendInput,
  buildMarkerLookup,
  buildSendRequest,
  findMarkedRecordId,
  MARKER_RESERVED_LENGTH,
  mapSalesforceErrors,
  markerFor,
  noteContent,
  noteContentHasMarker,
  noteHtml,
  type SendRequest,
  withMarker,
} from '../../src/meetings/salesforce-payloads.ts';
import { ALICE_ID, allDescribes, BOB_ID, loadDescribe, RECORD_IDS, withField } from './fixtures.ts';

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

describe('markerFor', () => {
  it('is short, stable and reveals nothing of the key', () => {
    expect(MARKER).toMatch(/^\[ff:[0-9a-f]{12}\]$/);
    expect(markerFor(KEY)).toBe(MARKER);
    expect(markerFor(`${KEY}x`)).not.toBe(MARKER);
    expect(MARKER).not.toContain('workspace');
    expect(withMarker('Text', MARKER).length - 'Text'.length).toBe(MARKER_RESERVED_LENGTH);
    expect(withMarker(null, MARKER)).toBe(MARKER);
  });
});

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

  it('leaves empty optional fields to Salesforce defaults', () => {
    const sent = request({ values: { subject: 'Call Dana', description: '  ', status: '', dueDate: null } });
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

  it('turns text into escaped note HTML', () => {
    expect(noteHtml('First line\r\nsecond <b>line</b>\n\n\nNext paragraph')).toBe(
      '<p>First line<br>second &lt;b&gt;line&lt;/b&gt;</p><p>Next paragraph</p>',
    );
    expect(Buffer.from(noteContent("R&D's"), 'base64').toString('utf8')).toBe('<p>R&amp;D&#39;s</p>');
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

describe('mapSalesforceErrors', () => {
  it('maps the fields Salesforce names back to the form, keeping its message', () => {
    expect(
      mapSalesforceErrors(
        [
          {
            message: 'Status: bad value for restricted picklist field: Done',
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            fields: ['Status'],
          },
          { message: 'Subject: data value too large', errorCode: 'STRING_TOO_LONG', fields: ['Subject'] },
          {
            message: 'Related To ID: id value of incorrect type',
            errorCode: 'FIELD_INTEGRITY_EXCEPTION',
            fields: ['WhatId'],
          },
          {
            message: 'Required fields are missing: [Region__c]',
            errorCode: 'REQUIRED_FIELD_MISSING',
            fields: ['Region__c'],
          },
          {
            message: 'Please give the next step a due date.',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: [],
          },
          {
            message: 'insufficient access rights on cross-reference id',
            errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
            fields: [],
          },
          {
            message: 'Due date is in the past',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: ['ActivityDate'],
          },
        ],
        'task',
      ),
    ).toEqual([
      {
        field: 'status',
        code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Status: bad value for restricted picklist field: Done',
      },
      { field: 'subject', code: 'STRING_TOO_LONG', message: 'Subject: data value too large' },
      {
        field: 'record',
        code: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Related To ID: id value of incorrect type',
      },
      { field: null, code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Region__c]' },
      {
        field: null,
        code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Please give the next step a due date.',
      },
      {
        field: 'record',
        code: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
        message: 'insufficient access rights on cross-reference id',
      },
      { field: 'dueDate', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Due date is in the past' },
    ]);
  });

  it('maps event and note fields, and drops PROCESSING_HALTED next to the real error', () => {
    expect(
      mapSalesforceErrors(
        [
          {
            message: 'bad time',
            errorCode: 'INVALID_FIELD',
            fields: ['ActivityDateTime', 'DurationInMinutes'],
          },
        ],
        'event',
      ),
    ).toEqual([
      { field: 'startDateTime', code: 'INVALID_FIELD', message: 'bad time' },
      { field: 'durationInMinutes', code: 'INVALID_FIELD', message: 'bad time' },
    ]);
    expect(
      mapSalesforceErrors(
        [
          { message: 'Title: required', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Title'] },
          {
            message:
              'The transaction was rolled back since another operation in the same transaction failed.',
            errorCode: 'PROCESSING_HALTED',
            fields: [],
          },
          {
            message: 'invalid cross reference id',
            errorCode: 'INVALID_CROSS_REFERENCE_KEY',
            fields: ['LinkedEntityId'],
          },
        ],
        'note',
      ),
    ).toEqual([
      { field: 'title', code: 'REQUIRED_FIELD_MISSING', message: 'Title: required' },
      { field: 'record', code: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id' },
    ]);
    expect(
      mapSalesforceErrors(
        [{ message: 'Body too long', errorCode: 'STRING_TOO_LONG', fields: ['Body'] }],
        'note',
        'classic',
      ),
    ).toEqual([{ field: 'body', code: 'STRING_TOO_LONG', message: 'Body too long' }]);
  });
});

describe('marker lookup', () => {
  const sentAt = new Date('2027-02-01T16:20:31.123Z');

  it('finds activities by creator, linked record and time, then the marker in the text', () => {
    const lookup = buildMarkerLookup({
      kind: 'task',
      record: { type: 'Contact', id: RECORD_IDS.Contact },
      connectedUserId: ALICE_ID,
      sentAt,
    });
    expect(lookup).toEqual({
      endpoint: 'queryAll',
      soql:
        `SELECT Id, Description, CreatedDate FROM Task WHERE WhoId = '${RECORD_IDS.Contact}' ` +
        `AND CreatedById = '${ALICE_ID}' AND CreatedDate >= 2027-02-01T16:15:31Z ORDER BY CreatedDate DESC LIMIT 200`,
      idField: 'Id',
      textField: 'Description',
    });
    const rows = [
      { Id: '00T000000000001AAA', Description: 'Another task [ff:000000000000]' },
      { Id: '00T000000000002AAA', Description: `Ours\n\n${MARKER}\n` },
    ];
    expect(findMarkedRecordId(rows, lookup, MARKER)).toBe('00T000000000002AAA');
    expect(findMarkedRecordId(rows.slice(0, 1), lookup, MARKER)).toBeNull();
  });

  it('finds notes through their link to the record', () => {
    const enhanced = buildMarkerLookup({
      kind: 'note',
      record: { type: 'Case', id: RECORD_IDS.Case },
      connectedUserId: ALICE_ID,
      sentAt,
    });
    expect(enhanced).toMatchObject({ endpoint: 'query', idField: 'ContentDocumentId', textField: null });
    expect(enhanced.soql).toContain(`FROM ContentDocumentLink WHERE LinkedEntityId = '${RECORD_IDS.Case}'`);
    const classic = buildMarkerLookup({
      kind: 'note',
      noteFormat: 'classic',
      record: { type: 'Case', id: RECORD_IDS.Case },
      connectedUserId: ALICE_ID,
      sentAt,
    });
    expect(classic.soql).toContain(`FROM Note WHERE ParentId = '${RECORD_IDS.Case}'`);
    expect(classic.textField).toBe('Body');
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

  it('takes a reference error that names no field to the only candidate left', () => {
    const invalid = {
      message: 'invalid cross reference id',
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      fields: [],
    };
    const inactive = {
      message: 'operation performed with inactive user',
      errorCode: 'INACTIVE_OWNER_OR_USER',
    };
    const record = { field: 'record', id: RECORD_IDS.Opportunity, user: false } as const;
    const owner = { field: 'ownerId', id: BOB_ID, user: true } as const;
    const fieldOf = (
      error: typeof invalid | typeof inactive,
      candidates: Parameters<typeof mapSalesforceErrors>[3],
    ) => mapSalesforceErrors([error], 'task', 'enhanced', candidates)[0].field;
    expect(fieldOf(invalid, [record, { ...owner, known: 'invalid' }])).toBe('ownerId');
    expect(fieldOf(invalid, [record, { ...owner, known: 'valid' }])).toBe('record');
    expect(fieldOf(invalid, [{ ...owner, known: undefined }])).toBe('ownerId');
    // Both possible and nothing known: the record, as before.
    expect(fieldOf(invalid, [record, owner])).toBe('record');
    // Salesforce sometimes names the id.
    expect(
      fieldOf({ ...invalid, message: `invalid cross reference id: ${BOB_ID.slice(0, 15)}` }, [record, owner]),
    ).toBe('ownerId');
    // Only a user can be inactive.
    expect(fieldOf(inactive, [record, { ...owner, known: 'valid' }])).toBe('ownerId');
    expect(fieldOf(inactive, [record])).toBe(null);
  });
});
