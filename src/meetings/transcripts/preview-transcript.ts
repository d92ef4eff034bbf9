import { ServiceError } from '../../core/errors.ts';
import { matchSpeakers, type SpeakerMatch } from './match-speakers.ts';
import { parseTranscript } from './parse-transcript.ts';
import type { TranscriptFile } from './transcript-input.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import type { ParsedTranscript } from './utterance.ts';

export interface TranscriptPreview {
  format: ParsedTranscript['format'];
  utteranceCount: number;
  /** Seconds from the first utterance's start to the last one's end; null for untimed text. */
  durationSeconds: number | null;
  startedAt: string | null;
  speakers: Array<SpeakerMatch & { utterances: number }>;
}

/** Parses a transcript file or throws a 400 `invalid_transcript` naming the line. */
export function readTranscriptFile(file: TranscriptFile): ParsedTranscript {
  try {
    return parseTranscript(file.content, file.format);
  } catch (error) {
    if (!(error instanceof TranscriptParseError)) throw error;
    const where = file.fileName ? `${file.fileName}: ` : '';
    throw new ServiceError(400, 'invalid_transcript', `Nothing was imported: ${where}${error.message}`, {
      line: error.line,
      path: error.path,
    });
  }
}

/** What the Import dialog shows before anything is stored: the format, the speakers and who they are. */
export function previewTranscript(
  parsed: ParsedTranscript,
  participants: ReadonlyArray<{ name: string; email: string }>,
): TranscriptPreview {
  const counts = new Map<string, number>();
  for (const utterance of parsed.utterances) {
    if (utterance.speaker !== null) counts.set(utterance.speaker, (counts.get(utterance.speaker) ?? 0) + 1);
  }
  const timed = parsed.utterances.filter((utterance) => utterance.start !== null);
  const first = timed[0]?.start ?? null;
  const last = timed.reduce(
    (latest, utterance) => Math.max(latest, utterance.end ?? utterance.start ?? 0),
    0,
  );
  return {
    format: parsed.format,
    utteranceCount: parsed.utterances.length,
    durationSeconds: first === null ? null : Math.round((last - first) * 1000) / 1000,
    startedAt: parsed.startedAt,
    speakers: matchSpeakers(parsed.speakers, participants, parsed.speakerEmails).map((match) => ({
      ...match,
      utterances: counts.get(match.speaker) ?? 0,
    })),
  };
}
