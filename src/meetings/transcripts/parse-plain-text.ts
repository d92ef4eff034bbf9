import { splitSpeakerPrefix } from './transcript-lines.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import { parseTimestamp } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

/** An optional time before the name: `[00:01:02]`, `(1:02)` or `00:01:02`. */
const LEADING_TIME = /^[[(]?(\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)[\])]?\s+(.*)$/s;

/**
 * Plain text with `Name: text` turns (notes apps, chat exports, hand-written transcripts),
 * optionally timed. Lines without a prefix continue the turn above; text before the first turn is
 * an error naming its line. Untimed turns keep null times: nothing is invented.
 */
export function parsePlainText(lines: readonly string[]): Utterance[] {
  const utterances: Utterance[] = [];
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    // Only a line starting with `[`, `(` or a digit can start with a time.
    const first = trimmed.charCodeAt(0);
    const timed =
      first === 91 || first === 40 || (first >= 48 && first <= 57) ? LEADING_TIME.exec(trimmed) : null;
    const start = timed ? parseTimestamp(timed[1]) : null;
    const rest = timed && start !== null ? timed[2] : trimmed;
    const turn = splitSpeakerPrefix(rest);
    if (turn.speaker !== null) {
      utterances.push({ speaker: turn.speaker, start, end: null, text: turn.text });
      return;
    }
    const previous = utterances.at(-1);
    if (!previous) {
      throw new TranscriptParseError(
        'expected a turn starting with the speaker\'s name, e.g. "Dana Lee: Hello"',
        {
          line: index + 1,
        },
      );
    }
    previous.text = `${previous.text} ${trimmed}`;
  });
  // A timed turn ends where the next one starts.
  utterances.forEach((utterance, index) => {
    const next = utterances[index + 1];
    if (utterance.start !== null) utterance.end = next?.start ?? utterance.start;
  });
  return utterances;
}
