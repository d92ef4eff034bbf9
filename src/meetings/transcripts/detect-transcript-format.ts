import { OTTER_HEADER } from './parse-otter-text.ts';
import type { TranscriptFormat } from './utterance.ts';

/**
 * Which format a transcript file is in, from its content (file names lie: Otter's `.txt` and a
 * hand-written `.txt` differ). JSON is told apart by its keys; SRT by a counter and a timing line;
 * Otter by its `Name  0:05` headers; anything else is read as plain `Name: text` turns.
 */
export function detectTranscriptFormat(lines: readonly string[], json: unknown): TranscriptFormat {
  if (json !== undefined) return isGoogleMeet(json) ? 'google_meet_json' : 'fireflies_json';
  if (/^WEBVTT([ \t]|$)/.test(lines[0] ?? '')) return 'webvtt';
  // The first six lines with something on them (not a trim of every line of a large file).
  const content: string[] = [];
  for (let index = 0; index < lines.length && content.length < 6; index++) {
    if (lines[index].trim() !== '') content.push(lines[index]);
  }
  if (content.length === 0) return 'plain_text';
  if (content[0].includes('-->') || (/^\d+$/.test(content[0].trim()) && content[1]?.includes('-->'))) {
    return 'srt';
  }
  if (OTTER_HEADER.test(content[0].trimEnd())) return 'otter_text';
  return 'plain_text';
}

function isGoogleMeet(json: unknown): boolean {
  const entries = Array.isArray(json) ? json : (json as { transcriptEntries?: unknown })?.transcriptEntries;
  if (!Array.isArray(entries)) return false;
  const first = entries[0] as Record<string, unknown> | undefined;
  return first === undefined || ('participant' in first && 'startTime' in first);
}
