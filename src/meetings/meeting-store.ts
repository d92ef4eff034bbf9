/**
 * Meetings in the store, and who may see them. Visibility is decided here, on the server, for
 * every read: admins see every meeting; a member sees the meetings they created, took part in (a
 * participant's email is theirs) or that were shared with them or with one of their groups.
 */
import type { Selectable, Transaction } from 'kysely';
import { forbidden, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import type { Database, MeetingsTable } from '../store/schema.ts';
import type { Meeting, MeetingItem, MeetingItemKind } from './meeting-format.ts';
import { type SendView, sendViewOf } from './send/send-view.ts';
import { type MeetingViewer, visibleMeetings } from './visible-meetings.ts';

export type { MeetingViewer };

export interface StoredMeeting {
  id: string;
  meeting: Meeting;
  row: Selectable<MeetingsTable>;
}

export interface MeetingSummary {
  id: string;
  title: string;
  startTime: string;
  endTime: string;
  source: string;
  participantCount: number;
  participants: string[];
  itemCount: number;
  /** Items with at least one record created in Salesforce. */
  sentItemCount: number;
}

const MAX_LISTED_PARTICIPANTS = 10;

export interface MeetingView
  extends Omit<MeetingSummary, 'participantCount' | 'participants' | 'itemCount' | 'sentItemCount'> {
  createdAt: string;
  createdBy: string | null;
  participants: Array<{ name: string; email: string; internal: boolean }>;
  items: Array<{
    id: string;
    kind: MeetingItemKind;
    text: string;
    ownerEmail: string | null;
    dueDate: string | null;
    sends: SendView[];
  }>;
  shares: Array<{ type: 'user' | 'group'; id: string }>;
  canShare: boolean;
}

/** Item ids people did not give: `1`, `2`, … by position, skipping ids the file already uses. */
function assignItemIds(items: readonly MeetingItem[]): string[] {
  const taken = new Set(items.map((item) => item.id).filter((id) => id !== undefined));
  let next = 1;
  return items.map((item) => {
    if (item.id !== undefined) return item.id;
    while (taken.has(String(next))) next++;
    taken.add(String(next));
    return String(next++);
  });
}

/** Stores meetings (each in one transaction); answers their ids in order. */
export async function insertMeetings(
  store: Store,
  meetings: readonly Meeting[],
  origin: { createdBy: string | null; source: MeetingsTable['source']; now: number },
  /** Writes more of each meeting (its transcript) in the same transaction: all or nothing. */
  alsoWrite?: (transaction: Transaction<Database>, meetingId: string, index: number) => Promise<void>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const meeting of meetings) {
    const id = newId(origin.now);
    const itemIds = assignItemIds(meeting.items);
    await store.db.transaction().execute(async (transaction) => {
      await transaction
        .insertInto('meetings')
        .values({
          id,
          title: meeting.title,
          start_time: new Date(meeting.startTime).toISOString(),
          end_time: new Date(meeting.endTime).toISOString(),
          created_by: origin.createdBy,
          source: origin.source,
          created_at: new Date(origin.now).toISOString(),
        })
        .execute();
      if (meeting.participants.length > 0) {
        await transaction
          .insertInto('meeting_participants')
          .values(
            meeting.participants.map((participant, position) => ({
              meeting_id: id,
              position,
              name: participant.name,
              email: participant.email.trim().toLowerCase(),
              internal: participant.internal ? 1 : 0,
            })),
          )
          .execute();
      }
      if (meeting.items.length > 0) {
        await transaction
          .insertInto('meeting_items')
          .values(
            meeting.items.map((item, position) => ({
              meeting_id: id,
              item_id: itemIds[position],
              position,
              kind: item.kind,
              text: item.text,
              owner_email: item.ownerEmail?.trim().toLowerCase() ?? null,
              due_date: item.dueDate ?? null,
            })),
          )
          .execute();
      }
      await alsoWrite?.(transaction, id, ids.length);
    });
    ids.push(id);
  }
  return ids;
}

/** Newest meeting first. */
export async function listMeetings(store: Store, viewer: MeetingViewer): Promise<MeetingSummary[]> {
  const rows = await visibleMeetings(store.db, viewer)
    .orderBy('meetings.start_time', 'desc')
    .orderBy('meetings.id', 'desc')
    .limit(1000)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const participants = await store.db
    .selectFrom('meeting_participants')
    .select(['meeting_id', 'name'])
    .where('meeting_id', 'in', ids)
    .orderBy('meeting_id')
    .orderBy('position')
    .execute();
  const itemCounts = await store.db
    .selectFrom('meeting_items')
    .select(['meeting_id', (builder) => builder.fn.countAll<number | string>().as('count')])
    .where('meeting_id', 'in', ids)
    .groupBy('meeting_id')
    .execute();
  // Items with at least one record created from them (sending again is allowed, so distinct).
  const sentCounts = await store.db
    .selectFrom('meeting_sends')
    .select(['meeting_id', (builder) => builder.fn.count<number | string>('item_id').distinct().as('count')])
    .where('meeting_id', 'in', ids)
    .where('status', '=', 'succeeded')
    .groupBy('meeting_id')
    .execute();
  const countOf = (counts: Array<{ meeting_id: string; count: number | string }>, id: string) =>
    Number(counts.find((entry) => entry.meeting_id === id)?.count ?? 0);
  const namesOf = new Map<string, string[]>();
  for (const participant of participants) {
    const names = namesOf.get(participant.meeting_id) ?? [];
    names.push(participant.name);
    namesOf.set(participant.meeting_id, names);
  }
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    startTime: row.start_time,
    endTime: row.end_time,
    source: row.source,
    participantCount: namesOf.get(row.id)?.length ?? 0,
    // The first few names, for the list; the meeting page has everyone.
    participants: (namesOf.get(row.id) ?? []).slice(0, MAX_LISTED_PARTICIPANTS),
    itemCount: countOf(itemCounts, row.id),
    sentItemCount: countOf(sentCounts, row.id),
  }));
}

/** The meeting when the viewer may see it; 404 otherwise (as for an id that does not exist). */
export async function findVisibleMeeting(
  store: Store,
  viewer: MeetingViewer,
  meetingId: string,
): Promise<StoredMeeting> {
  const row = await visibleMeetings(store.db, viewer).where('meetings.id', '=', meetingId).executeTakeFirst();
  if (!row) throw notFound('Meeting');
  const participants = await store.db
    .selectFrom('meeting_participants')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('position')
    .execute();
  const items = await store.db
    .selectFrom('meeting_items')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    row,
    meeting: {
      title: row.title,
      startTime: row.start_time,
      endTime: row.end_time,
      participants: participants.map((participant) => ({
        name: participant.name,
        email: participant.email,
        internal: participant.internal === 1,
      })),
      items: items.map((item) => ({
        id: item.item_id,
        kind: item.kind as MeetingItemKind,
        text: item.text,
        ...(item.owner_email ? { ownerEmail: item.owner_email } : {}),
        ...(item.due_date ? { dueDate: item.due_date } : {}),
      })),
    },
  };
}

export function findItem(stored: StoredMeeting, itemId: string): MeetingItem {
  const item = stored.meeting.items.find((candidate) => candidate.id === itemId);
  if (!item) throw notFound('Meeting item');
  return item;
}

/** Who may change who a meeting is shared with: admins, its creator and its participants. */
export function canShare(stored: StoredMeeting, viewer: MeetingViewer): boolean {
  if (viewer.role === 'admin' || stored.row.created_by === viewer.id) return true;
  const email = viewer.email.trim().toLowerCase();
  return stored.meeting.participants.some((participant) => participant.email === email);
}

/** The meeting as the API shows it, with what was sent from each item. */
export async function meetingView(
  store: Store,
  viewer: MeetingViewer,
  meetingId: string,
): Promise<MeetingView> {
  const stored = await findVisibleMeeting(store, viewer, meetingId);
  const sends = await store.db
    .selectFrom('meeting_sends')
    .leftJoin('users', 'users.id', 'meeting_sends.user_id')
    .selectAll('meeting_sends')
    .select(['users.name as sender_name', 'users.email as sender_email'])
    .where('meeting_sends.meeting_id', '=', meetingId)
    .orderBy('meeting_sends.id')
    .execute();
  const shares = await store.db
    .selectFrom('meeting_shares')
    .select(['principal_type', 'principal_id'])
    .where('meeting_id', '=', meetingId)
    .orderBy('principal_type')
    .orderBy('principal_id')
    .execute();
  const { row, meeting } = stored;
  return {
    id: row.id,
    title: row.title,
    startTime: row.start_time,
    endTime: row.end_time,
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    participants: meeting.participants,
    items: meeting.items.map((item) => ({
      id: String(item.id),
      kind: item.kind,
      text: item.text,
      ownerEmail: item.ownerEmail ?? null,
      dueDate: item.dueDate ?? null,
      // Every send from the item with its true outcome: `succeeded` (id and link), `unknown`,
      // `pending`, or `failed` with its error code (e.g. `not_sent`: nothing was created).
      sends: sends
        .filter((send) => send.item_id === item.id)
        .map((send) =>
          sendViewOf(
            send,
            send.sender_name && send.sender_email
              ? { name: send.sender_name, email: send.sender_email }
              : null,
          ),
        ),
    })),
    shares: shares.map((share) => ({ type: share.principal_type, id: share.principal_id })),
    canShare: canShare(stored, viewer),
  };
}

/** Deletes a meeting (admins and its creator). The send journal stays: it is the audit of what was sent. */
export async function deleteMeeting(store: Store, viewer: MeetingViewer, meetingId: string): Promise<void> {
  const stored = await findVisibleMeeting(store, viewer, meetingId);
  if (viewer.role !== 'admin' && stored.row.created_by !== viewer.id) {
    throw forbidden('Only its creator and admins can delete a meeting.');
  }
  await store.db.transaction().execute(async (transaction) => {
    // Explicit rather than ON DELETE CASCADE, which SQLite applies only with foreign keys on.
    for (const table of [
      'meeting_shares',
      'meeting_items',
      'meeting_participants',
      'meeting_transcripts',
      'meeting_summaries',
    ] as const) {
      await transaction.deleteFrom(table).where('meeting_id', '=', meetingId).execute();
    }
    await transaction.deleteFrom('meetings').where('id', '=', meetingId).execute();
  });
}
