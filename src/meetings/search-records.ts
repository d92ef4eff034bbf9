/**
 * The record search of the send flow: 1 SOSL call, cold or warm. It names everything first; only
 * when Salesforce refuses an object or a field (a limited profile) does it fetch what the profile
 * can read and ask again (cost in the README).
 */
import { findUsableConnection } from '../connections/access.ts';
import type { Actor } from '../core/actor.ts';
import { SalesforceApiError } from '../salesforce/errors.ts';
import { connectedClient } from './connected-client.ts';
import { type MeetingContext, scopeOf } from './meeting-runtime.ts';
import { findVisibleMeeting } from './meeting-store.ts';
import type { ReadableFields, RecordRow } from './record-rows.ts';
import { buildRecordSearch, normalizeSearchResults } from './record-search.ts';

export interface RecordSearchAnswer {
  records: RecordRow[];
  /** Why nothing was searched (a term too short or too long); Salesforce was not called. */
  notice?: { code: string; message: string };
}

export async function searchRecords(
  service: MeetingContext,
  user: Actor,
  input: { meetingId: string; connectionId: string; term: string },
): Promise<RecordSearchAnswer> {
  await findVisibleMeeting(service.store, user, input.meetingId);
  const plan = buildRecordSearch(input.term);
  if (!plan.ok) {
    // Still check the connection, so a wrong id is a 404 whatever the term.
    await findUsableConnection(service.store, user, input.connectionId);
    return { records: [], notice: { code: plan.code, message: plan.message } };
  }
  const connected = await connectedClient(service, user, input.connectionId);
  const { client } = connected;
  const scope = scopeOf(connected);
  const cache = service.meetings.describeCache;
  const search = async (readable: ReadableFields | undefined): Promise<RecordSearchAnswer> => {
    const readablePlan = buildRecordSearch(input.term, { readable });
    if (!readablePlan.ok) {
      return { records: [], notice: { code: readablePlan.code, message: readablePlan.message } };
    }
    return { records: normalizeSearchResults((await client.search(readablePlan.sosl)).searchRecords) };
  };
  try {
    // Everything first, with no metadata call: a profile that reads the five objects (the usual
    // case) costs exactly one call, cold or warm. A limited profile's view is used while cached.
    return await search(cache.peekReadable(scope));
  } catch (error) {
    // Salesforce refused an object or a field the profile cannot read: ask what it can read
    // (describeGlobal and the readable objects' describes; unconditionally, since a profile change
    // need not move Last-Modified) and search once more with only that.
    if (!isAccessRefusal(error)) throw error;
    return search(await cache.readableFields(client, scope, { revalidate: true }));
  }
}

/** Salesforce's answer to naming an object or field the caller's profile cannot read. */
function isAccessRefusal(error: unknown): boolean {
  return (
    error instanceof SalesforceApiError &&
    (error.salesforceErrorCode === 'INVALID_TYPE' || error.salesforceErrorCode === 'INVALID_FIELD')
  );
}
