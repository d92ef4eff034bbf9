/**
 * What the send form is made of, shared by the form description (what to show) and the payload
 * mapping (what to send): the kinds, the form fields of each kind and the Salesforce field each one
 * fills, and the parts of Salesforce's describe both read.
 */
import { z } from 'zod';
import { LINKABLE_RECORD_TYPES, type LinkableRecordType } from './record-types.ts';

export const SEND_KINDS = ['note', 'task', 'event'] as const;
export type SendKind = (typeof SEND_KINDS)[number];

/** Enhanced Notes (ContentNote) by default; classic Notes are a per-workspace fallback. */
export type NoteFormat = 'enhanced' | 'classic';

export type SendObject = 'Task' | 'Event' | 'ContentNote' | 'Note';

export const FORM_FIELD_NAMES = [
  'subject',
  'description',
  'ownerId',
  'status',
  'priority',
  'dueDate',
  'startDateTime',
  'endDateTime',
  'durationInMinutes',
  'location',
  'showAs',
  'title',
  'body',
] as const;
export type FormFieldName = (typeof FORM_FIELD_NAMES)[number];

/** The pseudo form field of the linked record (the record picker). */
export const RECORD_FIELD = 'record';

/** Form field → Salesforce field, per object, in the order the form shows them. */
export const FORM_FIELD_MAP: Readonly<Record<SendObject, ReadonlyArray<readonly [FormFieldName, string]>>> = {
  Task: [
    ['subject', 'Subject'],
    ['description', 'Description'],
    ['ownerId', 'OwnerId'],
    ['status', 'Status'],
    ['dueDate', 'ActivityDate'],
    ['priority', 'Priority'],
  ],
  Event: [
    ['subject', 'Subject'],
    ['description', 'Description'],
    ['ownerId', 'OwnerId'],
    ['startDateTime', 'StartDateTime'],
    ['endDateTime', 'EndDateTime'],
    ['durationInMinutes', 'DurationInMinutes'],
    ['location', 'Location'],
    ['showAs', 'ShowAs'],
  ],
  ContentNote: [
    ['title', 'Title'],
    ['body', 'Content'],
  ],
  Note: [
    ['title', 'Title'],
    ['body', 'Body'],
  ],
};

/**
 * Form fields a send must have, beyond what describe makes required: an activity without a
 * subject, an event without a start, or a note without a title or text is of no use to anyone.
 */
export const REQUIRED_FORM_FIELDS: Readonly<Record<SendObject, readonly FormFieldName[]>> = {
  Task: ['subject'],
  Event: ['subject', 'startDateTime'],
  ContentNote: ['title', 'body'],
  Note: ['title', 'body'],
};

export function sendObjectFor(kind: SendKind, noteFormat: NoteFormat = 'enhanced'): SendObject {
  if (kind === 'task') return 'Task';
  if (kind === 'event') return 'Event';
  return noteFormat === 'classic' ? 'Note' : 'ContentNote';
}

/** The lookup fields that hold the linked record, per object. */
export const RECORD_LOOKUPS: Readonly<Record<SendObject, readonly string[]>> = {
  Task: ['WhoId', 'WhatId'],
  Event: ['WhoId', 'WhatId'],
  ContentNote: ['LinkedEntityId'],
  Note: ['ParentId'],
};

// ---------------------------------------------------------------------------------------------
// Salesforce describe, as far as the form reads it (the adapter validates responses with these)
// ---------------------------------------------------------------------------------------------

export const describePicklistValueSchema = z.looseObject({
  active: z.boolean(),
  defaultValue: z.boolean(),
  label: z.string().nullable(),
  value: z.string(),
});

export const describeFieldSchema = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  length: z.number().optional(),
  nillable: z.boolean(),
  createable: z.boolean(),
  defaultedOnCreate: z.boolean().optional(),
  picklistValues: z.array(describePicklistValueSchema).optional(),
  referenceTo: z.array(z.string()).optional(),
});

export const describeSObjectSchema = z.looseObject({
  name: z.string(),
  createable: z.boolean().optional(),
  fields: z.array(describeFieldSchema),
});

export type DescribeField = z.infer<typeof describeFieldSchema>;
export type DescribeSObject = z.infer<typeof describeSObjectSchema>;
export type SendDescribes = Partial<Record<SendObject, DescribeSObject>>;

const fieldsByName = new WeakMap<DescribeSObject, Map<string, DescribeField>>();

export function describeFieldOf(
  describe: DescribeSObject | undefined,
  name: string,
): DescribeField | undefined {
  if (!describe) return undefined;
  // Describes are cached per org and user and read on every send, field by field: index each once.
  let byName = fieldsByName.get(describe);
  if (!byName) {
    byName = new Map();
    for (const field of describe.fields) if (!byName.has(field.name)) byName.set(field.name, field);
    fieldsByName.set(describe, byName);
  }
  return byName.get(name);
}

/**
 * The record types the user may link, from the lookups' `referenceTo` in describe (a lookup the
 * profile cannot see or write offers nothing). ContentDocumentLink is not part of the describes the
 * form reads, so a ContentNote accepts all five, as Salesforce does.
 */
export function linkableTypesFor(
  object: SendObject,
  describe: DescribeSObject | undefined,
): LinkableRecordType[] {
  if (object === 'ContentNote') return [...LINKABLE_RECORD_TYPES];
  const allowed = new Set<string>();
  for (const lookup of RECORD_LOOKUPS[object]) {
    const field = describeFieldOf(describe, lookup);
    if (!field?.createable) continue;
    for (const target of field.referenceTo ?? []) allowed.add(target);
  }
  return LINKABLE_RECORD_TYPES.filter((type) => allowed.has(type));
}
