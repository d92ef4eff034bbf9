/**
 * The send form of one meeting item, described from the org: 0 Salesforce calls when the
 * describe is cached and fresh, 1 revalidation when stale, at most 2 cold.
 */
import type { Actor } from '../core/actor.ts';
import { ServiceError } from '../core/errors.ts';
import { connectedClient } from './connected-client.ts';
import { describeSendForm, type SendForm } from './form-description.ts';
import { type SendKind, sendObjectFor } from './form-fields.ts';
import { type MeetingContext, scopeOf } from './meeting-runtime.ts';
import { findItem, findVisibleMeeting } from './meeting-store.ts';
import { cachedNoteFormat } from './note-format.ts';

export async function describeForm(
  service: MeetingContext,
  user: Actor,
  input: { meetingId: string; itemId: string; kind: SendKind; connectionId: string },
): Promise<SendForm> {
  const stored = await findVisibleMeeting(service.store, user, input.meetingId);
  const item = findItem(stored, input.itemId);
  const connected = await connectedClient(service, user, input.connectionId);
  const { client } = connected;
  const scope = scopeOf(connected);
  const noteFormat = await cachedNoteFormat(service);
  const object = sendObjectFor(input.kind, noteFormat);
  const cache = service.meetings.describeCache;
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
