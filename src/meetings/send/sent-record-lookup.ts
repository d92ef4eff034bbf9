/** Whether Salesforce has the record a send may have created, found by the marker written into it. */
import type { SalesforceClient } from '../../salesforce/salesforce-client.ts';
import type { SalesforceRecord } from '../../salesforce/salesforce-types.ts';
import type { SendKind } from '../form-fields.ts';
import { escapeNoteHtml } from '../payloads/note-content.ts';
import { buildMarkerLookup, findMarkedRecordId, noteContentHasMarker } from '../payloads/send-marker.ts';
import type { LinkableRecordType } from '../record-types.ts';
import type { SendTiming } from './next-send-action.ts';
import { markerOf } from './send-input.ts';
import type { SendRow } from './send-journal.ts';

type LookupRow = Pick<
  SendRow,
  | 'user_id'
  | 'idempotency_key'
  | 'kind'
  | 'object_type'
  | 'record_type'
  | 'record_id'
  | 'salesforce_user_id'
  | 'first_sent_at'
  | 'attempt_started_at'
  | 'lookup_title'
>;

/**
 * The id of the record this send created, or null when Salesforce has none (yet). Complete for the
 * window its attempts can have written in: every page of the candidates is read (see
 * buildMarkerLookup), stopping at the first page that holds the marker.
 */
export async function findSentRecord(
  client: SalesforceClient,
  row: LookupRow,
  timing: Pick<SendTiming, 'settleMs' | 'writeTimeoutMs'>,
): Promise<string | null> {
  const marker = markerOf(row);
  const lookup = buildMarkerLookup({
    kind: row.kind as SendKind,
    noteFormat: row.object_type === 'Note' ? 'classic' : 'enhanced',
    record: { type: row.record_type as LinkableRecordType, id: row.record_id },
    connectedUserId: row.salesforce_user_id,
    sentAt: new Date(row.first_sent_at),
    createdBy: new Date(Date.parse(row.attempt_started_at) + timing.writeTimeoutMs + timing.settleMs),
    title: row.lookup_title,
  });
  let page =
    lookup.endpoint === 'queryAll' ? await client.queryAll(lookup.soql) : await client.query(lookup.soql);
  for (;;) {
    const found =
      lookup.textField !== null
        ? findMarkedRecordId(page.records, lookup, marker)
        : await findMarkedNote(client, page.records, lookup.idField, marker);
    if (found) return found;
    if (page.done || !page.nextRecordsUrl) return null;
    page = await client.queryMore(page.nextRecordsUrl);
  }
}

/** The Enhanced Note among the candidates whose content holds the marker (one read per candidate). */
async function findMarkedNote(
  client: SalesforceClient,
  candidates: readonly SalesforceRecord[],
  idField: string,
  marker: string,
): Promise<string | null> {
  for (const candidate of candidates) {
    const id = String(candidate[idField]);
    const note = await client.retrieve('ContentNote', id, ['Content']);
    const content = note.Content;
    if (typeof content !== 'string') continue;
    // Salesforce answers a blob field with its URL; the emulator with the base64 itself.
    if (content.startsWith('/services/data/')) {
      if ((await client.readBlobText(content)).includes(escapeNoteHtml(marker))) return id;
    } else if (noteContentHasMarker(content, marker)) return id;
  }
  return null;
}
