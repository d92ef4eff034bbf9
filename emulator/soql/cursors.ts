import type { Org } from '../org/org.ts';
import type { QueryRun } from './execute.ts';

/** Salesforce keeps a query cursor for 15 minutes of inactivity. */
export const CURSOR_IDLE_TIMEOUT_MS = 15 * 60 * 1000;
/** Bounds memory when clients abandon cursors faster than they expire. */
const MAX_OPEN_CURSORS = 1000;

export interface Cursor {
  /** A query locator id (key prefix 01g), the part before `-offset` in nextRecordsUrl. */
  id: string;
  run: QueryRun;
  batchSize: number;
  expiresAt: number;
}

// Cursors belong to an org but are not part of its data: kept beside it, collected with it.
const cursorsByOrg = new WeakMap<Org, Map<string, Cursor>>();

function cursorsOf(org: Org): Map<string, Cursor> {
  let cursors = cursorsByOrg.get(org);
  if (!cursors) {
    cursors = new Map();
    cursorsByOrg.set(org, cursors);
  }
  return cursors;
}

export function openCursor(org: Org, run: QueryRun, batchSize: number): Cursor {
  const cursors = cursorsOf(org);
  const now = org.clock.now();
  for (const [id, cursor] of cursors) if (cursor.expiresAt <= now) cursors.delete(id);
  while (cursors.size >= MAX_OPEN_CURSORS) {
    const oldest = cursors.keys().next().value;
    if (oldest === undefined) break;
    cursors.delete(oldest);
  }
  const cursor: Cursor = { id: org.ids.next('01g'), run, batchSize, expiresAt: now + CURSOR_IDLE_TIMEOUT_MS };
  cursors.set(cursor.id, cursor);
  return cursor;
}

/** A live cursor (its idle timeout restarted), or undefined when unknown or expired. */
export function findCursor(org: Org, id: string): Cursor | undefined {
  const cursors = cursorsOf(org);
  const cursor = cursors.get(id);
  if (!cursor) return undefined;
  const now = org.clock.now();
  if (cursor.expiresAt <= now) {
    cursors.delete(id);
    return undefined;
  }
  cursor.expiresAt = now + CURSOR_IDLE_TIMEOUT_MS;
  return cursor;
}
