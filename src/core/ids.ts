import { randomBytes } from 'node:crypto';

let lastMillisecond = -1;
let sequence = 0;

/**
 * Time-ordered ids (like monotonic ULIDs): 10 base-36 characters of milliseconds, 4 of a
 * per-process sequence within that millisecond, then 12 random characters. Sorting ids sorts by
 * creation time — and by creation order within one process — which keeps pagination stable on
 * both databases.
 */
export function newId(now: number = Date.now()): string {
  if (now === lastMillisecond) {
    sequence++;
  } else {
    lastMillisecond = now;
    sequence = 0;
  }
  const random = randomBytes(9).toString('base64url').toLowerCase().replace(/[-_]/g, '0');
  return now.toString(36).padStart(10, '0') + sequence.toString(36).padStart(4, '0') + random;
}
