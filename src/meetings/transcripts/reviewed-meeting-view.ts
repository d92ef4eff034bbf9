import type { Store } from '../../store/database.ts';
import type { MeetingView } from '../meeting-store.ts';
import { loadSummary } from './summary-store.ts';
import { loadTranscript } from './transcript-store.ts';
import type { DroppedItem, VerifiedEvidence } from './verify-evidence.ts';

export type ReviewStatus = 'open' | 'edited' | 'dismissed' | 'done';

export interface ItemReview {
  origin: 'summary' | 'import';
  status: ReviewStatus;
  evidence: VerifiedEvidence[];
  flag: string | null;
  ownerName: string | null;
}

export interface ReviewedMeetingView extends Omit<MeetingView, 'items'> {
  items: Array<MeetingView['items'][number] & { review: ItemReview }>;
  transcript: {
    format: string;
    fileName: string | null;
    utteranceCount: number;
    speakers: Array<{ speaker: string; participant: { name: string; email: string } | null }>;
  } | null;
  summary: {
    overview: string;
    model: string;
    promptVersion: string;
    createdAt: string;
    kept: number;
    flagged: number;
    dropped: number;
    droppedItems: DroppedItem[];
  } | null;
}

/** The meeting view with its transcript's outline, its summary and each item's evidence and review state. */
export async function reviewedMeetingView(store: Store, view: MeetingView): Promise<ReviewedMeetingView> {
  const rows = await store.db
    .selectFrom('meeting_items')
    .select(['item_id', 'evidence', 'origin', 'review_status', 'flag', 'owner_name'])
    .where('meeting_id', '=', view.id)
    .execute();
  const byId = new Map(rows.map((row) => [row.item_id, row]));
  const transcript = await loadTranscript(store, view.id);
  const summary = await loadSummary(store, view.id);
  return {
    ...view,
    items: view.items.map((item) => {
      const row = byId.get(item.id);
      return {
        ...item,
        review: {
          origin: row?.origin === 'summary' ? 'summary' : 'import',
          status: (row?.review_status as ReviewStatus | null) ?? 'open',
          evidence: row?.evidence ? JSON.parse(row.evidence) : [],
          flag: row?.flag ?? null,
          ownerName: row?.owner_name ?? null,
        },
      };
    }),
    transcript: transcript && {
      format: transcript.format,
      fileName: transcript.fileName,
      utteranceCount: transcript.utterances.length,
      speakers: transcript.speakers.map((match) => ({
        speaker: match.speaker,
        participant: match.participant,
      })),
    },
    summary: summary
      ? {
          overview: summary.overview,
          model: summary.model,
          promptVersion: summary.prompt_version,
          createdAt: summary.created_at,
          kept: Number(summary.kept_items),
          flagged: Number(summary.flagged_items),
          dropped: Number(summary.dropped_items),
          droppedItems: JSON.parse(summary.dropped),
        }
      : null,
  };
}
