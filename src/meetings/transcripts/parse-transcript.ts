import { detectTranscriptFormat } from './detect-transcript-format.ts';
import { parseFirefliesJson } from './parse-fireflies-json.ts';
import { parseGoogleMeetJson } from './parse-google-meet-json.ts';
import { parseOtterText } from './parse-otter-text.ts';
import { parsePlainText } from './parse-plain-text.ts';
import { parseSrt } from './parse-srt.ts';
import { parseWebVtt } from './parse-webvtt.ts';
import { TRANSCRIPT_LIMITS } from './transcript-limits.ts';
import { transcriptLines } from './transcript-lines.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import type { ParsedTranscript, TranscriptFormat, Utterance } from './utterance.ts';

function byteLength(content: string): number {
  return Buffer.byteLength(content, 'utf8');
}

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (error) {
    throw new TranscriptParseError(
      `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const TIMED_TURN = /^\[\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?\]/;

const JSON_FORMATS: readonly TranscriptFormat[] = ['fireflies_json', 'google_meet_json'];

/** Times to the millisecond, text and names within the limits; order by start (untimed keep theirs). */
function normalise(utterances: Utterance[]): Utterance[] {
  if (utterances.length === 0) throw new TranscriptParseError('the transcript has no speech in it');
  if (utterances.length > TRANSCRIPT_LIMITS.maxUtterances) {
    throw new TranscriptParseError(
      `the transcript has ${utterances.length} utterances; the limit is ${TRANSCRIPT_LIMITS.maxUtterances}`,
    );
  }
  const round = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);
  // A meeting has a handful of speakers over thousands of utterances: each name is cleaned once.
  const speakerNames = new Map<string, string | null>();
  const cleanSpeaker = (speaker: string) => {
    let cleaned = speakerNames.get(speaker);
    if (cleaned === undefined) {
      cleaned = speaker.replace(/\s+/g, ' ').trim().slice(0, TRANSCRIPT_LIMITS.maxSpeakerChars) || null;
      speakerNames.set(speaker, cleaned);
    }
    return cleaned;
  };
  const normalised = new Array<Utterance>(utterances.length);
  let ordered = true;
  for (let index = 0; index < utterances.length; index++) {
    const utterance = utterances[index];
    if (utterance.text.length > TRANSCRIPT_LIMITS.maxUtteranceChars) {
      throw new TranscriptParseError(
        `utterance ${index + 1} is ${utterance.text.length} characters long; the limit is ${TRANSCRIPT_LIMITS.maxUtteranceChars}`,
      );
    }
    const start = round(utterance.start);
    normalised[index] = {
      speaker: utterance.speaker ? cleanSpeaker(utterance.speaker) : null,
      start,
      end: round(utterance.end),
      text: utterance.text,
    };
    const previous = index > 0 ? normalised[index - 1].start : 0;
    if (start === null || previous === null || start < previous) ordered = false;
  }
  // Overlapping or out-of-order cues (crosstalk, merged exports) read in time order; a stable sort.
  if (!ordered && normalised.every((utterance) => utterance.start !== null)) {
    normalised.sort((left, right) => (left.start as number) - (right.start as number));
  }
  return normalised;
}

/**
 * Reads a transcript in any supported format into utterances. `format` forces a format; without
 * it the content decides. Throws TranscriptParseError (naming the line or JSON path) for a file
 * that is not valid or over the limits (TRANSCRIPT_LIMITS); never returns a partial transcript.
 */
export function parseTranscript(content: string, format?: TranscriptFormat): ParsedTranscript {
  const size = byteLength(content);
  if (size > TRANSCRIPT_LIMITS.maxBytes) {
    throw new TranscriptParseError(
      `the file is ${size} bytes; transcripts are limited to ${TRANSCRIPT_LIMITS.maxBytes} bytes`,
    );
  }
  const trimmedStart = content.replace(/^\ufeff?\s*/, '');
  // `[00:01:02] Dana: …` is a timed text turn, not a JSON array.
  const looksJson =
    trimmedStart.startsWith('{') || (trimmedStart.startsWith('[') && !TIMED_TURN.test(trimmedStart));
  const json = (format ? JSON_FORMATS.includes(format) : looksJson) ? parseJson(content) : undefined;
  const lines = json === undefined ? transcriptLines(content) : [];
  const detected = format ?? detectTranscriptFormat(lines, json);
  let utterances: Utterance[];
  let startedAt: string | null = null;
  let speakerEmails: Record<string, string> = {};
  switch (detected) {
    case 'webvtt':
      utterances = parseWebVtt(lines);
      break;
    case 'srt':
      utterances = parseSrt(lines);
      break;
    case 'otter_text':
      utterances = parseOtterText(lines);
      break;
    case 'plain_text':
      utterances = parsePlainText(lines);
      break;
    case 'fireflies_json': {
      const fireflies = parseFirefliesJson(json);
      utterances = fireflies.utterances;
      speakerEmails = fireflies.speakerEmails;
      break;
    }
    case 'google_meet_json': {
      const meet = parseGoogleMeetJson(json);
      utterances = meet.utterances;
      startedAt = meet.startedAt;
      break;
    }
  }
  const normalised = normalise(utterances);
  const speakers = [
    ...new Set(normalised.map((utterance) => utterance.speaker).filter((name) => name !== null)),
  ];
  return { format: detected, utterances: normalised, speakers, startedAt, speakerEmails };
}
