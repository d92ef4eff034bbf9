/** Tables of migration 0009-meeting-transcripts (transcripts, summaries, intake deliveries). */

export interface MeetingTranscriptsTable {
  meeting_id: string;
  format: string;
  file_name: string | null;
  /** JSON: Utterance[] (src/meetings/transcripts/utterance.ts). */
  utterances: string;
  /** JSON: SpeakerMatch[], who each speaker is among the participants. */
  speakers: string;
  byte_size: number;
  /** sha256 of the utterances: a summary is reused only for the transcript it was made from. */
  content_hash: string;
  created_at: string;
}

export interface MeetingSummariesTable {
  meeting_id: string;
  prompt_version: string;
  /** `provider:modelId`, as the summary was made. */
  model: string;
  transcript_hash: string;
  overview: string;
  kept_items: number;
  flagged_items: number;
  dropped_items: number;
  /** JSON: the items dropped because their evidence did not verify, with why. */
  dropped: string;
  chunks: number;
  created_by: string | null;
  created_at: string;
}

export interface MeetingIntakeDeliveriesTable {
  /** The delivery's signature: a second delivery of the same request is a replay. */
  signature: string;
  received_at: string;
}

export interface TranscriptTables {
  meeting_transcripts: MeetingTranscriptsTable;
  meeting_summaries: MeetingSummariesTable;
  meeting_intake_deliveries: MeetingIntakeDeliveriesTable;
}
