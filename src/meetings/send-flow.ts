/**
 * The reads of the send flow, each within its Salesforce API budget: the form description (0
 * calls when the describe is cached and fresh, 1 revalidation when stale, at most 2 cold), the
 * record search (1 SOSL call) and the suggestions (at most 2 composite calls).
 */
import { findUsableConnection } from '../connections/access.ts';
import { ServiceError } from '../errors.ts';
import { salesforceClientFor } from '../salesforce/client-factory.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';
import type { AuthenticatedUser } from '../server/auth-types.ts';
import type { ServiceContext } from '../server/context.ts';
import type { Store } from '../store/database.ts';
import type { MetadataScope } from './describe-cache.ts';
import { describeSendForm, type SendForm } from './form-description.ts';
import { meetingRuntimeOf } from './meeting-runtime.ts';
import { findItem, findVisibleMeeting } from './meeting-store.ts';
import type { RecordRow } from './record-rows.ts';
import { buildRecordSearch, normalizeSearchResults } from './record-search.ts';
import { type NoteFormat, type SendKind, sendObjectFor } from './send-form.ts';
import {
  accountIdsOf,
  buildAccountLookup,
  buildParticipantLookup,
  collectSuggestionResults,
  emptySuggestionResults,
  externalEmails,
  rankSuggestions,
  type Suggestion,
  type SuggestionProblem,
} from './suggestions.ts';

const NOTE_FORMAT_SETTING = 'meetings.noteFormat';

/** Enhanced Notes unless an admin switched the workspace to classic Notes. */
export async function noteFormatOf(store: Store): Promise<NoteFormat> {
  const row = await store.db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', NOTE_FORMAT_SETTING)
    .executeTakeFirst();
  return row && JSON.parse(row.value) === 'classic' ? 'classic' : 'enhanced';
}

export async function setNoteFormat(store: Store, format: NoteFormat, now: number): Promise<void> {
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
  user: AuthenticatedUser,
  connectionId: string,
): Promise<ConnectedClient> {
  // salesforceClientFor checks access (404 otherwise); then the connection is read by its id only.
  const client = await salesforceClientFor(service, user, connectionId);
  const connection = await service.store.db
    .selectFrom('connections')
    .select(['salesforce_org_id', 'salesforce_user_id', 'instance_url'])
    .where('id', '=', client.connectionId)
    .executeTakeFirstOrThrow();
  return {
    client,
    connectionId: client.connectionId,
    scope: { orgId: connection.salesforce_org_id, salesforceUserId: connection.salesforce_user_id },
    instanceUrl: connection.instance_url,
  };
}

export async function describeForm(
  service: ServiceContext,
  user: AuthenticatedUser,
  input: { meetingId: string; itemId: string; kind: SendKind; connectionId: string },
): Promise<SendForm> {
  const stored = await findVisibleMeeting(service.store, user, input.meetingId);
  const item = findItem(stored, input.itemId);
  const { client, scope } = await connectedClient(service, user, input.connectionId);
  const noteFormat = await noteFormatOf(service.store);
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
  user: AuthenticatedUser,
  input: { meetingId: string; connectionId: string; term: string },
): Promise<RecordSearchAnswer> {
  await findVisibleMeeting(service.store, user, input.meetingId);
  const plan = buildRecordSearch(input.term);
  if (!plan.ok) {
    // Still check the connection, so a wrong id is a 404 whatever the term.
    await findUsableConnection(service.store, user, input.connectionId);
    return { records: [], notice: { code: plan.code, message: plan.message } };
  }
  const { client } = await connectedClient(service, user, input.connectionId);
  const result = await client.search(plan.sosl);
  return { records: normalizeSearchResults(result.searchRecords) };
}

export async function suggestRecords(
  service: ServiceContext,
  user: AuthenticatedUser,
  input: { meetingId: string; connectionId: string },
): Promise<{ suggestions: Suggestion[]; problems: SuggestionProblem[] }> {
  const stored = await findVisibleMeeting(service.store, user, input.meetingId);
  const { client } = await connectedClient(service, user, input.connectionId);
  const options = { apiVersion: client.apiVersion };
  const results = emptySuggestionResults();
  const first = buildParticipantLookup(externalEmails(stored.meeting.participants), options);
  if (first) collectSuggestionResults(results, await client.compositeRead(first));
  const second = buildAccountLookup(accountIdsOf(results), options);
  if (second) collectSuggestionResults(results, await client.compositeRead(second));
  return { suggestions: rankSuggestions(results, new Date(service.now())), problems: results.problems };
}
