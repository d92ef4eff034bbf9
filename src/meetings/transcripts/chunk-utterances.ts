import { transcriptLine } from './summary-prompt.ts';
import type { Utterance } from './utterance.ts';

/** About 6,000 tokens of transcript per model call: fits every supported model with room to answer. */
export const DEFAULT_CHUNK_CHARS = 24_000;
/** Lines repeated at the start of the next chunk, so an item said across a boundary is seen whole. */
const OVERLAP_UTTERANCES = 2;

/** Splits a transcript into chunks of at most `maxChars` of prompt lines (one line is never split). */
export function chunkUtterances(
  utterances: readonly Utterance[],
  maxChars = DEFAULT_CHUNK_CHARS,
): Utterance[][] {
  const chunks: Utterance[][] = [];
  let current: Utterance[] = [];
  let size = 0;
  for (const utterance of utterances) {
    const length = transcriptLine(utterance).length + 1;
    if (size + length > maxChars && current.length > OVERLAP_UTTERANCES) {
      chunks.push(current);
      current = current.slice(-OVERLAP_UTTERANCES);
      size = current.reduce((total, kept) => total + transcriptLine(kept).length + 1, 0);
    }
    current.push(utterance);
    size += length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
