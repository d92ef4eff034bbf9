/**
 * The idempotency marker: the token written into each record that ties it to its send, and the
 * lookup that finds a record by it after an unknown outcome.
 */
import { createHash } from 'node:crypto';
import { type NoteFormat, type SendKind, sendObjectFor } from '../form-fields.ts';
import { activityLookupFor, type LinkableRecordType } from '../record-types.ts';
import { soqlLiteral } from '../soql-literal.ts';
import { escapeNoteHtml } from './note-content.ts';

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
