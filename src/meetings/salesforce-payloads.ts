/**
 * From a filled send form to the Salesforce request that creates the record: validated first, with
 * errors per form field, so that Salesforce is only called with something it should accept; and
 * Salesforce's own errors mapped back to the form field they name.
 */
import { createHash } from 'node:crypto';
import {
  activityLookupFor,
  hasKeyPrefix,
  isLinkableRecordType,
  isSalesforceId,
  KEY_PREFIXES,
  LINKABLE_RECORD_TYPES,
  type LinkableRecordType,
  USER_KEY_PREFIX,
} from './record-types.ts';
import {
  describeFieldOf,
  FORM_FIELD_MAP,
  type FormFieldName,
  linkableTypesFor,
  type NoteFormat,
  RECORD_FIELD,
  RECORD_LOOKUPS,
  REQUIRED_FORM_FIELDS,
  type SendDescribes,
  type SendKind,
  type SendObject,
  sendObjectFor,
} from './send-form.ts';
import { soqlLiteral } from './soql-literal.ts';
import type { CompositeRequestBody } from './suggestions.ts';

// ---------------------------------------------------------------------------------------------
// Idempotency marker
// ---------------------------------------------------------------------------------------------

const MARKER_HASH_LENGTH = 12;

/**
 * A short token written at the end of the Description (Task, Event), or the note's text, that ties
 * the Salesforce record to the idempotency key without revealing it: `[ff:3f2a9c01b7de]` (48 bits
 * of SHA-256 — collisions only matter among the few records one user creates on one record within
 * minutes, see `buildMarkerLookup`). Pass the key as stored, scoped to its workspace and user.
 */
export function markerFor(idempotencyKey: string): string {
  const hash = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
  return `[ff:${hash.slice(0, MARKER_HASH_LENGTH)}]`;
}

const MARKER_SEPARATOR = '\n\n';

/** What appending the marker adds to a text field; the form keeps this much room free. */
export const MARKER_RESERVED_LENGTH =
  MARKER_SEPARATOR.length + `[ff:${'0'.repeat(MARKER_HASH_LENGTH)}]`.length;

export function withMarker(text: string | null, marker: string): string {
  return text === null || text === '' ? marker : `${text}${MARKER_SEPARATOR}${marker}`;
}

/** How far back of the journal entry's start a lookup reaches, for clock skew with Salesforce. */
export const MARKER_LOOKUP_SKEW_MS = 5 * 60_000;

export interface MarkerLookupInput {
  kind: SendKind;
  noteFormat?: NoteFormat;
  record: { type: LinkableRecordType; id: string };
  /** The Salesforce user the send ran as (the record's creator). */
  connectedUserId: string;
  /** When the journal entry was written, just before the Salesforce call. */
  sentAt: Date;
}

export interface MarkerLookup {
  /** `queryAll` also finds a record deleted since: it was created, so it must not be created again. */
  endpoint: 'query' | 'queryAll';
  soql: string;
  /** The column holding the candidates' ids. */
  idField: string;
  /**
   * The column holding the text the marker is in; `null` for Enhanced Notes, whose content is a
   * file not returned by queries: read each candidate's content (rarely more than one) and use
   * `noteContentHasMarker`.
   */
  textField: string | null;
}

/**
 * The query that finds, after an unknown outcome (timeout, dropped connection, process killed),
 * whether the send reached Salesforce.
 *
 * Searching for the marker itself is impossible: Description and Body are long text areas and
 * ContentNote.Content is a file, none of which SOQL can filter on (`LIKE '%…%'` on a long text area
 * is refused), and putting the marker in a filterable field such as the Subject would show it to
 * everyone. Instead the query narrows to what only this send can have produced — created by the
 * connected user, on the linked record, since the journal entry was written (less a margin for
 * clock skew) — which is a handful of rows at most, and the marker is then matched in their text
 * on our side (`findMarkedRecordId`). Nothing is retried until this lookup has answered.
 */
export function buildMarkerLookup(input: MarkerLookupInput): MarkerLookup {
  const object = sendObjectFor(input.kind, input.noteFormat);
  const since = new Date(input.sentAt.getTime() - MARKER_LOOKUP_SKEW_MS)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const user = soqlLiteral(input.connectedUserId);
  const record = soqlLiteral(input.record.id);
  switch (object) {
    case 'Task':
    case 'Event': {
      const lookup = activityLookupFor(input.record.type);
      return {
        endpoint: 'queryAll',
        soql:
          `SELECT Id, Description, CreatedDate FROM ${object} WHERE ${lookup} = ${record} ` +
          `AND CreatedById = ${user} AND CreatedDate >= ${since} ORDER BY CreatedDate DESC LIMIT 200`,
        idField: 'Id',
        textField: 'Description',
      };
    }
    case 'Note':
      return {
        endpoint: 'queryAll',
        soql:
          `SELECT Id, Body, CreatedDate FROM Note WHERE ParentId = ${record} ` +
          `AND CreatedById = ${user} AND CreatedDate >= ${since} ORDER BY CreatedDate DESC LIMIT 200`,
        idField: 'Id',
        textField: 'Body',
      };
    case 'ContentNote':
      // Salesforce only lets ContentDocumentLink be queried by LinkedEntityId or ContentDocumentId.
      return {
        endpoint: 'query',
        soql:
          `SELECT ContentDocumentId, ContentDocument.Title, ContentDocument.CreatedDate FROM ContentDocumentLink ` +
          `WHERE LinkedEntityId = ${record} AND ContentDocument.CreatedById = ${user} ` +
          `AND ContentDocument.CreatedDate >= ${since} ORDER BY ContentDocument.CreatedDate DESC LIMIT 200`,
        idField: 'ContentDocumentId',
        textField: null,
      };
  }
}

/** The id of the row whose text ends with the marker, if any (Task, Event, classic Note). */
export function findMarkedRecordId(
  rows: ReadonlyArray<Record<string, unknown>>,
  lookup: MarkerLookup,
  marker: string,
): string | null {
  if (lookup.textField === null) return null;
  for (const row of rows) {
    const text = row[lookup.textField];
    if (typeof text === 'string' && text.trimEnd().endsWith(marker)) return String(row[lookup.idField]);
  }
  return null;
}

/** Whether an Enhanced Note's content (base64, as stored) carries the marker. */
export function noteContentHasMarker(base64Content: string, marker: string): boolean {
  return Buffer.from(base64Content, 'base64').toString('utf8').includes(escapeNoteHtml(marker));
}

// ---------------------------------------------------------------------------------------------
// Enhanced Note content
// ---------------------------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Salesforce refuses ContentNote content with unescaped `& < > " '` in its text. */
export function escapeNoteHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** Plain text as note HTML: blank-line-separated paragraphs as `<p>`, single line breaks as `<br>`. */
export function noteHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.split('\n').map(escapeNoteHtml).join('<br>')}</p>`)
    .join('');
}

export function noteContent(text: string): string {
  return Buffer.from(noteHtml(text), 'utf8').toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Validation and mapping
// ---------------------------------------------------------------------------------------------

export type SendErrorField = FormFieldName | typeof RECORD_FIELD | null;

export interface SendError {
  /** The form field at fault; `null` for the form as a whole. */
  field: SendErrorField;
  code: string;
  message: string;
}

export interface LinkedRecord {
  type: string;
  id: string;
}

export type FormValues = Partial<Record<FormFieldName, unknown>>;

export interface BuildSendInput {
  kind: SendKind;
  values: FormValues;
  /** The linked records as the client sent them; exactly one is valid. */
  records: readonly LinkedRecord[];
  idempotencyKey: string;
  /** The REST API version for composite subrequest URLs, e.g. `66.0`. */
  apiVersion: string;
  /** Describes of the send objects: field lengths, picklist values, what the profile may write. */
  describe?: SendDescribes;
  noteFormat?: NoteFormat;
  /**
   * The org's active users, as the form offered them "Responsible user" (when that list is cached
   * and fresh): an owner outside it is refused here rather than by Salesforce, whose error may name
   * no field.
   */
  activeUserIds?: readonly string[];
}

export type SendRequest =
  | {
      kind: 'task' | 'event';
      operation: 'create';
      object: 'Task' | 'Event';
      body: Record<string, unknown>;
      record: { type: LinkableRecordType; id: string };
      marker: string;
    }
  | {
      kind: 'note';
      operation: 'create';
      object: 'Note';
      body: Record<string, unknown>;
      record: { type: LinkableRecordType; id: string };
      marker: string;
    }
  | {
      kind: 'note';
      operation: 'composite';
      object: 'ContentNote';
      /** `note` creates the ContentNote, `link` the ContentDocumentLink; all or nothing. */
      composite: CompositeRequestBody;
      record: { type: LinkableRecordType; id: string };
      marker: string;
    };

export type BuildSendResult = { ok: true; request: SendRequest } | { ok: false; errors: SendError[] };

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

function toSalesforceDateTime(milliseconds: number): string {
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

function validateRecord(
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

/**
 * Checks a filled form and builds the request that creates the record. Only one of WhoId and
 * WhatId is ever set, which also keeps Salesforce's "a Lead as WhoId forbids a WhatId" rule.
 */
export function buildSendRequest(input: BuildSendInput): BuildSendResult {
  const object = sendObjectFor(input.kind, input.noteFormat);
  const describe = input.describe?.[object];
  const errors: SendError[] = [];
  const record = validateRecord(input.records, object, input.describe, errors);

  const values = new Map<FormFieldName, unknown>();
  const known = new Set(FORM_FIELD_MAP[object].map(([name]) => name));
  for (const [name, value] of Object.entries(input.values) as Array<[FormFieldName, unknown]>) {
    const clean = normalized(value);
    if (clean === null) continue;
    if (!known.has(name)) {
      errors.push({ field: null, code: 'unknown_field', message: `A ${input.kind} has no field "${name}".` });
      continue;
    }
    values.set(name, clean);
  }

  for (const [name, salesforceField] of FORM_FIELD_MAP[object]) {
    const field = describeFieldOf(describe, salesforceField);
    const value = values.get(name);
    const requiredByOrg =
      field !== undefined && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
    if (value === undefined) {
      if (REQUIRED_FORM_FIELDS[object].includes(name) || requiredByOrg) {
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

  let eventTimes: { start: number; end: number | null; duration: number | null } | null = null;
  if (object === 'Event') eventTimes = checkEventTimes(values, errors);

  if (errors.length > 0 || record === null) return { ok: false, errors };

  const marker = markerFor(input.idempotencyKey);
  const text = (name: FormFieldName): string | null => {
    const value = values.get(name);
    return typeof value === 'string' ? value : null;
  };
  const body: Record<string, unknown> = {};
  const put = (salesforceField: string, value: unknown) => {
    if (value !== null && value !== undefined) body[salesforceField] = value;
  };

  if (object === 'Task' || object === 'Event') {
    put('Subject', text('subject'));
    put('Description', withMarker(text('description'), marker));
    put('OwnerId', text('ownerId'));
    if (object === 'Task') {
      put('Status', text('status'));
      put('Priority', text('priority'));
      put('ActivityDate', text('dueDate'));
    } else if (eventTimes) {
      put('StartDateTime', toSalesforceDateTime(eventTimes.start));
      // With both at hand EndDateTime is sent: Salesforce derives the duration from it.
      if (eventTimes.end !== null) put('EndDateTime', toSalesforceDateTime(eventTimes.end));
      else put('DurationInMinutes', eventTimes.duration);
      put('Location', text('location'));
      put('ShowAs', text('showAs'));
    }
    put(activityLookupFor(record.type), record.id);
    return {
      ok: true,
      request: {
        kind: object === 'Task' ? 'task' : 'event',
        operation: 'create',
        object,
        body,
        record,
        marker,
      },
    };
  }

  const noteText = withMarker(text('body'), marker);
  if (object === 'Note') {
    put('ParentId', record.id);
    put('Title', text('title'));
    put('Body', noteText);
    return { ok: true, request: { kind: 'note', operation: 'create', object, body, record, marker } };
  }

  const base = `/services/data/v${input.apiVersion}/sobjects`;
  const composite: CompositeRequestBody = {
    allOrNone: true,
    compositeRequest: [
      {
        method: 'POST',
        url: `${base}/ContentNote`,
        referenceId: 'note',
        body: { Title: text('title'), Content: noteContent(noteText) },
      },
      {
        method: 'POST',
        url: `${base}/ContentDocumentLink`,
        referenceId: 'link',
        // 'V': viewers of the record can read the note; 'AllUsers': internal and community users alike.
        body: {
          ContentDocumentId: '@{note.id}',
          LinkedEntityId: record.id,
          ShareType: 'V',
          Visibility: 'AllUsers',
        },
      },
    ],
  };
  return { ok: true, request: { kind: 'note', operation: 'composite', object, composite, record, marker } };
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
    const length = [...value].length;
    if (length > room) {
      return {
        code: 'too_long',
        message: `${labelOf(name)} can have at most ${room} characters (it has ${length}).`,
      };
    }
  }
  return null;
}

/** Ids compared by their 15 case-sensitive characters: the 18-character form only adds a checksum. */
export function sameSalesforceId(left: string, right: string): boolean {
  return left.slice(0, 15) === right.slice(0, 15);
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

function checkEventTimes(
  values: Map<FormFieldName, unknown>,
  errors: SendError[],
): { start: number; end: number | null; duration: number | null } | null {
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
    if (duration !== null && duration * 60_000 !== end - start) {
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

// ---------------------------------------------------------------------------------------------
// Salesforce's errors, back on the form
// ---------------------------------------------------------------------------------------------

export interface SalesforceError {
  message: string;
  errorCode: string;
  fields?: readonly string[];
}

/** Errors about the linked record usually name no field; they can only be about the record picked. */
const RECORD_ERROR_CODES = new Set([
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'INVALID_CROSS_REFERENCE_KEY',
  'ENTITY_IS_DELETED',
]);

/** A bad id in a lookup: Salesforce often names neither the field nor the id. */
const REFERENCE_ERROR_CODES = new Set(['INVALID_CROSS_REFERENCE_KEY', 'INACTIVE_OWNER_OR_USER']);

/**
 * An id of the payload that may be the one Salesforce refused: the linked record, and the owner.
 * `user`: the id is a User (INACTIVE_OWNER_OR_USER can only be about those). `known`: what the
 * org's active-user list says about it, when it was consulted.
 */
export interface ReferenceCandidate {
  field: Exclude<SendErrorField, null>;
  id: string;
  user: boolean;
  known?: 'valid' | 'invalid';
}

/** The form field a fieldless reference error is about, when the payload leaves one candidate. */
function referenceCulprit(
  error: SalesforceError,
  candidates: readonly ReferenceCandidate[],
): SendErrorField | undefined {
  if (!REFERENCE_ERROR_CODES.has(error.errorCode) || candidates.length === 0) return undefined;
  const only = (list: readonly ReferenceCandidate[]) => (list.length === 1 ? list[0].field : undefined);
  const named = candidates.filter((candidate) => error.message.includes(candidate.id.slice(0, 15)));
  if (named.length > 0) return only(named);
  if (error.errorCode === 'INACTIVE_OWNER_OR_USER')
    return only(candidates.filter((candidate) => candidate.user));
  const invalid = candidates.filter((candidate) => candidate.known === 'invalid');
  if (invalid.length > 0) return only(invalid);
  return only(candidates.filter((candidate) => candidate.known !== 'valid'));
}

/** Salesforce fields that are not on the form but are about one of its fields. */
const RELATED_FIELDS: Readonly<Record<string, FormFieldName>> = {
  ActivityDateTime: 'startDateTime',
  ActivityDate: 'dueDate',
};

/**
 * Salesforce's errors (`[{ message, errorCode, fields }]`, from a create or from the subrequests of
 * the note composite) as form errors: each field Salesforce names becomes the form field it fills,
 * the linked-record lookups become the record picker, anything else (a validation rule, a required
 * custom field the form does not show) is about the form as a whole. Salesforce's message is kept:
 * it is the org admin's wording for their own rules. PROCESSING_HALTED only says another
 * subrequest failed, so it is dropped when that other error is present.
 */
export function mapSalesforceErrors(
  errors: readonly SalesforceError[],
  kind: SendKind,
  noteFormat: NoteFormat = 'enhanced',
  candidates: readonly ReferenceCandidate[] = [],
): SendError[] {
  const object = sendObjectFor(kind, noteFormat);
  const byField = new Map<string, FormFieldName>();
  for (const [name, salesforceField] of FORM_FIELD_MAP[object])
    byField.set(salesforceField.toLowerCase(), name);
  const recordLookups = new Set(RECORD_LOOKUPS[object].map((field) => field.toLowerCase()));
  const relevant = errors.some((error) => error.errorCode !== 'PROCESSING_HALTED')
    ? errors.filter((error) => error.errorCode !== 'PROCESSING_HALTED')
    : errors;
  const mapped: SendError[] = [];
  const seen = new Set<string>();
  const add = (error: SendError) => {
    const key = `${error.field}\u0000${error.code}\u0000${error.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    mapped.push(error);
  };
  for (const error of relevant) {
    const fields = error.fields ?? [];
    if (fields.length === 0) {
      add({
        field:
          referenceCulprit(error, candidates) ??
          (RECORD_ERROR_CODES.has(error.errorCode) ? RECORD_FIELD : null),
        code: error.errorCode,
        message: error.message,
      });
      continue;
    }
    for (const salesforceField of fields) {
      const lower = salesforceField.toLowerCase();
      const related = Object.entries(RELATED_FIELDS).find(([name]) => name.toLowerCase() === lower)?.[1];
      const field: SendErrorField = recordLookups.has(lower)
        ? RECORD_FIELD
        : (byField.get(lower) ??
          (related && FORM_FIELD_MAP[object].some(([name]) => name === related) ? related : null));
      add({ field, code: error.errorCode, message: error.message });
    }
  }
  return mapped;
}
