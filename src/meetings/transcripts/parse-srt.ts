import { plainCueText } from './parse-webvtt.ts';
import { splitSpeakerPrefix } from './transcript-lines.ts';
import { TranscriptParseError } from './transcript-parse-error.ts';
import { isStandardCueTiming, parseTimestamp, timestampAt } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

const TIMING = /^\s*(\S+)\s+-->\s+(\S+)/;

/**
 * SubRip (Otter, Descript, many recorders): numbered blocks of `00:00:01,000 --> 00:00:04,000`
 * and text; the speaker from a `Name:` prefix or a `[Name]` tag. The counter is optional (some
 * tools drop it), but a block without a timing line is an error naming its line.
 */
export function parseSrt(lines: readonly string[]): Utterance[] {
  const utterances: Utterance[] = [];
  let index = 0;
  while (index < lines.length) {
    while (index < lines.length && lines[index].trim() === '') index++;
    if (index >= lines.length) break;
    if (/^\d+$/.test(lines[index].trim())) index++;
    const line = index < lines.length ? lines[index] : '';
    // The layout every recorder writes is read in place; anything else through the regex.
    const standard = isStandardCueTiming(line);
    let start = standard ? timestampAt(line, 0) : null;
    let end = standard ? timestampAt(line, 17) : null;
    if (start === null || end === null) {
      const timing = TIMING.exec(line);
      if (!timing) {
        throw new TranscriptParseError('expected a subtitle timing line (00:00:01,000 --> 00:00:04,000)', {
          line: Math.min(index, lines.length - 1) + 1,
        });
      }
      start = parseTimestamp(timing[1]);
      end = parseTimestamp(timing[2]);
    }
    if (start === null || end === null) {
      throw new TranscriptParseError(`malformed timing "${lines[index].trim().slice(0, 80)}"`, {
        line: index + 1,
      });
    }
    if (end < start)
      throw new TranscriptParseError('the subtitle ends before it starts', { line: index + 1 });
    index++;
    const payload: string[] = [];
    while (index < lines.length && lines[index].trim() !== '') payload.push(lines[index++]);
    const text = plainCueText(payload.join('\n'));
    if (text === '') continue;
    const bracketed = text.charCodeAt(0) === 91 ? /^\[([^\]]{1,80})\]\s*(.+)$/s.exec(text) : null;
    const speaker = bracketed
      ? { speaker: bracketed[1].trim(), text: bracketed[2].trim() }
      : splitSpeakerPrefix(text);
    utterances.push({ speaker: speaker.speaker, start, end, text: speaker.text });
  }
  return utterances;
}
