import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids (like ULIDs): 10 base-36 characters of milliseconds, then 16 random
 * characters. Sorting ids sorts by creation time, which keeps pagination stable on both databases.
 */
export function newId(now: number = Date.now()): string {
  return (
    now.toString(36).padStart(10, '0') + randomBytes(10).toString('base64url').slice(0, 13).toLowerCase()
  );
}
