/**
 * The send form for one meeting item: which fields to show, how Salesforce labels them, which are
 * required, the org's own picklist options and defaults (from describe, so a customized org shows
 * its own statuses), and values prefilled from the item so that one click usually suffices.
 *
 * Fields the connected user's profile cannot see are absent from describe, and fields it cannot
 * write are `createable: false`; both are left out of the form, since sending them would fail.
 *
 * Event times (our decision; the README's send-flow section should repeat it):
 *  - a decision or an insight was made *in* the meeting, so its event logs the meeting itself:
 *    the meeting's own start and end;
 *  - a next step or a task is a follow-up to schedule: the next full hour after `now`, 30 minutes.
 *    An item's due date is a deadline, not a slot, so it does not move the event.
 */

import {
  type DescribeField,
  type DescribeSObject,
  describeFieldOf,
  FORM_FIELD_MAP,
  type FormFieldName,
  linkableTypesFor,
  type NoteFormat,
  RECORD_FIELD,
  REQUIRED_FORM_FIELDS,
  type SendDescribes,
  type SendKind,
  type SendObject,
  sendObjectFor,
} from './form-fields.ts';
import type { Meeting, MeetingItem, MeetingItemKind } from './meeting-format.ts';
import { MAX_EVENT_MINUTES } from './payloads/field-checks.ts';
import { MARKER_RESERVED_LENGTH } from './payloads/send-marker.ts';
import type { LinkableRecordType } from './record-types.ts';

export type FormFieldType =
  | 'text'
  | 'combobox'
  | 'textarea'
  | 'picklist'
  | 'user'
  | 'date'
  | 'datetime'
  | 'integer';

export type FormValue = string | number | null;

export interface FormOption {
  value: string;
  label: string;
  /** The org's default (picklists) or the connected user (the responsible user). */
  default: boolean;
}

export interface FormField {
  name: FormFieldName;
  salesforceField: string;
  label: string;
  type: FormFieldType;
  required: boolean;
  /** Characters the value may have (from describe, less what the send adds). */
  maxLength?: number;
  options?: FormOption[];
  /** The org's default (picklists), or ours (the connected user, the event slot). */
  defaultValue: FormValue;
  /** What the form starts with. */
  value: FormValue;
}

export interface RecordField {
  name: typeof RECORD_FIELD;
  label: string;
  required: true;
  /** The record types this kind can be linked to (exactly one record is linked). */
  types: LinkableRecordType[];
}

export interface SendForm {
  kind: SendKind;
  object: SendObject;
  fields: FormField[];
  record: RecordField;
}

export interface SalesforceUser {
  Id: string;
  Name: string;
}

export interface DescribeSendFormInput {
  kind: SendKind;
  item: MeetingItem;
  meeting: Meeting;
  describe: SendDescribes;
  /** The active Salesforce users, for the responsible user. */
  users: readonly SalesforceUser[];
  connectedUserId: string;
  now: Date;
  noteFormat?: NoteFormat;
}

export type SendFormResult =
  | { ok: true; form: SendForm }
  | { ok: false; code: 'object_not_available' | 'object_not_createable'; message: string };

export const FOLLOW_UP_EVENT_MINUTES = 30;

const KIND_LABELS: Record<MeetingItemKind, string> = {
  insight: 'Insight',
  decision: 'Decision',
  next_step: 'Next step',
  task: 'Task',
};

/** Fields the send appends the idempotency marker to, so the form leaves room for it. */
const MARKED_FIELDS: readonly FormFieldName[] = ['description', 'body'];

/**
 * Cuts text to at most `maxLength` characters at a word boundary, ending with "…" when cut; a
 * single word longer than the limit is cut inside the word.
 */
export function truncateAtWord(text: string, maxLength: number): string {
  // Lengths in UTF-16 code units, as Salesforce counts them; a surrogate pair is never split.
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return unitsPrefix(text, maxLength);
  const room = unitsPrefix(text, maxLength - 1);
  // When the room ends exactly where a word ends, all of it fits; otherwise drop the cut word.
  const endsAtWord = /\s/u.test(text.charAt(room.length));
  const boundary = endsAtWord ? room.length : room.search(/\s\S*$/u);
  const cut = boundary > 0 ? room.slice(0, boundary) : room;
  return `${cut.replace(/[\s,;:.-]+$/u, '')}…`;
}

/** At most `units` UTF-16 code units of `text`, without half of a surrogate pair. */
function unitsPrefix(text: string, units: number): string {
  const prefix = text.slice(0, Math.max(0, units));
  return /[\uD800-\uDBFF]$/.test(prefix) ? prefix.slice(0, -1) : prefix;
}

/** The text of an item on one line: subjects and titles are single-line fields. */
function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** "Decision from the meeting “Globex renewal” on 2027-02-01." — the date as the organizer wrote it. */
export function meetingLine(item: MeetingItem, meeting: Meeting): string {
  return `${KIND_LABELS[item.kind]} from the meeting “${meeting.title}” on ${meeting.startTime.slice(0, 10)}.`;
}

export function prefilledDescription(item: MeetingItem, meeting: Meeting): string {
  return `${item.text.trim()}\n\n${meetingLine(item, meeting)}`;
}

/** Salesforce labels lookups "Assigned To ID"; its own UI drops the " ID", and so do we. */
function displayLabel(field: DescribeField): string {
  return field.type === 'reference' ? field.label.replace(/ ID$/u, '') : field.label;
}

function formTypeOf(field: DescribeField): FormFieldType {
  switch (field.type) {
    case 'combobox':
      return 'combobox';
    case 'textarea':
    case 'base64':
      return 'textarea';
    case 'picklist':
      return 'picklist';
    case 'reference':
      return 'user';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'int':
    case 'double':
      return 'integer';
    default:
      return 'text';
  }
}

function picklistOptions(field: DescribeField): FormOption[] {
  return (field.picklistValues ?? [])
    .filter((entry) => entry.active)
    .map((entry) => ({ value: entry.value, label: entry.label ?? entry.value, default: entry.defaultValue }));
}

/** Whole UTC hour strictly after `now`: at 14:00:00 that is 15:00, at 14:20 it is 15:00. */
export function nextFullHour(now: Date): Date {
  const hour = 3_600_000;
  return new Date(Math.floor(now.getTime() / hour) * hour + hour);
}

/** Salesforce datetime in UTC, e.g. `2027-02-01T15:00:00.000Z`. */
function isoDateTime(date: Date): string {
  return date.toISOString();
}

export interface EventSlot {
  start: string;
  end: string;
  durationInMinutes: number;
}

export function defaultEventSlot(item: MeetingItem, meeting: Meeting, now: Date): EventSlot {
  if (item.kind === 'decision' || item.kind === 'insight') {
    // Whole minutes (Salesforce's event times and duration are in minutes), the meeting inside
    // them, at most Salesforce's longest event: what is prefilled is always sendable.
    const minute = 60_000;
    const start = Math.floor(Date.parse(meeting.startTime) / minute) * minute;
    const end = Math.min(
      Math.ceil(Date.parse(meeting.endTime) / minute) * minute,
      start + MAX_EVENT_MINUTES * minute,
    );
    return {
      start: isoDateTime(new Date(start)),
      end: isoDateTime(new Date(end)),
      durationInMinutes: (end - start) / minute,
    };
  }
  const start = nextFullHour(now);
  return {
    start: isoDateTime(start),
    end: isoDateTime(new Date(start.getTime() + FOLLOW_UP_EVENT_MINUTES * 60_000)),
    durationInMinutes: FOLLOW_UP_EVENT_MINUTES,
  };
}

function prefill(
  name: FormFieldName,
  field: DescribeField,
  input: DescribeSendFormInput,
  slot: EventSlot,
): FormValue {
  const { item, meeting } = input;
  const limit = field.length && field.length > 0 ? field.length : Number.POSITIVE_INFINITY;
  switch (name) {
    case 'subject':
    case 'title':
      return truncateAtWord(oneLine(item.text), limit);
    case 'description':
    case 'body':
      return truncateAtWord(prefilledDescription(item, meeting), limit - MARKER_RESERVED_LENGTH);
    case 'ownerId':
      return input.connectedUserId;
    case 'dueDate':
      return item.dueDate ?? null;
    case 'startDateTime':
      return slot.start;
    case 'endDateTime':
      return slot.end;
    case 'durationInMinutes':
      return slot.durationInMinutes;
    default:
      return null;
  }
}

function defaultOf(
  name: FormFieldName,
  options: FormOption[] | undefined,
  input: DescribeSendFormInput,
  slot: EventSlot,
): FormValue {
  if (options) return options.find((option) => option.default)?.value ?? null;
  if (name === 'ownerId') return input.connectedUserId;
  if (name === 'startDateTime') return slot.start;
  if (name === 'endDateTime') return slot.end;
  if (name === 'durationInMinutes') return slot.durationInMinutes;
  return null;
}

function userOptions(users: readonly SalesforceUser[], connectedUserId: string): FormOption[] {
  return [...users]
    .sort((left, right) => left.Name.localeCompare(right.Name))
    .map((user) => ({ value: user.Id, label: user.Name, default: user.Id === connectedUserId }));
}

export function describeSendForm(input: DescribeSendFormInput): SendFormResult {
  const object = sendObjectFor(input.kind, input.noteFormat);
  const describe: DescribeSObject | undefined = input.describe[object];
  if (!describe) {
    return {
      ok: false,
      code: 'object_not_available',
      message: `Your Salesforce user cannot see ${object} records.`,
    };
  }
  if (describe.createable === false) {
    return {
      ok: false,
      code: 'object_not_createable',
      message: `Your Salesforce user cannot create ${object} records.`,
    };
  }
  const slot = defaultEventSlot(input.item, input.meeting, input.now);
  const fields: FormField[] = [];
  for (const [name, salesforceField] of FORM_FIELD_MAP[object]) {
    const field = describeFieldOf(describe, salesforceField);
    if (!field?.createable) continue;
    const type = formTypeOf(field);
    const options =
      name === 'ownerId'
        ? userOptions(input.users, input.connectedUserId)
        : type === 'picklist' || type === 'combobox'
          ? picklistOptions(field)
          : undefined;
    const defaultValue = type === 'combobox' ? null : defaultOf(name, options, input, slot);
    const prefilled = prefill(name, field, input, slot);
    const textual = type === 'text' || type === 'combobox' || type === 'textarea';
    const length = field.length ?? 0;
    const required =
      (!field.nillable && field.type !== 'boolean') || REQUIRED_FORM_FIELDS[object].includes(name);
    fields.push({
      name,
      salesforceField,
      label: name === 'body' && object === 'ContentNote' ? 'Body' : displayLabel(field),
      type,
      required,
      ...(textual && length > 0
        ? { maxLength: MARKED_FIELDS.includes(name) ? length - MARKER_RESERVED_LENGTH : length }
        : {}),
      ...(options ? { options } : {}),
      defaultValue,
      value: prefilled ?? defaultValue,
    });
  }
  return {
    ok: true,
    form: {
      kind: input.kind,
      object,
      fields,
      record: {
        name: RECORD_FIELD,
        label: 'Related record',
        required: true,
        types: linkableTypesFor(object, describe),
      },
    },
  };
}
