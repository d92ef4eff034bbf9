import { describe, expect, it } from 'vitest';
import {
  type DescribeSendFormInput,
  defaultEventSlot,
  describeSendForm,
  type FormField,
  nextFullHour,
  type SendForm,
  truncateAtWord,
} from '../../src/meetings/form-description.ts';
import { MARKER_RESERVED_LENGTH } from '../../src/meetings/payloads/send-marker.ts';
import { ACTIVE_USERS, ALICE_ID, allDescribes, loadDescribe, sampleMeeting, withField } from './fixtures.ts';

const NOW = new Date('2027-02-01T16:20:31.000Z');

function input(overrides: Partial<DescribeSendFormInput> = {}): DescribeSendFormInput {
  const meeting = sampleMeeting();
  return {
    kind: 'task',
    item: meeting.items[2],
    meeting,
    describe: allDescribes(),
    users: ACTIVE_USERS,
    connectedUserId: ALICE_ID,
    now: NOW,
    ...overrides,
  };
}

function formOf(overrides: Partial<DescribeSendFormInput> = {}): SendForm {
  const result = describeSendForm(input(overrides));
  if (!result.ok) throw new Error(result.message);
  return result.form;
}

function field(form: SendForm, name: string): FormField {
  const found = form.fields.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

describe('describeSendForm: task', () => {
  const form = formOf();

  it('shows the task fields in order, labelled by describe', () => {
    expect(form.object).toBe('Task');
    expect(form.fields.map((entry) => [entry.name, entry.salesforceField, entry.label, entry.type])).toEqual([
      ['subject', 'Subject', 'Subject', 'combobox'],
      ['description', 'Description', 'Description', 'textarea'],
      ['ownerId', 'OwnerId', 'Assigned To', 'user'],
      ['status', 'Status', 'Status', 'picklist'],
      ['dueDate', 'ActivityDate', 'Due Date Only', 'date'],
      ['priority', 'Priority', 'Priority', 'picklist'],
    ]);
  });

  it('prefills subject, description and due date from the item', () => {
    expect(field(form, 'subject')).toMatchObject({
      value: 'Send the revised quote to Dana',
      required: true,
      maxLength: 255,
    });
    expect(field(form, 'description').value).toBe(
      'Send the revised quote to Dana\n\nNext step from the meeting “Globex renewal: pricing review” on 2027-02-01.',
    );
    expect(field(form, 'description').maxLength).toBe(32000 - MARKER_RESERVED_LENGTH);
    expect(field(form, 'dueDate')).toMatchObject({ value: '2027-02-05', required: false });
  });

  it('offers the org picklists with their defaults', () => {
    expect(field(form, 'status')).toMatchObject({
      required: true,
      defaultValue: 'Not Started',
      value: 'Not Started',
    });
    expect(field(form, 'status').options?.map((option) => option.value)).toEqual([
      'Not Started',
      'In Progress',
      'Completed',
      'Waiting on someone else',
      'Deferred',
    ]);
    expect(field(form, 'priority')).toMatchObject({ defaultValue: 'Normal', value: 'Normal' });
    expect(field(form, 'priority').options).toEqual([
      { value: 'High', label: 'High', default: false },
      { value: 'Normal', label: 'Normal', default: true },
      { value: 'Low', label: 'Low', default: false },
    ]);
  });

  it('lists active users for the responsible user, the connected user by default', () => {
    const owner = field(form, 'ownerId');
    expect(owner).toMatchObject({ required: true, value: ALICE_ID, defaultValue: ALICE_ID });
    expect(owner.options).toEqual([
      { value: ALICE_ID, label: 'Alice Admin', default: true },
      { value: '0058d0000000002AAA', label: 'Bob Seller', default: false },
      { value: '0058d0000000004AAA', label: 'Dave Contractor', default: false },
    ]);
  });

  it('links to any of the five record types', () => {
    expect(form.record).toEqual({
      name: 'record',
      label: 'Related record',
      required: true,
      types: ['Lead', 'Account', 'Contact', 'Opportunity', 'Case'],
    });
  });

  it('leaves the due date empty when the item has none', () => {
    const meeting = sampleMeeting();
    expect(field(formOf({ item: meeting.items[3] }), 'dueDate').value).toBeNull();
  });

  it('follows a customized org: inactive values hidden, another default, a relabelled field', () => {
    const task = withField(
      withField(loadDescribe('Task'), 'Status', (status) => ({
        ...status,
        picklistValues: [
          { active: true, defaultValue: false, label: 'Not Started', value: 'Not Started' },
          { active: false, defaultValue: false, label: 'Deferred', value: 'Deferred' },
          { active: true, defaultValue: true, label: 'Open', value: 'Open' },
        ],
      })),
      'Subject',
      (subject) => ({ ...subject, label: 'Topic', length: 40 }),
    );
    const custom = formOf({ describe: { Task: task } });
    expect(field(custom, 'status').options?.map((option) => option.value)).toEqual(['Not Started', 'Open']);
    expect(field(custom, 'status').value).toBe('Open');
    expect(field(custom, 'subject')).toMatchObject({
      label: 'Topic',
      maxLength: 40,
      value: 'Send the revised quote to Dana',
    });
  });

  it('omits fields the profile cannot see or write', () => {
    const task = withField(withField(loadDescribe('Task'), 'Priority', null), 'ActivityDate', (due) => ({
      ...due,
      createable: false,
    }));
    const restricted = formOf({ describe: { Task: task } });
    expect(restricted.fields.map((entry) => entry.name)).toEqual([
      'subject',
      'description',
      'ownerId',
      'status',
    ]);
  });

  it('answers with a typed result when the object is not available', () => {
    expect(describeSendForm(input({ describe: { Event: loadDescribe('Event') } }))).toMatchObject({
      ok: false,
      code: 'object_not_available',
    });
    expect(
      describeSendForm(input({ describe: { Task: { ...loadDescribe('Task'), createable: false } } })),
    ).toMatchObject({ ok: false, code: 'object_not_createable' });
  });

  it('limits the linkable types to what the lookups reference', () => {
    const task = withField(loadDescribe('Task'), 'WhoId', null);
    expect(formOf({ describe: { Task: task } }).record.types).toEqual(['Account', 'Opportunity', 'Case']);
  });
});

describe('describeSendForm: event', () => {
  it('schedules a follow-up at the next full hour for 30 minutes', () => {
    const form = formOf({ kind: 'event' });
    expect(form.object).toBe('Event');
    expect(form.fields.map((entry) => entry.name)).toEqual([
      'subject',
      'description',
      'ownerId',
      'startDateTime',
      'endDateTime',
      'durationInMinutes',
      'location',
      'showAs',
    ]);
    expect(field(form, 'startDateTime')).toMatchObject({
      type: 'datetime',
      required: true,
      value: '2027-02-01T17:00:00.000Z',
    });
    expect(field(form, 'endDateTime').value).toBe('2027-02-01T17:30:00.000Z');
    expect(field(form, 'durationInMinutes')).toMatchObject({ type: 'integer', value: 30 });
    expect(field(form, 'location')).toMatchObject({ type: 'text', value: null, maxLength: 255 });
    expect(field(form, 'showAs')).toMatchObject({
      label: 'Show Time As',
      value: 'Busy',
      defaultValue: 'Busy',
    });
    expect(field(form, 'showAs').options?.map((option) => option.label)).toEqual([
      'Busy',
      'Out of Office',
      'Free',
    ]);
  });

  it("logs a decision or an insight at the meeting's own time", () => {
    const meeting = sampleMeeting();
    const form = formOf({ kind: 'event', item: meeting.items[1] });
    expect(field(form, 'startDateTime').value).toBe('2027-02-01T15:00:00.000Z');
    expect(field(form, 'endDateTime').value).toBe('2027-02-01T15:45:00.000Z');
    expect(field(form, 'durationInMinutes').value).toBe(45);
  });

  it('computes slots', () => {
    expect(nextFullHour(new Date('2027-02-01T14:00:00Z')).toISOString()).toBe('2027-02-01T15:00:00.000Z');
    expect(nextFullHour(new Date('2027-02-01T23:59:59Z')).toISOString()).toBe('2027-02-02T00:00:00.000Z');
    const meeting = {
      ...sampleMeeting(),
      startTime: '2027-02-01T16:00:00+01:00',
      endTime: '2027-02-01T17:00:00+01:00',
    };
    expect(defaultEventSlot(meeting.items[0], meeting, NOW)).toEqual({
      start: '2027-02-01T15:00:00.000Z',
      end: '2027-02-01T16:00:00.000Z',
      durationInMinutes: 60,
    });
  });
});

describe('describeSendForm: note', () => {
  it('shows title and body of an Enhanced Note', () => {
    const meeting = sampleMeeting();
    const form = formOf({ kind: 'note', item: meeting.items[0] });
    expect(form.object).toBe('ContentNote');
    expect(form.fields).toEqual([
      {
        name: 'title',
        salesforceField: 'Title',
        label: 'Title',
        type: 'text',
        required: true,
        maxLength: 255,
        defaultValue: null,
        value: 'Globex cares more about onboarding speed than price.',
      },
      {
        name: 'body',
        salesforceField: 'Content',
        label: 'Body',
        type: 'textarea',
        required: true,
        defaultValue: null,
        value:
          'Globex cares more about onboarding speed than price.\n\nInsight from the meeting “Globex renewal: pricing review” on 2027-02-01.',
      },
    ]);
  });

  it('uses the classic Note and its shorter title when the workspace falls back to it', () => {
    const meeting = sampleMeeting();
    const item = { ...meeting.items[0], text: 'A long insight '.repeat(10).trim() };
    const form = formOf({ kind: 'note', item, noteFormat: 'classic' });
    expect(form.object).toBe('Note');
    expect(field(form, 'title').maxLength).toBe(80);
    expect(String(field(form, 'title').value).length).toBeLessThanOrEqual(80);
    expect(field(form, 'title').value).toBe(`${'A long insight '.repeat(5)}A…`);
    expect(field(form, 'body')).toMatchObject({
      salesforceField: 'Body',
      maxLength: 32000 - MARKER_RESERVED_LENGTH,
    });
  });
});

describe('truncateAtWord', () => {
  it('keeps short text and cuts long text at a word boundary', () => {
    expect(truncateAtWord('Send the quote', 20)).toBe('Send the quote');
    expect(truncateAtWord('Send the revised quote to Dana', 20)).toBe('Send the revised…');
    expect(truncateAtWord('Send the revised, quote', 18)).toBe('Send the revised…');
    expect(truncateAtWord('Supercalifragilistic', 10)).toBe('Supercali…');
  });

  it('never exceeds the limit, counting characters rather than UTF-16 units', () => {
    const text = 'Prüfe die Angebote 🚀 für Globex und Initech bis Freitag';
    for (let limit = 2; limit < text.length; limit++) {
      expect([...truncateAtWord(text, limit)].length).toBeLessThanOrEqual(limit);
    }
  });
});
