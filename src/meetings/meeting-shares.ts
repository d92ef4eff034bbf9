/** Who a meeting is shared with, and who may change it. */
import { z } from 'zod';
import { forbidden, notFound } from '../core/errors.ts';
import type { Store } from '../store/database.ts';
import { canShare, findVisibleMeeting, type MeetingViewer } from './meeting-store.ts';

export const meetingSharesSchema = z.strictObject({
  shares: z
    .array(z.strictObject({ type: z.enum(['user', 'group']), id: z.string().min(1).max(64) }))
    .max(1000),
});

/** Replaces who the meeting is shared with (users and groups must exist). */
export async function setMeetingShares(
  store: Store,
  viewer: MeetingViewer,
  meetingId: string,
  input: z.infer<typeof meetingSharesSchema>,
  now: number,
): Promise<void> {
  const stored = await findVisibleMeeting(store, viewer, meetingId);
  if (!canShare(stored, viewer))
    throw forbidden('Only its participants, its creator and admins can share a meeting.');
  const unique = [...new Map(input.shares.map((share) => [`${share.type}:${share.id}`, share])).values()];
  for (const type of ['user', 'group'] as const) {
    const ids = unique.filter((share) => share.type === type).map((share) => share.id);
    if (ids.length === 0) continue;
    const table = type === 'user' ? 'users' : 'groups';
    const found = new Set(
      (await store.db.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((row) => row.id),
    );
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound(`The ${type} ${missing}`);
  }
  await store.db.transaction().execute(async (transaction) => {
    await transaction.deleteFrom('meeting_shares').where('meeting_id', '=', meetingId).execute();
    if (unique.length > 0) {
      await transaction
        .insertInto('meeting_shares')
        .values(
          unique.map((share) => ({
            meeting_id: meetingId,
            principal_type: share.type,
            principal_id: share.id,
            created_at: new Date(now).toISOString(),
          })),
        )
        .execute();
    }
  });
}
