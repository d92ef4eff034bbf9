import { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import { canShare, findVisibleMeeting } from '../meeting-store.ts';

export const itemReviewSchema = z
  .strictObject({
    text: z.string().trim().min(1).max(5000).optional(),
    ownerEmail: z.email().max(254).nullable().optional(),
    dueDate: z.iso.date().nullable().optional(),
    status: z.enum(['open', 'dismissed', 'done']).optional(),
  })
  .refine((input) => Object.keys(input).length > 0, {
    message: 'give at least one of text, ownerEmail, dueDate, status',
  });
export type ItemReviewInput = z.infer<typeof itemReviewSchema>;

/**
 * A person's review of an item before anything is sent: edit its text, owner or due date, dismiss
 * it or mark it done. Reviewed items survive a new summary. Who may: those who may share the meeting.
 */
export async function reviewMeetingItem(
  service: Pick<ServiceContext, 'store' | 'audit'>,
  actor: Actor,
  meetingId: string,
  itemId: string,
  input: ItemReviewInput,
): Promise<void> {
  const stored = await findVisibleMeeting(service.store, actor, meetingId);
  if (!canShare(stored, actor))
    throw forbidden('Only its creator, its participants and admins can review its items.');
  if (!stored.meeting.items.some((item) => item.id === itemId)) throw notFound('Meeting item');
  const edited = input.text !== undefined || input.ownerEmail !== undefined || input.dueDate !== undefined;
  const current = await service.store.db
    .selectFrom('meeting_items')
    .select('review_status')
    .where('meeting_id', '=', meetingId)
    .where('item_id', '=', itemId)
    .executeTakeFirstOrThrow();
  const status = input.status ?? (current.review_status === null ? 'open' : current.review_status);
  const reviewStatus =
    status === 'open' ? (edited || current.review_status === 'edited' ? 'edited' : null) : status;
  await service.store.db
    .updateTable('meeting_items')
    .set({
      ...(input.text !== undefined ? { text: input.text } : {}),
      ...(input.ownerEmail !== undefined ? { owner_email: input.ownerEmail?.toLowerCase() ?? null } : {}),
      ...(input.dueDate !== undefined ? { due_date: input.dueDate } : {}),
      review_status: reviewStatus,
    })
    .where('meeting_id', '=', meetingId)
    .where('item_id', '=', itemId)
    .execute();
  await service.audit.record({
    actorUserId: actor.id,
    surface: actor.surface,
    action: 'meeting.item_reviewed',
    outcome: 'success',
    detail: { meetingId, itemId, status: reviewStatus ?? 'open', edited },
  });
}
