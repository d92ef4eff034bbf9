/**
 * The checks a filled send form goes through before anything is sent: the linked record, each
 * value against the form's rules and the org's describe (length, picklist, createable, active
 * user), and an event's times together.
 */

import {
  describeFieldOf,
  FORM_FIELD_MAP,
  type FormFieldName,
  linkableTypesFor,
  RECORD_FIELD,
  REQUIRED_FORM_FIELDS,
  type SendDescribes,
  type SendKind,
  type SendObject,
} from '../form-fields.ts';
import {
  hasKeyPrefix,
  isLinkableRecordType,
  isSalesforceId,
  KEY_PREFIXES,
  LINKABLE_RECORD_TYPES,
  type LinkableRecordType,
  sameSalesforceId,
  USER_KEY_PREFIX,
} from '../record-types.ts';
import type { FormValues, LinkedRecord, SendError, SendErrorField } from './send-error.ts';
import { MARKER_RESERVED_LENGTH } from './send-marker.ts';

/** Lengths Salesforce's standard fields have, for when no describe is at hand. */
const STANDARD_LENGTHS: Readonly<Record<SendObject, Partial<Record<FormFieldName, number>>>> = {
  Task: { subject: 255, description: 32000 },
  Event: { subject: 255, description: 32000, location: 255 },
  ContentNote: { title: 255 },
  Note: { title: 80, body: 32000 },
};

const PICKLIST_FIELDS: readonly FormFieldName[] = ['status', 'priority', 'showAs'];
const MARKED_FIELDS: readonly FormFieldName[] = ['description', 'body'];

/** Salesforce's longest event: 14 days. */
export const MAX_EVENT_MINUTES = 14 * 24 * 60;

/** Fields Salesforce requires but defaults on create (used when no describe is cached). */
const DEFAULTED_REQUIRED_FIELDS: Readonly<Record<SendObject, readonly FormFieldName[]>> = {
  Task: ['ownerId', 'status', 'priority'],
  Event: ['ownerId'],
  ContentNote: [],
  Note: ['ownerId'],
};

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function isValidDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Milliseconds since the epoch, or null when not an ISO date-time with a zone. */
function parseDateTime(value: string): number | null {
  if (!DATETIME_PATTERN.test(value) || !isValidDate(value.slice(0, 10))) return null;
  // `+0100` (Salesforce's own format) is not understood by Date.parse; `+01:00` is.
  const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed) ? null : parsed;
}

export function toSalesforceDateTime(milliseconds: number): string {
  return new Date(milliseconds).toISOString();
}

function labelOf(name: FormFieldName): string {
  const labels: Record<FormFieldName, string> = {
    subject: 'Subject',
    description: 'Description',
    ownerId: 'Assigned to',
    status: 'Status',
    priority: 'Priority',
    dueDate: 'Due date',
    startDateTime: 'Start',
    endDateTime: 'End',
    durationInMinutes: 'Duration',
    location: 'Location',
    showAs: 'Show time as',
    title: 'Title',
    body: 'Body',
  };
  return labels[name];
}

/** Empty strings and whitespace are "no value"; text keeps its inner formatting. */
function normalized(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  return value === undefined ? null : value;
}

export function validateRecord(
  records: readonly LinkedRecord[],
  object: SendObject,
  describe: SendDescribes | undefined,
  errors: SendError[],
): { type: LinkableRecordType; id: string } | null {
  const fail = (code: string, message: string) => {
    errors.push({ field: RECORD_FIELD, code, message });
    return null;
  };
  if (records.length === 0) return fail('required', 'Choose the Salesforce record to link this to.');
  if (records.length > 1) return fail('too_many_records', 'Link exactly one record.');
  const [record] = records;
  const allowed = describe?.[object]
    ? linkableTypesFor(object, describe[object])
    : [...LINKABLE_RECORD_TYPES];
  if (!isLinkableRecordType(record.type) || !allowed.includes(record.type)) {
    return fail(
      'record_type_not_allowed',
      `A ${object === 'ContentNote' ? 'note' : object.toLowerCase()} can be linked to ${allowed.join(', ')}, not ${String(record.type)}.`,
    );
  }
  if (!isSalesforceId(record.id)) return fail('invalid_id', 'This is not a Salesforce record id.');
  if (!hasKeyPrefix(record.id, KEY_PREFIXES[record.type])) {
    return fail('record_type_mismatch', `This id is not the id of a ${record.type}.`);
  }
  return { type: record.type, id: record.id };
}

export interface EventTimes {
  start: number;
  end: number | null;
  duration: number | null;
}

/**
 * The form's values that pass their checks, by form field; every refusal is added to `errors`.
 * Blank values count as absent; a field the object does not have is refused.
 */
export function checkFormValues(input: {
  kind: SendKind;
  object: SendObject;
  values: FormValues;
  describe: SendDescribes | undefined;
  activeUserIds: readonly string[] | undefined;
  errors: SendError[];
}): Map<FormFieldName, unknown> {
  const { kind, object, errors } = input;
  const describe = input.describe?.[object];
  const values = new Map<FormFieldName, unknown>();
  const blanks = new Set<FormFieldName>();
  const known = new Set(FORM_FIELD_MAP[object].map(([name]) => name));
  for (const [name, value] of Object.entries(input.values) as Array<[FormFieldName, unknown]>) {
    const clean = normalized(value);
    if (clean === null) {
      blanks.add(name);
      continue;
    }
    if (!known.has(name)) {
      errors.push({ field: null, code: 'unknown_field', message: `A ${kind} has no field "${name}".` });
      continue;
    }
    values.set(name, clean);
  }

  for (const [name, salesforceField] of FORM_FIELD_MAP[object]) {
    const field = describeFieldOf(describe, salesforceField);
    const value = values.get(name);
    const requiredByOrg =
      field !== undefined && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
    // The form marks a field Salesforce cannot leave empty as required, even when the org would
    // default it (Status, Priority, Assigned To): posted blank, it is refused rather than silently
    // defaulted. Left out of the request altogether (an API client), the org's default applies.
    const requiredOnForm =
      blanks.has(name) &&
      (field !== undefined
        ? !field.nillable && field.type !== 'boolean'
        : DEFAULTED_REQUIRED_FIELDS[object].includes(name));
    if (value === undefined) {
      if (REQUIRED_FORM_FIELDS[object].includes(name) || requiredByOrg || requiredOnForm) {
        errors.push({ field: name, code: 'required', message: `${labelOf(name)} is required.` });
      }
      continue;
    }
    if (describe && !field?.createable) {
      errors.push({
        field: name,
        code: 'field_not_available',
        message: `Your Salesforce user cannot set ${field?.label ?? labelOf(name)}.`,
      });
      values.delete(name);
      continue;
    }
    const problem =
      checkValue(name, value, object, field?.length, field?.picklistValues) ??
      (name === 'ownerId' ? checkActiveUser(value, input.activeUserIds) : null);
    if (problem) {
      errors.push({ field: name, code: problem.code, message: problem.message });
      values.delete(name);
    }
  }
  return values;
}

function checkValue(
  name: FormFieldName,
  value: unknown,
  object: SendObject,
  describedLength: number | undefined,
  picklistValues: ReadonlyArray<{ active: boolean; value: string }> | undefined,
): { code: string; message: string } | null {
  if (name === 'durationInMinutes') {
    const minutes = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (
      typeof minutes !== 'number' ||
      !Number.isInteger(minutes) ||
      minutes < 0 ||
      minutes > MAX_EVENT_MINUTES
    ) {
      return {
        code: 'invalid_duration',
        message: `Duration is a whole number of minutes, at most ${MAX_EVENT_MINUTES}.`,
      };
    }
    return null;
  }
  if (typeof value !== 'string') return { code: 'invalid_type', message: `${labelOf(name)} must be text.` };
  if (name === 'ownerId') {
    return isSalesforceId(value) && hasKeyPrefix(value, USER_KEY_PREFIX)
      ? null
      : { code: 'invalid_user', message: 'Choose an active Salesforce user.' };
  }
  if (name === 'dueDate') {
    return isValidDate(value)
      ? null
      : { code: 'invalid_date', message: 'Due date must be a date (YYYY-MM-DD).' };
  }
  if (name === 'startDateTime' || name === 'endDateTime') {
    return parseDateTime(value) === null
      ? { code: 'invalid_datetime', message: `${labelOf(name)} must be a date and time with a time zone.` }
      : null;
  }
  if (PICKLIST_FIELDS.includes(name) && picklistValues) {
    const active = picklistValues.filter((entry) => entry.active).map((entry) => entry.value);
    if (!active.includes(value)) {
      return { code: 'invalid_option', message: `${labelOf(name)} must be one of: ${active.join(', ')}.` };
    }
  }
  const limit =
    (describedLength && describedLength > 0 ? describedLength : STANDARD_LENGTHS[object][name]) ?? undefined;
  if (limit !== undefined) {
    const room = MARKED_FIELDS.includes(name) ? limit - MARKER_RESERVED_LENGTH : limit;
    // Salesforce counts lengths in UTF-16 code units (an emoji is two), as JavaScript does.
    const length = value.length;
    if (length > room) {
      return {
        code: 'too_long',
        message: `${labelOf(name)} can have at most ${room} characters (it has ${length}).`,
      };
    }
  }
  return null;
}

function checkActiveUser(
  value: unknown,
  activeUserIds: readonly string[] | undefined,
): { code: string; message: string } | null {
  if (activeUserIds === undefined || typeof value !== 'string') return null;
  return activeUserIds.some((id) => sameSalesforceId(id, value))
    ? null
    : {
        code: 'inactive_user',
        message: 'This user is not an active Salesforce user of the org: choose one from the list.',
      };
}

export function checkEventTimes(values: Map<FormFieldName, unknown>, errors: SendError[]): EventTimes | null {
  // A time already refused on its own says enough; checking the combination would only repeat it.
  const timeFields: SendErrorField[] = ['startDateTime', 'endDateTime', 'durationInMinutes'];
  if (errors.some((error) => timeFields.includes(error.field))) return null;
  const startText = values.get('startDateTime');
  const endText = values.get('endDateTime');
  const durationValue = values.get('durationInMinutes');
  if (typeof startText !== 'string') return null;
  const start = parseDateTime(startText);
  if (start === null) return null;
  const end = typeof endText === 'string' ? parseDateTime(endText) : null;
  const duration = durationValue === undefined ? null : Number(durationValue);
  if (endText === undefined && durationValue === undefined) {
    errors.push({ field: 'endDateTime', code: 'required', message: 'Give an end or a duration.' });
    return null;
  }
  if (end !== null) {
    if (end <= start) {
      errors.push({ field: 'endDateTime', code: 'end_before_start', message: 'End must be after start.' });
      return null;
    }
    if (end - start > MAX_EVENT_MINUTES * 60_000) {
      errors.push({ field: 'endDateTime', code: 'too_long', message: 'An event can last at most 14 days.' });
      return null;
    }
    // The end is what is sent; a duration within the same minute (an end on a non-whole minute,
    // its duration rounded) agrees with it.
    if (duration !== null && Math.abs(duration * 60_000 - (end - start)) >= 60_000) {
      errors.push({
        field: 'durationInMinutes',
        code: 'duration_mismatch',
        message: 'Duration does not match start and end; give one of them.',
      });
      return null;
    }
  }
  return { start, end, duration };
}
