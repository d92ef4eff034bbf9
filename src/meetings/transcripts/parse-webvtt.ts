import { splitSpeakerPrefix } from './transcript-lines.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import { parseTimestamp } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: ' ',
  lrm: '',
  rlm: '',
  quot: '"',
  apos: "'",
};

/** Cue text without markup: tags dropped, the character references WebVTT allows decoded. */
export function plainCueText(text: string): string {
  const stripped = text.includes('<') ? text.replace(/<[^>]*>/g, '') : text;
  const decoded = stripped.includes('&')
    ? stripped.replace(/&(amp|lt|gt|nbsp|lrm|rlm|quot|apos);/g, (_, name: string) => ENTITIES[name])
    : stripped;
  return decoded.replace(/\s+/g, ' ').trim();
}

/** One cue's payload as utterances: one per `<v Name>` span, else a `Name:` prefix, else no speaker. */
function cueUtterances(payload: string, start: number, end: number): Utterance[] {
  if (payload.includes('<v')) {
    const spans = [...payload.matchAll(/<v(?:\.[^\s>]+)*\s+([^>]+)>([\s\S]*?)(?=<v[\s.]|$)/g)];
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

/** `<v Name>text</v>` on one line, plain text, single spaces: the common Teams cue, without regexes. */
function simpleVoiceCue(line: string, start: number, end: number): Utterance | null {
  if (!line.startsWith('<v ') || !line.endsWith('</v>')) return null;
  const close = line.indexOf('>');
  const text = line.slice(close + 1, line.length - 4);
  if (text.includes('<') || text.includes('&') || text.includes('  ') || text.includes('\t')) return null;
  const speaker = line.slice(3, close).trim();
  const trimmed = text.trim();
  return trimmed === '' || speaker === '' ? null : { speaker, start, end, text: trimmed };
}

function cueTiming(line: string, lineNumber: number): { start: number; end: number } {
  const match = TIMING.exec(line);
  const start = match ? parseTimestamp(match[1]) : null;
  const end = match ? parseTimestamp(match[2]) : null;
  if (start === null || end === null) {
    throw new TranscriptParseError(
      `malformed cue timing "${line.slice(0, 80)}" (expected 00:00:01.000 --> 00:00:04.000)`,
      {
        line: lineNumber,
      },
    );
  }
  if (end < start) throw new TranscriptParseError('the cue ends before it starts', { line: lineNumber });
  return { start, end };
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
  let index = 1;
  // The header runs to the first blank line.
  while (index < lines.length && !isBlank(lines[index])) index++;
  while (index < lines.length) {
    while (index < lines.length && isBlank(lines[index])) index++;
    if (index >= lines.length) break;
    const first = lines[index];
    if (/^[NSR]/.test(first) && /^(NOTE|STYLE|REGION)([ \t]|$)/.test(first)) {
      while (index < lines.length && !isBlank(lines[index])) index++;
      continue;
    }
    // An optional cue identifier precedes the timing line.
    if (!first.includes('-->')) index++;
    if (index >= lines.length || !lines[index].includes('-->')) {
      throw new TranscriptParseError('expected a cue timing line (00:00:01.000 --> 00:00:04.000)', {
        line: Math.min(index, lines.length - 1) + 1,
      });
    }
    const { start, end } = cueTiming(lines[index], index + 1);
    index++;
    // The common case first: one `<v Name>text</v>` line and a blank line after it.
    if (index < lines.length && (index + 1 >= lines.length || isBlank(lines[index + 1]))) {
      const simple = simpleVoiceCue(lines[index], start, end);
      if (simple) {
        utterances.push(simple);
        index++;
        continue;
      }
    }
    const payload: string[] = [];
    while (index < lines.length && !isBlank(lines[index])) {
      if (lines[index].includes('-->')) {
        throw new TranscriptParseError('a cue timing line inside a cue: is a blank line missing?', {
          line: index + 1,
        });
      }
      payload.push(lines[index]);
      index++;
    }
    utterances.push(...cueUtterances(payload.join('\n'), start, end));
  }
  return utterances;
}
