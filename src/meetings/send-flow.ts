/**
 * The reads of the send flow, each within its Salesforce API budget: the form description (0
 * calls when the describe is cached and fresh, 1 revalidation when stale, at most 2 cold), the
 * record search (1 SOSL call) and the suggestions (at most 2 composite calls), cold or warm. Search
 * and suggestions name everything first; only when Salesforce refuses an object or a field (a
 * limited profile) do they fetch what the profile can read and ask again (cost in the README).
 */
import { findUsableConnection } from '../connections/access.ts';
import type { Actor } from '../core/actor.ts';
import { ServiceError } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { SalesforceApiError } from '../salesforce/errors.ts';
import { SalesforceClient } from '../salesforce/salesforce-client.ts';
import type { Store } from '../store/database.ts';
import type { MetadataScope } from './describe-cache.ts';
import { describeSendForm, type SendForm } from './form-description.ts';
import { meetingRuntimeOf } from './meeting-runtime.ts';
import { findItem, findVisibleMeeting } from './meeting-store.ts';
import type { ReadableFields, RecordRow } from './record-rows.ts';
import { buildRecordSearch, normalizeSearchResults } from './record-search.ts';
import { type NoteFormat, type SendKind, sendObjectFor } from './send-form.ts';
import {
  accountIdsOf,
  buildAccountLookup,
  buildParticipantLookup,
  type CompositeRequestBody,
  collectSuggestionResults,
  emptySuggestionResults,
  externalEmails,
  rankSuggestions,
  type Suggestion,
  type SuggestionProblem,
} from './suggestions.ts';

const NOTE_FORMAT_SETTING = 'meetings.noteFormat';

/**
 * How long an instance trusts the note format it read: sends and forms read it on every request,
 * and an admin's switch reaches the other instances within this (this instance at once).
 */
export const NOTE_FORMAT_FRESH_MS = 5_000;

/** The note format through the instance's cache (see NOTE_FORMAT_FRESH_MS). */
export async function cachedNoteFormat(service: ServiceContext): Promise<NoteFormat> {
  const runtime = meetingRuntimeOf(service);
  const now = service.now();
  const cached = runtime.noteFormat;
  if (cached && now - cached.readAt < NOTE_FORMAT_FRESH_MS && now >= cached.readAt) return cached.value;
  const value = await noteFormatOf(service.store);
  runtime.noteFormat = { value, readAt: now };
  return value;
}

/** Enhanced Notes unless an admin switched the workspace to classic Notes. */
export async function noteFormatOf(store: Store): Promise<NoteFormat> {
  const row = await store.db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', NOTE_FORMAT_SETTING)
    .executeTakeFirst();
  return row && JSON.parse(row.value) === 'classic' ? 'classic' : 'enhanced';
}

export async function setNoteFormat(service: ServiceContext, format: NoteFormat): Promise<void> {
  await writeNoteFormat(service.store, format, service.now());
  meetingRuntimeOf(service).noteFormat = { value: format, readAt: service.now() };
}

async function writeNoteFormat(store: Store, format: NoteFormat, now: number): Promise<void> {
  const values = {
    key: NOTE_FORMAT_SETTING,
    value: JSON.stringify(format),
    updated_at: new Date(now).toISOString(),
  };
  await store.db
    .insertInto('workspace_settings')
    .values(values)
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({ value: values.value, updated_at: values.updated_at }),
    )
    .execute();
}

export interface ConnectedClient {
  client: SalesforceClient;
  connectionId: string;
  scope: MetadataScope;
  instanceUrl: string;
}

/** The user's Salesforce client for a connection they may use (404 otherwise), and its metadata scope. */
export async function connectedClient(
  service: ServiceContext,
  user: Actor,
  connectionId: string,
): Promise<ConnectedClient> {
  // As salesforceClientFor does, but the access check's row also gives the metadata scope, which
  // saves a statement on every send (the tokens are still read by the sessions, which own them).
  const connection = await findUsableConnection(service.store, user, connectionId);
  const tokens = await service.salesforceSessions.currentTokens(connection.id);
  const client = new SalesforceClient({
    connectionId: connection.id,
    apiVersion: service.salesforce.apiVersion,
    tokens,
    sessions: service.salesforceSessions,
    audit: service.audit,
    trigger: { actorUserId: user.id, surface: user.surface },
  });
  return {
    client,
    connectionId: connection.id,
    scope: { orgId: connection.salesforce_org_id, salesforceUserId: connection.salesforce_user_id },
    instanceUrl: connection.instance_url,
  };
}

export async function describeForm(
  service: ServiceContext,
  user: Actor,
  input: { meetingId: string; itemId: string; kind: SendKind; connectionId: string },
): Promise<SendForm> {
  const stored = await findVisibleMeeting(service.store, user, input.meetingId);
  const item = findItem(stored, input.itemId);
  const { client, scope } = await connectedClient(service, user, input.connectionId);
  const noteFormat = await cachedNoteFormat(service);
  const object = sendObjectFor(input.kind, noteFormat);
  const cache = meetingRuntimeOf(service).describeCache;
  const [describe, users] = await Promise.all([
    cache.describe(client, scope, object),
    // Notes have no responsible user: no need for the user list.
    object === 'Task' || object === 'Event' ? cache.activeUsers(client, scope) : Promise.resolve([]),
  ]);
  const result = describeSendForm({
    kind: input.kind,
    item,
    meeting: stored.meeting,
    describe: describe ? { [object]: describe } : {},
    users,
    connectedUserId: scope.salesforceUserId,
    now: new Date(service.now()),
    noteFormat,
  });
  if (!result.ok) throw new ServiceError(403, result.code, result.message);
  return result.form;
}

export interface RecordSearchAnswer {
  records: RecordRow[];
  /** Why nothing was searched (a term too short or too long); Salesforce was not called. */
  notice?: { code: string; message: string };
}

export async function searchRecords(
  service: ServiceContext,
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
  const { client, scope } = await connectedClient(service, user, input.connectionId);
  const cache = meetingRuntimeOf(service).describeCache;
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

export async function suggestRecords(
  service: ServiceContext,
  user: Actor,
  input: { meetingId: string; connectionId: string },
): Promise<{ suggestions: Suggestion[]; problems: SuggestionProblem[] }> {
  const stored = await findVisibleMeeting(service.store, user, input.meetingId);
  const { client, scope } = await connectedClient(service, user, input.connectionId);
  const cache = meetingRuntimeOf(service).describeCache;
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
