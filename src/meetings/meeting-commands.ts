/**
 * The changes people make to meetings, each audited here whatever surface it came through (the
 * API and web app today; the routes only declare the action), so no caller can change a meeting
 * and forget the audit row.
 */

import type { z } from 'zod';
import { auditSuccess } from '../audit/audit-success.ts';
import { type Actor, auditActorOf } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { Meeting } from './meeting-format.ts';
import { type meetingSharesSchema, setMeetingShares } from './meeting-shares.ts';
import { deleteMeeting, insertMeetings } from './meeting-store.ts';

type MeetingService = Pick<ServiceContext, 'store' | 'audit' | 'now'>;

/** Stores one meeting given through the API (`meeting.created`); returns its id. */
export async function createMeeting(
  service: MeetingService,
  actor: Actor,
  meeting: Meeting,
): Promise<string> {
  const [id] = await insertMeetings(service.store, [meeting], {
    createdBy: actor.id,
    source: 'api',
    now: service.now(),
  });
  await auditSuccess(service.audit, auditActorOf(actor), 'meeting.created', {
    meetingId: id,
    items: meeting.items.length,
    participants: meeting.participants.length,
  });
  return id;
}

/** Deletes a meeting (its creator or an admin), audited as `meeting.deleted`. */
export async function removeMeeting(service: MeetingService, actor: Actor, meetingId: string): Promise<void> {
  await deleteMeeting(service.store, actor, meetingId);
  await auditSuccess(service.audit, auditActorOf(actor), 'meeting.deleted', { meetingId });
}

/** Replaces who a meeting is shared with, audited as `meeting.shared` (the count, not the names). */
export async function shareMeeting(
  service: MeetingService,
  actor: Actor,
  meetingId: string,
  input: z.infer<typeof meetingSharesSchema>,
): Promise<void> {
  await setMeetingShares(service.store, actor, meetingId, input, service.now());
  await auditSuccess(service.audit, auditActorOf(actor), 'meeting.shared', {
    meetingId,
    shares: input.shares.length,
  });
}
