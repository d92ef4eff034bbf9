/**
 * From a filled send form to the Salesforce request that creates the record: validated first, with
 * errors per form field (field-checks.ts), so that Salesforce is only called with something it
 * should accept.
 */
import {
  type FormFieldName,
  type NoteFormat,
  type SendDescribes,
  type SendKind,
  type SendObject,
  sendObjectFor,
} from '../form-fields.ts';
import { activityLookupFor, type LinkableRecordType } from '../record-types.ts';
import type { CompositeRequestBody } from '../suggestions.ts';
import {
  checkEventTimes,
  checkFormValues,
  type EventTimes,
  toSalesforceDateTime,
  validateRecord,
} from './field-checks.ts';
import { noteContent } from './note-content.ts';
import type { FormValues, LinkedRecord, SendError } from './send-error.ts';
import { markerFor, withMarker } from './send-marker.ts';

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

/**
 * Checks a filled form and builds the request that creates the record. Only one of WhoId and
 * WhatId is ever set, which also keeps Salesforce's "a Lead as WhoId forbids a WhatId" rule.
 */
export function buildSendRequest(input: BuildSendInput): BuildSendResult {
  const object = sendObjectFor(input.kind, input.noteFormat);
  const errors: SendError[] = [];
  const record = validateRecord(input.records, object, input.describe, errors);
  const values = checkFormValues({
    kind: input.kind,
    object,
    values: input.values,
    describe: input.describe,
    activeUserIds: input.activeUserIds,
    errors,
  });
  const eventTimes = object === 'Event' ? checkEventTimes(values, errors) : null;
  if (errors.length > 0 || record === null) return { ok: false, errors };
  return {
    ok: true,
    request: requestFor({
      object,
      values,
      eventTimes,
      record,
      marker: markerFor(input.idempotencyKey),
      apiVersion: input.apiVersion,
    }),
  };
}

/** The Salesforce request of checked values: the record's fields, the marker in its text. */
function requestFor(input: {
  object: SendObject;
  values: Map<FormFieldName, unknown>;
  eventTimes: EventTimes | null;
  record: { type: LinkableRecordType; id: string };
  marker: string;
  apiVersion: string;
}): SendRequest {
  const { object, values, eventTimes, record, marker } = input;
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
    return { kind: object === 'Task' ? 'task' : 'event', operation: 'create', object, body, record, marker };
  }

  const noteText = withMarker(text('body'), marker);
  if (object === 'Note') {
    put('ParentId', record.id);
    put('Title', text('title'));
    put('Body', noteText);
    return { kind: 'note', operation: 'create', object, body, record, marker };
  }
  const composite = contentNoteComposite({
    apiVersion: input.apiVersion,
    title: text('title'),
    text: noteText,
    recordId: record.id,
  });
  return { kind: 'note', operation: 'composite', object, composite, record, marker };
}

/** An Enhanced Note and its link to the record, created together (all or none). */
function contentNoteComposite(input: {
  apiVersion: string;
  title: string | null;
  text: string;
  recordId: string;
}): CompositeRequestBody {
  const base = `/services/data/v${input.apiVersion}/sobjects`;
  return {
    allOrNone: true,
    compositeRequest: [
      {
        method: 'POST',
        url: `${base}/ContentNote`,
        referenceId: 'note',
        body: { Title: input.title, Content: noteContent(input.text) },
      },
      {
        method: 'POST',
        url: `${base}/ContentDocumentLink`,
        referenceId: 'link',
        // 'V': viewers of the record can read the note; 'AllUsers': internal and community users alike.
        body: {
          ContentDocumentId: '@{note.id}',
          LinkedEntityId: input.recordId,
          ShareType: 'V',
          Visibility: 'AllUsers',
        },
      },
    ],
  };
}
