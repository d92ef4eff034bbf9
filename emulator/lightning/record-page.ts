import { escapeHtml } from '../oauth/html.ts';
import type { Org } from '../org/org.ts';
import type { Field, SObjectType } from '../schema/schema.ts';
import type { RecordValue, StoredRecord } from '../schema/types.ts';
import type { AccessContext } from '../security/access.ts';
import { lightningHtml } from './lightning-html.ts';

/** The path of a record's page, as Salesforce builds it (and as links into the demo org point). */
export function recordPagePath(objectName: string, id: string): string {
  return `/lightning/r/${encodeURIComponent(objectName)}/${encodeURIComponent(id)}/view`;
}

/** Objects whose page lists related activities and notes: the records Forcefield sends to. */
const ACTIVITY_OBJECTS = new Set(['Task', 'Event', 'Note', 'ContentNote']);

function link(objectName: string, id: string, text: string): string {
  return `<a href="${escapeHtml(recordPagePath(objectName, id))}">${escapeHtml(text)}</a>`;
}

function nameOf(object: SObjectType, record: StoredRecord): string {
  const value = object.nameField ? record[object.nameField.name] : undefined;
  return value === null || value === undefined || value === '' ? String(record.Id) : String(value);
}

/** A field's value as escaped HTML: lookups become links when this user can read the target. */
function valueHtml(access: AccessContext, field: Field, value: RecordValue): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (field.type === 'reference' && typeof value === 'string') {
    const target = access.records.find(value);
    if (target && target.record.IsDeleted !== true && access.object(target.object.name)) {
      return link(target.object.name, value, nameOf(target.object, target.record));
    }
  }
  return escapeHtml(String(value));
}

/** Fields worth a row: set, and readable as text (no base64 bodies, no compound addresses). */
function shownFields(object: SObjectType, record: StoredRecord): Field[] {
  return object.fields.filter((field) => {
    const value = record[field.name];
    return (
      value !== null &&
      value !== undefined &&
      value !== '' &&
      field.type !== 'base64' &&
      field.type !== 'address'
    );
  });
}

/** Live, readable records of an object whose `fieldName` equals one of `ids`, oldest first. */
function childRecords(
  org: Org,
  access: AccessContext,
  objectName: string,
  fieldName: string,
  id: string,
): StoredRecord[] {
  if (!access.object(objectName)) return [];
  const found: StoredRecord[] = [];
  for (const childId of org.store.table(objectName).lookup(fieldName, id) ?? []) {
    const record = org.store.get(objectName, childId);
    if (record && record.IsDeleted !== true && access.canRead(objectName, record)) found.push(record);
  }
  return found.sort((left, right) => String(left.CreatedDate).localeCompare(String(right.CreatedDate)));
}

function cell(value: RecordValue | undefined): string {
  return value === null || value === undefined ? '' : escapeHtml(String(value));
}

function relatedTable(options: {
  title: string;
  headings: string[];
  rows: string[][];
  empty: string;
}): string {
  const id = `related-${options.title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  if (options.rows.length === 0) {
    return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(options.title)} (0)</h2><p class="empty">${escapeHtml(options.empty)}</p></section>`;
  }
  const head = options.headings.map((heading) => `<th scope="col">${escapeHtml(heading)}</th>`).join('');
  const body = options.rows
    .map((row) => `<tr>${row.map((html) => `<td>${html}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(options.title)} (${options.rows.length})</h2>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></section>`;
}

function userName(org: Org, id: RecordValue | undefined): string {
  const user = typeof id === 'string' ? org.user(id) : undefined;
  return user ? escapeHtml(String(user.Name ?? user.Username ?? id)) : '';
}

/** Tasks and Events whose What or Who is the record (both lists Salesforce's Activity related list shows). */
function activities(
  org: Org,
  access: AccessContext,
  objectName: 'Task' | 'Event',
  id: string,
): StoredRecord[] {
  const byWhat = childRecords(org, access, objectName, 'WhatId', id);
  const byWho = childRecords(org, access, objectName, 'WhoId', id).filter(
    (record) => !byWhat.includes(record),
  );
  return [...byWhat, ...byWho];
}

/** Enhanced notes linked to the record, then classic notes under it. */
function noteRows(org: Org, access: AccessContext, id: string): string[][] {
  const rows: string[][] = [];
  for (const link of childRecords(org, access, 'ContentDocumentLink', 'LinkedEntityId', id)) {
    const noteId = String(link.ContentDocumentId);
    const note = org.store.get('ContentNote', noteId);
    if (
      !note ||
      note.IsDeleted === true ||
      !access.object('ContentNote') ||
      !access.canRead('ContentNote', note)
    )
      continue;
    rows.push([
      linkOrText('ContentNote', note, 'Title'),
      cell(note.TextPreview),
      'Note',
      cell(note.CreatedDate),
    ]);
  }
  for (const note of childRecords(org, access, 'Note', 'ParentId', id)) {
    rows.push([linkOrText('Note', note, 'Title'), cell(note.Body), 'Classic note', cell(note.CreatedDate)]);
  }
  return rows;
}

function linkOrText(objectName: string, record: StoredRecord, fieldName: string): string {
  const text = record[fieldName];
  return link(
    objectName,
    String(record.Id),
    text === null || text === undefined || text === '' ? String(record.Id) : String(text),
  );
}

/**
 * A record's page in the demo org, as `access`'s user sees it: the fields their profile can read
 * and, for the records Forcefield sends to, the Tasks, Events and Notes on it. Every value is
 * escaped: record text comes from whoever wrote it (an AI summary included).
 */
export function recordPage(options: {
  org: Org;
  access: AccessContext;
  object: SObjectType;
  record: StoredRecord;
}): Response {
  const { org, access, object, record } = options;
  const id = String(record.Id);
  const rows = shownFields(object, record)
    .map(
      (field) =>
        `<dt>${escapeHtml(field.label)}</dt><dd>${valueHtml(access, field, record[field.name] ?? null)}</dd>`,
    )
    .join('\n');
  const sections = [
    `<section aria-labelledby="record-name"><p class="kind">${escapeHtml(object.label)}</p><h1 id="record-name">${escapeHtml(nameOf(object, record))}</h1></section>`,
    `<section aria-labelledby="details"><h2 id="details">Details</h2><dl>
${rows}
</dl></section>`,
  ];
  if (!ACTIVITY_OBJECTS.has(object.name)) {
    sections.push(
      relatedTable({
        title: 'Tasks',
        headings: ['Subject', 'Status', 'Due Date', 'Assigned To'],
        rows: activities(org, access, 'Task', id).map((task) => [
          linkOrText('Task', task, 'Subject'),
          cell(task.Status),
          cell(task.ActivityDate),
          userName(org, task.OwnerId),
        ]),
        empty: 'No tasks on this record.',
      }),
      relatedTable({
        title: 'Events',
        headings: ['Subject', 'Start', 'End', 'Assigned To'],
        rows: activities(org, access, 'Event', id).map((event) => [
          linkOrText('Event', event, 'Subject'),
          cell(event.StartDateTime),
          cell(event.EndDateTime),
          userName(org, event.OwnerId),
        ]),
        empty: 'No events on this record.',
      }),
      relatedTable({
        title: 'Notes',
        headings: ['Title', 'Text', 'Kind', 'Created'],
        rows: noteRows(org, access, id),
        empty: 'No notes on this record.',
      }),
    );
  }
  return lightningHtml({
    status: 200,
    title: nameOf(object, record),
    orgName: org.name,
    body: sections.join('\n'),
  });
}
