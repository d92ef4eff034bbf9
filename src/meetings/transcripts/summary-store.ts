import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.ts';
import type { Database } from '../../store/schema.ts';
import { matchSpeakers } from './match-speakers.ts';
import type { DroppedItem, VerifiedItem } from './verify-evidence.ts';

export interface SummaryRecord {
  promptVersion: string;
  model: string;
  transcriptHash: string;
  overview: string;
  kept: VerifiedItem[];
  dropped: DroppedItem[];
  chunks: number;
  createdBy: string | null;
  createdAt: string;
}

/** Item ids for summary items: `ai-1`, `ai-2`, … skipping ids the meeting already has. */
function nextIds(taken: Set<string>, count: number): string[] {
  const ids: string[] = [];
  for (let next = 1; ids.length < count; next++) {
    const id = `ai-${next}`;
    if (!taken.has(id)) ids.push(id);
  }
  return ids;
}

/**
 * Replaces a meeting's summary in one transaction: the summary row, and its items — except those
 * already sent to Salesforce or reviewed by a person, which stay as they are.
 */
export async function writeSummary(
  store: Store,
  meetingId: string,
  summary: SummaryRecord,
  participants: ReadonlyArray<{ name: string; email: string }>,
): Promise<void> {
  await store.db.transaction().execute(async (transaction) => {
    await removeUnreviewedSummaryItems(transaction, meetingId);
    const remaining = await transaction
      .selectFrom('meeting_items')
      .select(['item_id', 'position'])
      .where('meeting_id', '=', meetingId)
      .execute();
    const ids = nextIds(new Set(remaining.map((row) => row.item_id)), summary.kept.length);
    const firstPosition = remaining.reduce((highest, row) => Math.max(highest, Number(row.position) + 1), 0);
    if (summary.kept.length > 0) {
      await transaction
        .insertInto('meeting_items')
        .values(
          summary.kept.map((item, index) => {
            const owner = item.owner ? matchSpeakers([item.owner], participants)[0].participant : null;
            return {
              meeting_id: meetingId,
              item_id: ids[index],
              position: firstPosition + index,
              kind: item.kind,
              text: item.text.slice(0, 5000),
              owner_email: owner?.email ?? null,
              owner_name: item.owner,
              due_date: item.dueDate,
              evidence: JSON.stringify(item.evidence),
              origin: 'summary',
              review_status: null,
              flag: item.flag,
            };
          }),
        )
        .execute();
    }
    await transaction.deleteFrom('meeting_summaries').where('meeting_id', '=', meetingId).execute();
    await transaction
      .insertInto('meeting_summaries')
      .values({
        meeting_id: meetingId,
        prompt_version: summary.promptVersion,
        model: summary.model,
        transcript_hash: summary.transcriptHash,
        overview: summary.overview,
        kept_items: summary.kept.length,
        flagged_items: summary.kept.filter((item) => item.flag !== null).length,
        dropped_items: summary.dropped.length,
        dropped: JSON.stringify(summary.dropped),
        chunks: summary.chunks,
        created_by: summary.createdBy,
        created_at: summary.createdAt,
      })
      .execute();
  });
}

async function removeUnreviewedSummaryItems(
  transaction: Transaction<Database>,
  meetingId: string,
): Promise<void> {
  await transaction
    .deleteFrom('meeting_items')
    .where('meeting_id', '=', meetingId)
    .where('origin', '=', 'summary')
    .where('review_status', 'is', null)
    .where((where) =>
      where.not(
        where.exists(
          where
            .selectFrom('meeting_sends')
            .select('meeting_sends.id')
            .where('meeting_sends.meeting_id', '=', meetingId)
            .whereRef('meeting_sends.item_id', '=', 'meeting_items.item_id'),
        ),
      ),
    )
    .execute();
}

export async function loadSummary(store: Store, meetingId: string) {
  return store.db
    .selectFrom('meeting_summaries')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
}
