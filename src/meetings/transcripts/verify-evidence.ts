import type { MeetingItemKind } from '../meeting-format.ts';
import { normaliseName } from './match-speakers.ts';
import type { ModelSummaryItem } from './summary-schema.ts';
import { parseTimestamp } from './transcript-timestamp.ts';
import type { Utterance } from './utterance.ts';

/** How far a quote's stated time may be from its line's start or end: models round and drift. */
export const EVIDENCE_TOLERANCE_SECONDS = 15;
/** Shorter quotes ("yes", "sounds good") occur anywhere and prove nothing. */
const MIN_QUOTE_CHARS = 12;

export interface VerifiedEvidence {
  quote: string;
  /** The transcript's own time and speaker for the line, not the model's. */
  start: number | null;
  end: number | null;
  speaker: string | null;
  utteranceIndex: number;
}

export interface VerifiedItem {
  kind: MeetingItemKind;
  text: string;
  owner: string | null;
  dueDate: string | null;
  evidence: VerifiedEvidence[];
  /** Why a person should look closer (some quotes did not verify); null when all did. */
  flag: string | null;
}

export interface DroppedItem {
  kind: MeetingItemKind;
  text: string;
  reasons: string[];
}

/** Case, whitespace and typographic quotes and dashes do not matter when matching a quote. */
export function normaliseQuoteText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‘’ʼ`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'\s]+|["'\s.,!?;:]+$/g, '');
}

// Each chunk's answer is verified against the whole transcript: normalise its lines once, and index
// their words once, so a quote is looked for only in the lines that have its words.
interface SearchableTranscript {
  texts: string[];
  /** Each word (a line's texts split on its single spaces) → the lines it is in, ascending. */
  lines: Map<string, number[]>;
}
const normalisedCache = new WeakMap<readonly Utterance[], SearchableTranscript>();

function normalisedTexts(utterances: readonly Utterance[]): SearchableTranscript {
  let searchable = normalisedCache.get(utterances);
  if (!searchable) {
    const texts = utterances.map((utterance) => normaliseQuoteText(utterance.text));
    const lines = new Map<string, number[]>();
    texts.forEach((text, index) => {
      for (const word of text.split(' ')) {
        const postings = lines.get(word);
        if (!postings) lines.set(word, [index]);
        else if (postings[postings.length - 1] !== index) postings.push(index);
      }
    });
    searchable = { texts, lines };
    normalisedCache.set(utterances, searchable);
  }
  return searchable;
}

/**
 * The lines containing `quote`. A word inside the quote (not its first or last, which may be part
 * of a word) has spaces on both sides, so it is a whole word of every line that contains the quote:
 * only the lines of the quote's rarest such word are searched.
 */
function linesContaining(searchable: SearchableTranscript, quote: string): number[] {
  const words = quote.split(' ');
  let candidates: number[] | undefined;
  for (let index = 1; index < words.length - 1; index++) {
    const postings = searchable.lines.get(words[index]) ?? [];
    if (!candidates || postings.length < candidates.length) candidates = postings;
  }
  if (!candidates) {
    return searchable.texts.flatMap((text, index) => (text.includes(quote) ? [index] : []));
  }
  return candidates.filter((index) => searchable.texts[index].includes(quote));
}

type QuoteCheck = { ok: true; evidence: VerifiedEvidence } | { ok: false; reason: string };

function withinTolerance(stated: number | null, utterance: Utterance): boolean {
  // An untimed transcript cannot be checked for time; the quote itself must still be there.
  if (utterance.start === null) return true;
  if (stated === null) return false;
  const end = utterance.end ?? utterance.start;
  return stated >= utterance.start - EVIDENCE_TOLERANCE_SECONDS && stated <= end + EVIDENCE_TOLERANCE_SECONDS;
}

function checkQuote(
  evidence: ModelSummaryItem['evidence'][number],
  utterances: readonly Utterance[],
  searchable: SearchableTranscript,
): QuoteCheck {
  const quote = normaliseQuoteText(evidence.quote);
  if (quote.length < MIN_QUOTE_CHARS)
    return { ok: false, reason: `quote too short to prove anything: "${evidence.quote}"` };
  const stated =
    parseTimestamp(evidence.timestamp) ??
    (/^\d+(\.\d+)?$/.test(evidence.timestamp.trim()) ? Number(evidence.timestamp) : null);
  const found = linesContaining(searchable, quote);
  if (found.length === 0) return { ok: false, reason: `quote not in the transcript: "${evidence.quote}"` };
  const timed = found.filter((index) => withinTolerance(stated, utterances[index]));
  if (timed.length === 0)
    return { ok: false, reason: `quote not at ${evidence.timestamp}: "${evidence.quote}"` };
  const speaker = normaliseName(evidence.speaker);
  const index =
    timed.find((candidate) => normaliseName(utterances[candidate].speaker ?? '') === speaker) ?? timed[0];
  const utterance = utterances[index];
  if (utterance.speaker !== null && speaker !== '' && normaliseName(utterance.speaker) !== speaker) {
    return {
      ok: false,
      reason: `quote said by ${utterance.speaker}, not ${evidence.speaker}: "${evidence.quote}"`,
    };
  }
  return {
    ok: true,
    evidence: {
      quote: evidence.quote.trim(),
      start: utterance.start,
      end: utterance.end,
      speaker: utterance.speaker,
      utteranceIndex: index,
    },
  };
}

const COMMITMENT =
  /\b(i'll|i will|i can|i'm going to|i am going to|let me|i'll take|i'm on it|i'll handle)\b/;

/**
 * Owners are kept only when stated: named in a quoted line, or the speaker of a quoted line that
 * commits ("I'll send it"). Anything else is a guess and is removed.
 */
function statedOwner(
  owner: string | null,
  evidence: readonly VerifiedEvidence[],
  utterances: readonly Utterance[],
): string | null {
  const name = owner ? normaliseName(owner) : '';
  if (name === '') return null;
  const first = name.split(' ')[0];
  for (const entry of evidence) {
    const line = utterances[entry.utteranceIndex];
    const text = normaliseQuoteText(line.text);
    if (new RegExp(`\\b${first.replace(/[^\p{L}\p{N}]/gu, '')}\\b`, 'u').test(text) && first.length > 1)
      return owner;
    const speaker = normaliseName(line.speaker ?? '');
    if (speaker !== '' && (speaker === name || speaker.split(' ')[0] === first) && COMMITMENT.test(text))
      return owner;
  }
  return null;
}

/** Due dates only when the stated words are in a quoted line and the date is a real date. */
function statedDueDate(
  item: ModelSummaryItem,
  evidence: readonly VerifiedEvidence[],
  utterances: readonly Utterance[],
): string | null {
  if (!item.dueDate || !item.dueDateStatedAs || !/^\d{4}-\d{2}-\d{2}$/.test(item.dueDate)) return null;
  if (Number.isNaN(Date.parse(`${item.dueDate}T00:00:00Z`))) return null;
  const words = normaliseQuoteText(item.dueDateStatedAs);
  if (words.length < 3) return null;
  return evidence.some((entry) => normaliseQuoteText(utterances[entry.utteranceIndex].text).includes(words))
    ? item.dueDate
    : null;
}

/**
 * Checks a model's items against the transcript: each quote must occur (normalised) in a line at
 * the stated time ± EVIDENCE_TOLERANCE_SECONDS, said by the stated speaker. Items with no verified
 * quote are dropped (with why); items with some are kept and flagged. Guessed owners and dates
 * are removed.
 */
export function verifyEvidence(
  items: readonly ModelSummaryItem[],
  utterances: readonly Utterance[],
): { kept: VerifiedItem[]; dropped: DroppedItem[] } {
  const normalised = normalisedTexts(utterances);
  const kept: VerifiedItem[] = [];
  const dropped: DroppedItem[] = [];
  for (const item of items) {
    const text = item.text.trim();
    if (text === '') continue;
    const checks = item.evidence.map((evidence) => checkQuote(evidence, utterances, normalised));
    const verified = checks.flatMap((check) => (check.ok ? [check.evidence] : []));
    const reasons = checks.flatMap((check) => (check.ok ? [] : [check.reason]));
    if (verified.length === 0) {
      dropped.push({ kind: item.kind, text, reasons: reasons.length > 0 ? reasons : ['no evidence given'] });
      continue;
    }
    kept.push({
      kind: item.kind,
      text,
      owner: statedOwner(item.owner, verified, utterances),
      dueDate: statedDueDate(item, verified, utterances),
      evidence: verified,
      flag:
        reasons.length > 0
          ? `${reasons.length} of ${checks.length} quotes did not verify: ${reasons.join('; ')}`
          : null,
    });
  }
  return { kept, dropped };
}
