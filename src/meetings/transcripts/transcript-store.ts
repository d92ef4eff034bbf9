import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.ts';
import type { Database } from '../../store/schema.ts';
import type { SpeakerMatch } from './match-speakers.ts';
import type { TranscriptFormat, Utterance } from './utterance.ts';

export interface StoredTranscript {
  format: TranscriptFormat;
  fileName: string | null;
  utterances: Utterance[];
  speakers: SpeakerMatch[];
  byteSize: number;
  contentHash: string;
  createdAt: string;
}

export function utterancesHash(utterances: readonly Utterance[]): string {
  return createHash('sha256').update(JSON.stringify(utterances)).digest('hex');
}

/** Writes a meeting's transcript inside the meeting's own transaction (see insertMeetings). */
export async function insertTranscript(
  transaction: Transaction<Database>,
  meetingId: string,
  transcript: Omit<StoredTranscript, 'contentHash' | 'createdAt'>,
  now: number,
): Promise<void> {
  await transaction
    .insertInto('meeting_transcripts')
    .values({
      meeting_id: meetingId,
      format: transcript.format,
      file_name: transcript.fileName,
      utterances: JSON.stringify(transcript.utterances),
      speakers: JSON.stringify(transcript.speakers),
      byte_size: transcript.byteSize,
      content_hash: utterancesHash(transcript.utterances),
      created_at: new Date(now).toISOString(),
    })
    .execute();
}

/** The meeting's transcript, or null. Callers check the viewer may see the meeting first. */
export async function loadTranscript(store: Store, meetingId: string): Promise<StoredTranscript | null> {
  const row = await store.db
    .selectFrom('meeting_transcripts')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    format: row.format as TranscriptFormat,
    fileName: row.file_name,
    utterances: JSON.parse(row.utterances),
    speakers: JSON.parse(row.speakers),
    byteSize: Number(row.byte_size),
    contentHash: row.content_hash,
    createdAt: row.created_at,
  };
}
