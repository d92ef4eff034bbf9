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

/** How far either side of our clock a lookup reaches, for clock skew with Salesforce. */
export const MARKER_LOOKUP_SKEW_MS = 5 * 60_000;

export interface MarkerLookupInput {
  kind: SendKind;
  noteFormat?: NoteFormat;
  record: { type: LinkableRecordType; id: string };
  /** The Salesforce user the send ran as (the record's creator). */
  connectedUserId: string;
  /** When the first attempt that may have created the record began (the journal's first_sent_at). */
  sentAt: Date;
  /**
   * The latest moment Salesforce can have created it: the last attempt's start plus the write
   * timeout plus the settle time (a write still in flight after that is presumed never to land).
   */
  createdBy: Date;
  /** An Enhanced Note's title, when known: only notes of that title are read. */
  title?: string | null;
}

export interface MarkerLookup {
  /** `queryAll` also finds a record deleted since: it was created, so it must not be created again. */
  endpoint: 'query' | 'queryAll';
  soql: string;
  /** The column holding the candidates' ids. */
  idField: string;
  /**
   * The column holding the text the marker is in; `null` for Enhanced Notes, whose content is a
   * file not returned by queries: read each candidate's content and use `noteContentHasMarker`.
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
 * everyone. Instead the query selects everything only this send can have produced — created by the
 * connected user, on the linked record, inside the window in which the attempts can have created
 * it (`sentAt` … `createdBy`, widened by the clock skew) — and the marker is matched in their text
 * on our side (`findMarkedRecordId`). The query has no LIMIT: the caller pages through every
 * result (nextRecordsUrl), so the lookup is complete for that window however many activities
 * others add to the record meanwhile. Nothing is retried until this lookup has answered.
 */
export function buildMarkerLookup(input: MarkerLookupInput): MarkerLookup {
  const object = sendObjectFor(input.kind, input.noteFormat);
  const literal = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const since = literal(input.sentAt.getTime() - MARKER_LOOKUP_SKEW_MS);
  // Rounded up to the second the literal can hold.
  const until = literal(Math.ceil((input.createdBy.getTime() + MARKER_LOOKUP_SKEW_MS) / 1000) * 1000);
  const user = soqlLiteral(input.connectedUserId);
  const record = soqlLiteral(input.record.id);
  switch (object) {
    case 'Task':
    case 'Event': {
      const lookup = activityLookupFor(input.record.type);
      return {
        endpoint: 'queryAll',
        soql:
          `SELECT Id, Description FROM ${object} WHERE ${lookup} = ${record} ` +
          `AND CreatedById = ${user} AND CreatedDate >= ${since} AND CreatedDate <= ${until}`,
        idField: 'Id',
        textField: 'Description',
      };
    }
    case 'Note':
      return {
        endpoint: 'queryAll',
        soql:
          `SELECT Id, Body FROM Note WHERE ParentId = ${record} ` +
          `AND CreatedById = ${user} AND CreatedDate >= ${since} AND CreatedDate <= ${until}`,
        idField: 'Id',
        textField: 'Body',
      };
    case 'ContentNote': {
      // Salesforce only lets ContentDocumentLink be queried by LinkedEntityId or ContentDocumentId.
      const title =
        typeof input.title === 'string' ? ` AND ContentDocument.Title = ${soqlLiteral(input.title)}` : '';
      return {
        endpoint: 'query',
        soql:
          `SELECT ContentDocumentId FROM ContentDocumentLink ` +
          `WHERE LinkedEntityId = ${record} AND ContentDocument.CreatedById = ${user} ` +
          `AND ContentDocument.CreatedDate >= ${since} AND ContentDocument.CreatedDate <= ${until}${title}`,
        idField: 'ContentDocumentId',
        textField: null,
      };
    }
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
