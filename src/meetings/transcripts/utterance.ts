/**
 * What every transcript format is normalised to: who spoke, when (seconds from the start of the
 * recording, null when the format has no times), and what they said.
 */
export interface Utterance {
  /** The speaker as the transcript names them; null when the file does not say. */
  speaker: string | null;
  start: number | null;
  end: number | null;
  text: string;
}

export const TRANSCRIPT_FORMATS = [
  'webvtt',
  'srt',
  'plain_text',
  'otter_text',
  'fireflies_json',
  'google_meet_json',
] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

export interface ParsedTranscript {
  format: TranscriptFormat;
  utterances: Utterance[];
  /** Distinct speakers in order of first appearance. */
  speakers: string[];
  /** For formats with wall-clock times (Google Meet): when the first entry started, ISO 8601. */
  startedAt: string | null;
  /** Speaker emails the file itself gives (Fireflies attendees), by speaker name. */
  speakerEmails: Record<string, string>;
}
