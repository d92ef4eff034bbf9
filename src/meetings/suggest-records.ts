/**
 * The record suggestions of the send flow: at most 2 composite calls, cold or warm. They name
 * everything first; only when Salesforce refuses an object or a field (a limited profile) do they
 * fetch what the profile can read and ask again (cost in the README).
 */
import type { Actor } from '../core/actor.ts';
import { connectedClient } from './connected-client.ts';
import { type MeetingContext, scopeOf } from './meeting-runtime.ts';
import { findVisibleMeeting } from './meeting-store.ts';
import type { ReadableFields } from './record-rows.ts';
import { rankSuggestions, type Suggestion } from './suggestion-ranking.ts';
import {
  accountIdsOf,
  buildAccountLookup,
  buildParticipantLookup,
  type CompositeRequestBody,
  collectSuggestionResults,
  emptySuggestionResults,
  externalEmails,
  type SuggestionProblem,
} from './suggestions.ts';

export async function suggestRecords(
  service: MeetingContext,
  user: Actor,
  input: { meetingId: string; connectionId: string },
): Promise<{ suggestions: Suggestion[]; problems: SuggestionProblem[] }> {
  const stored = await findVisibleMeeting(service.store, user, input.meetingId);
  const connected = await connectedClient(service, user, input.connectionId);
  const { client } = connected;
  const scope = scopeOf(connected);
  const cache = service.meetings.describeCache;
  let readable = cache.peekReadable(scope);
  let askedReadable = false;
  const results = emptySuggestionResults();
  /**
   * One composite read. When Salesforce refuses subrequests for naming what the profile cannot read
   * (INVALID_TYPE / INVALID_FIELD; the others still answer), the readable fields are fetched once
   * per request and only the refused subrequests are asked again, without what the profile lacks.
   */
  const read = async (build: (readable?: ReadableFields) => CompositeRequestBody | null) => {
    const body = build(readable);
    if (!body) return;
    const response = await client.compositeRead(body);
    const refused = new Set(
      response.compositeResponse.filter(isRefusedSubrequest).map((entry) => entry.referenceId),
    );
    if (refused.size === 0 || askedReadable) {
      collectSuggestionResults(results, response);
      return;
    }
    collectSuggestionResults(results, {
      compositeResponse: response.compositeResponse.filter((entry) => !refused.has(entry.referenceId)),
    });
    askedReadable = true;
    readable = await cache.readableFields(client, scope, { revalidate: true });
    const again = build(readable)?.compositeRequest.filter((entry) => refused.has(entry.referenceId)) ?? [];
    if (again.length > 0) {
      collectSuggestionResults(
        results,
        await client.compositeRead({ allOrNone: false, compositeRequest: again }),
      );
    }
  };
  const emails = externalEmails(stored.meeting.participants);
  const optionsOf = (current?: ReadableFields) => ({ apiVersion: client.apiVersion, readable: current });
  await read((current) => buildParticipantLookup(emails, optionsOf(current)));
  const accountIds = accountIdsOf(results);
  await read((current) => buildAccountLookup(accountIds, optionsOf(current)));
  return { suggestions: rankSuggestions(results, new Date(service.now())), problems: results.problems };
}

function isRefusedSubrequest(entry: { httpStatusCode: number; body: unknown }): boolean {
  if (entry.httpStatusCode < 400 || !Array.isArray(entry.body)) return false;
  return entry.body.some(
    (error) =>
      typeof error === 'object' &&
      error !== null &&
      ACCESS_REFUSALS.has(String((error as { errorCode?: unknown }).errorCode)),
  );
}

const ACCESS_REFUSALS = new Set(['INVALID_TYPE', 'INVALID_FIELD']);
