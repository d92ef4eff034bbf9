/** What a send asks for and answers, and the two values derived from it: its hash and its marker. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type NoteFormat, SEND_KINDS } from '../form-fields.ts';
import { markerFor } from '../payloads/send-marker.ts';
import type { SendRow } from './send-journal.ts';
import type { SendView } from './send-view.ts';

export const sendInputSchema = z.strictObject({
  connectionId: z.string().min(1).max(64),
  kind: z.enum(SEND_KINDS),
  values: z.record(z.string(), z.union([z.string().max(40_000), z.number(), z.null()])).default({}),
  /** The linked record; exactly one is valid (more are refused per field, not by the schema). */
  records: z.array(z.strictObject({ type: z.string().max(40), id: z.string().max(40) })).max(10),
  /** Made by the client once per Create click and reused on retries of that click. */
  idempotencyKey: z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
});
export type SendInput = z.infer<typeof sendInputSchema>;

export interface SendAnswer {
  /** `created`: this call created the record; `existing`: an earlier call with the key did. */
  outcome: 'created' | 'existing';
  send: SendView;
}

/** The same key with other values is refused: the journal keeps this hash of the values. */
export function requestHashOf(
  input: SendInput,
  meetingId: string,
  itemId: string,
  noteFormat: NoteFormat,
): string {
  const values = Object.entries(input.values).sort(([left], [right]) => (left < right ? -1 : 1));
  const canonical = JSON.stringify([
    meetingId,
    itemId,
    input.connectionId,
    input.kind,
    values,
    input.records,
    noteFormat,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The marker ties the record to the key, scoped to the user who sent it. */
export function markerOf(row: Pick<SendRow, 'user_id' | 'idempotency_key'>): string {
  return markerFor(`${row.user_id}:${row.idempotency_key}`);
}
