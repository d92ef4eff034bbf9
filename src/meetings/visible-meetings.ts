/** Which meetings a viewer may see, and the check of one meeting item before a send. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import type { Store } from '../store/database.ts';
import { preparedQuery } from '../store/prepared-query.ts';
import type { Database } from '../store/schema.ts';
import { shareReaches } from '../store/share-reach.ts';

/** Who looks at meetings: their id, email (as a participant) and role (admins see every meeting). */
export type MeetingViewer = Pick<Actor, 'id' | 'email' | 'role'>;

type MeetingsQuery = SelectQueryBuilder<Database, 'meetings', Database['meetings']>;

/** The ids of the meetings the viewer may see, as a subquery-able select. */
export function visibleMeetings(db: Kysely<Database>, viewer: MeetingViewer) {
  const query = db.selectFrom('meetings').selectAll('meetings');
  if (viewer.role === 'admin') return query;
  return visibleToMember(query, viewer.id, viewer.email.trim().toLowerCase());
}

/** The meetings a member sees: created by them, with them as a participant, or shared with them or their groups. */
function visibleToMember(query: MeetingsQuery, viewerId: string, email: string) {
  return query.where((where) =>
    where.or([
      where('meetings.created_by', '=', viewerId),
      where.exists(
        where
          .selectFrom('meeting_participants')
          .select('meeting_participants.meeting_id')
          .whereRef('meeting_participants.meeting_id', '=', 'meetings.id')
          .where('meeting_participants.email', '=', email),
      ),
      where.exists(
        where
          .selectFrom('meeting_shares')
          .select('meeting_shares.meeting_id')
          .whereRef('meeting_shares.meeting_id', '=', 'meetings.id')
          // Shared with the viewer or one of their groups (a subquery: one statement).
          .where((share) => shareReaches(share, viewerId)),
      ),
    ]),
  );
}

/** The meeting as the viewer may see it and whether it has the item, in one statement. */
function visibleItemQuery(query: MeetingsQuery, meetingId: string, itemId: string) {
  return query
    .clearSelect()
    .select((select) =>
      select
        .selectFrom('meeting_items')
        .select('meeting_items.item_id')
        .whereRef('meeting_items.meeting_id', '=', 'meetings.id')
        .where('meeting_items.item_id', '=', itemId)
        .as('item_id'),
    )
    .where('meetings.id', '=', meetingId);
}

// Every send checks its item: compiled once per role (the shape differs), not on every send.
const visibleItemToAdmin = preparedQuery(2, (db, meetingId: string, itemId: string) =>
  visibleItemQuery(db.selectFrom('meetings').selectAll('meetings'), meetingId, itemId),
);
const visibleItemToMember = preparedQuery(
  4,
  (db, viewerId: string, email: string, meetingId: string, itemId: string) =>
    visibleItemQuery(
      visibleToMember(db.selectFrom('meetings').selectAll('meetings'), viewerId, email),
      meetingId,
      itemId,
    ),
);

/** Checks that the viewer may see the meeting and that it has the item (404 otherwise), in one read. */
export async function assertVisibleItem(
  store: Store,
  viewer: MeetingViewer,
  meetingId: string,
  itemId: string,
): Promise<void> {
  const row =
    viewer.role === 'admin'
      ? await visibleItemToAdmin.takeFirst(store.db, meetingId, itemId)
      : await visibleItemToMember.takeFirst(
          store.db,
          viewer.id,
          viewer.email.trim().toLowerCase(),
          meetingId,
          itemId,
        );
  if (!row) throw notFound('Meeting');
  if (row.item_id === null || row.item_id === undefined) throw notFound('Meeting item');
}
