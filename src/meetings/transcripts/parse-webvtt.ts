import { plainCueLine, plainCueText } from './cue-text.ts';
import { splitSpeakerPrefix } from './transcript-lines.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import { isStandardCueTiming, parseTimestamp, timestampAt } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

export { plainCueText } from './cue-text.ts';

const VOICE_SPAN = /<v(?:\.[^\s>]+)*\s+([^>]+)>([\s\S]*?)(?=<v[\s.]|$)/g;

/** One cue's payload as utterances: one per `<v Name>` span, else a `Name:` prefix, else no speaker. */
function cueUtterances(payload: string, start: number, end: number): Utterance[] {
  if (payload.includes('<v')) {
    const spans = [...payload.matchAll(VOICE_SPAN)];
    if (spans.length > 0) {
      return spans
        .map((span) => ({ speaker: span[1].trim(), start, end, text: plainCueText(span[2]) }))
        .filter((utterance) => utterance.text !== '');
    }
  }
  const text = plainCueText(payload);
  if (text === '') return [];
  const prefixed = splitSpeakerPrefix(text);
  return [{ speaker: prefixed.speaker, start, end, text: prefixed.text }];
}

const TIMING = /^(\S+)[ \t]+-->[ \t]+(\S+)/;

/** Blank without allocating (trim() on every line of a large file dominates the parse). */
function isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  return (first === 32 || first === 9) && line.trim() === '';
}

/** `NOTE`, `STYLE` or `REGION`, alone or followed by a space or tab. */
function isSkippedBlock(line: string): boolean {
  const first = line.charCodeAt(0);
  if (first !== 78 && first !== 83 && first !== 82) return false;
  const keyword = line.startsWith('NOTE')
    ? 4
    : line.startsWith('STYLE')
      ? 5
      : line.startsWith('REGION')
        ? 6
        : 0;
  if (keyword === 0) return false;
  const after = line.charCodeAt(keyword);
  return line.length === keyword || after === 32 || after === 9;
}

/**
 * `<v Name>text</v>` alone on a line with no other markup inside: the common Teams cue, read
 * without the voice-span regex (same result: the speaker up to the first `>`, the text decoded).
 */
function simpleVoiceCue(line: string, start: number, end: number, into: Utterance[]): boolean {
  if (!line.startsWith('<v ') || !line.endsWith('</v>')) return false;
  const close = line.indexOf('>');
  const inner = line.slice(close + 1, line.length - 4);
  if (inner.includes('<')) return false;
  // A `-->` in decoded or spaced-out text is read as a missing blank line (as it always was).
  if (inner.includes('-->') && (inner.includes('&') || inner.includes('  ') || inner.includes('\t'))) {
    return false;
  }
  const speaker = line.slice(3, close).trim();
  if (speaker === '') return false;
  const text = plainCueLine(inner);
  if (text !== '') into.push({ speaker, start, end, text });
  return true;
}

/** A cue's start and end in seconds, or an error naming the line. */
function cueTiming(line: string, lineNumber: number): [start: number, end: number] {
  const fast = isStandardCueTiming(line);
  let start = fast ? timestampAt(line, 0) : null;
  let end = fast ? timestampAt(line, 17) : null;
  if (start === null || end === null) {
    const match = TIMING.exec(line);
    start = match ? parseTimestamp(match[1]) : null;
    end = match ? parseTimestamp(match[2]) : null;
    if (start === null || end === null) {
      throw new TranscriptParseError(
        `malformed cue timing "${line.slice(0, 80)}" (expected 00:00:01.000 --> 00:00:04.000)`,
        { line: lineNumber },
      );
    }
  }
  if (end < start) throw new TranscriptParseError('the cue ends before it starts', { line: lineNumber });
  return [start, end];
}

/**
 * WebVTT (Zoom, Microsoft Teams, Google Meet recordings): cues with `<v Name>` voice spans or
 * `Name:` prefixes; NOTE, STYLE and REGION blocks skipped; overlapping cues kept (people talk over
 * each other). A block that is neither a cue nor one of those is an error naming its line.
 */
export function parseWebVtt(lines: readonly string[]): Utterance[] {
  if (!/^WEBVTT([ \t]|$)/.test(lines[0] ?? '')) {
    throw new TranscriptParseError('a WebVTT file starts with "WEBVTT"', { line: 1 });
  }
  const utterances: Utterance[] = [];
  const count = lines.length;
  let index = 1;
  // The header runs to the first blank line.
  while (index < count && !isBlank(lines[index])) index++;
  while (index < count) {
    while (index < count && isBlank(lines[index])) index++;
    if (index >= count) break;
    const first = lines[index];
    if (isSkippedBlock(first)) {
      while (index < count && !isBlank(lines[index])) index++;
      continue;
    }
    // An optional cue identifier precedes the timing line.
    if (!first.includes('-->')) index++;
    if (index >= count || !lines[index].includes('-->')) {
      throw new TranscriptParseError('expected a cue timing line (00:00:01.000 --> 00:00:04.000)', {
        line: Math.min(index, count - 1) + 1,
      });
    }
    const [start, end] = cueTiming(lines[index], index + 1);
    index++;
    // The common case first: one `<v Name>text</v>` line and a blank line after it.
    if (
      index < count &&
      (index + 1 >= count || isBlank(lines[index + 1])) &&
      simpleVoiceCue(lines[index], start, end, utterances)
    ) {
      index++;
      continue;
    }
    let payload = '';
    const payloadStart = index;
    while (index < count && !isBlank(lines[index])) {
      const line = lines[index];
      if (line.includes('-->')) {
        throw new TranscriptParseError('a cue timing line inside a cue: is a blank line missing?', {
          line: index + 1,
        });
      }
      payload = index === payloadStart ? line : `${payload}\n${line}`;
      index++;
    }
    for (const utterance of cueUtterances(payload, start, end)) utterances.push(utterance);
  }
  return utterances;
}
