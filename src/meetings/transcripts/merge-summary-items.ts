import type { VerifiedItem } from './verify-evidence.ts';
import { normaliseQuoteText } from './verify-evidence.ts';

function words(text: string): Set<string> {
  return new Set(
    normaliseQuoteText(text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2),
  );
}

/** Word overlap (Jaccard) of two item texts. */
function similarity(left: string, right: string): number {
  const a = words(left);
  const b = words(right);
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The same item said twice: same kind, and nearly the same words or the same quoted line. */
function isSameItem(left: VerifiedItem, right: VerifiedItem): boolean {
  if (left.kind !== right.kind) return false;
  if (similarity(left.text, right.text) >= 0.6) return true;
  const lines = new Set(left.evidence.map((entry) => entry.utteranceIndex));
  return (
    right.evidence.some((entry) => lines.has(entry.utteranceIndex)) &&
    similarity(left.text, right.text) >= 0.3
  );
}

/**
 * Merges the items of every chunk (chunks overlap, so an item can come twice): duplicates become
 * one item with the evidence of both, the first wording, and an owner or date if either stated it.
 */
export function mergeSummaryItems(chunks: readonly VerifiedItem[][]): VerifiedItem[] {
  const merged: VerifiedItem[] = [];
  for (const item of chunks.flat()) {
    const existing = merged.find((candidate) => isSameItem(candidate, item));
    if (!existing) {
      merged.push({ ...item, evidence: [...item.evidence] });
      continue;
    }
    for (const entry of item.evidence) {
      const duplicate = existing.evidence.some(
        (kept) =>
          kept.utteranceIndex === entry.utteranceIndex &&
          normaliseQuoteText(kept.quote) === normaliseQuoteText(entry.quote),
      );
      if (!duplicate) existing.evidence.push(entry);
    }
    existing.owner ??= item.owner;
    existing.dueDate ??= item.dueDate;
    existing.flag = existing.flag ?? item.flag;
  }
  return merged;
}
