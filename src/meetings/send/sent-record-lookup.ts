/** Whether Salesforce has the record a send may have created, found by the marker written into it. */
import type { SalesforceClient } from '../../salesforce/salesforce-client.ts';
import type { SendKind } from '../form-fields.ts';
import { escapeNoteHtml } from '../payloads/note-content.ts';
import { buildMarkerLookup, findMarkedRecordId, noteContentHasMarker } from '../payloads/send-marker.ts';
import type { LinkableRecordType } from '../record-types.ts';
import { markerOf } from './send-input.ts';
import type { SendRow } from './send-journal.ts';

/** The id of the record this send created, or null when Salesforce has none (yet). */
export async function findSentRecord(client: SalesforceClient, row: SendRow): Promise<string | null> {
  const marker = markerOf(row);
  const lookup = buildMarkerLookup({
    kind: row.kind as SendKind,
    noteFormat: row.object_type === 'Note' ? 'classic' : 'enhanced',
    record: { type: row.record_type as LinkableRecordType, id: row.record_id },
    connectedUserId: row.salesforce_user_id,
    sentAt: new Date(row.first_sent_at),
  });
  const result =
    lookup.endpoint === 'queryAll' ? await client.queryAll(lookup.soql) : await client.query(lookup.soql);
  if (lookup.textField !== null) return findMarkedRecordId(result.records, lookup, marker);
  for (const candidate of result.records) {
    const id = String(candidate[lookup.idField]);
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
