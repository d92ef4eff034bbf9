import { TranscriptParseError } from './transcript-parse-error.ts';
import { parseTimestamp } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

/** Otter's turn header: the speaker, two or more spaces (or a tab), and `M:SS` or `H:MM:SS`. */
export const OTTER_HEADER = /^(\S.{0,199}?)(?: {2,}|\t+)(\d{1,2}(?::\d{2}){1,2})\s*$/;

/**
 * Otter.ai's text export: a `Speaker Name  0:05` header line, then the turn's paragraph, then a
 * blank line. A turn ends where the next one starts. Text before the first header is an error.
 */
export function parseOtterText(lines: readonly string[]): Utterance[] {
  const utterances: Utterance[] = [];
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const header = OTTER_HEADER.exec(line.trimEnd());
    const start = header ? parseTimestamp(header[2]) : null;
    if (header && start !== null) {
      utterances.push({ speaker: header[1].trim(), start, end: null, text: '' });
      return;
    }
    const current = utterances.at(-1);
    if (!current) {
      throw new TranscriptParseError('expected an Otter turn header such as "Dana Lee  0:05"', {
        line: index + 1,
      });
    }
    current.text = current.text === '' ? trimmed : `${current.text} ${trimmed}`;
  });
  utterances.forEach((utterance, index) => {
    utterance.end = utterances[index + 1]?.start ?? utterance.start;
  });
  return utterances.filter((utterance) => utterance.text !== '');
}
