import type { Evidence } from './types.ts';

/** The size the service accepts for one transcript (README "Meetings from transcripts"). */
export const MAX_TRANSCRIPT_BYTES = 2 * 1024 * 1024;

/** Names that are transcripts, not Forcefield's meeting JSON (JSON files are told apart by content). */
const TRANSCRIPT_EXTENSIONS = /\.(vtt|srt|txt)$/i;

/**
 * Whether a file is a transcript: by its extension, or for JSON, by not being the meeting format
 * (a meeting or `{ meetings: [...] }` has items; Fireflies and Google Meet JSON do not).
 */
export function isTranscriptFile(fileName: string, content: string): boolean {
  if (TRANSCRIPT_EXTENSIONS.test(fileName)) return true;
  try {
    const parsed: unknown = JSON.parse(content.replace(/^\uFEFF/, ''));
    if (parsed === null || typeof parsed !== 'object') return false;
    return !('items' in parsed) && !('meetings' in parsed);
  } catch {
    // Not JSON at all: only a transcript parser can make sense of it (and names the bad line).
    return !/\.json$/i.test(fileName);
  }
}

/** `[00:01:02] Dana: …`: a timed text turn, not a JSON array (as the service reads it). */
const TIMED_TURN = /^\[\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?\]/;

/**
 * Whether pasted text is a transcript rather than Forcefield's meeting JSON: the same test as for
 * a file, where text that starts like JSON is JSON (so a broken meeting file says "not valid JSON"
 * rather than being read as a transcript), and anything else is for the transcript parsers.
 */
export function isTranscriptText(content: string): boolean {
  const start = content.replace(/^\uFEFF/, '').trimStart();
  if (start === '') return false;
  const looksJson = start.startsWith('{') || (start.startsWith('[') && !TIMED_TURN.test(start));
  return looksJson ? isTranscriptFile('pasted.json', content) : true;
}

/**
 * A short fingerprint of a transcript's text (32-bit FNV-1a), so a cached preview is never shown
 * for different text of the same length (a pasted transcript edited and previewed again).
 */
export function contentFingerprint(content: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < content.length; index++) {
    hash = Math.imul(hash ^ content.charCodeAt(index), 0x01000193);
  }
  return `${content.length}:${(hash >>> 0).toString(36)}`;
}

/** Seconds from the start → `m:ss` or `h:mm:ss`, as transcripts write times. */
export function formatOffset(seconds: number | null): string {
  if (seconds === null) return '';
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** The id of an utterance in the meeting page's transcript view: the target of "Jump to". */
export function utteranceAnchor(index: number): string {
  return `utterance-${index + 1}`;
}

/** "Dana Lee at 1:05", or what of it is known. */
export function evidenceSource(evidence: Evidence): string {
  const speaker = evidence.speaker ?? 'Unknown speaker';
  return evidence.start === null ? speaker : `${speaker} at ${formatOffset(evidence.start)}`;
}

/**
 * The quote block appended to the Salesforce Description: the words, who and when, and a link back
 * to the meeting at the first quote's moment in its transcript.
 */
export function quoteBlock(evidence: readonly Evidence[], meetingUrl: string): string {
  const quotes = evidence.map((entry) => `“${entry.quote}” — ${evidenceSource(entry)}`);
  const moment = evidence[0] ? `#${utteranceAnchor(evidence[0].utteranceIndex)}` : '';
  return [...quotes, `From the meeting in Forcefield: ${meetingUrl}${moment}`].join('\n');
}

/** Appends the quote block to the value the form sends, after a blank line when there is text. */
export function withQuote(value: string, block: string): string {
  return value.trim() === '' ? block : `${value.replace(/\s+$/, '')}\n\n${block}`;
}
