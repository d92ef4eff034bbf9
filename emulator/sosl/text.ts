import type { SearchGroup } from '../schema/types.ts';

const WORD_PATTERN = /[\p{L}\p{N}]+/gu;
const EMAIL_PATTERN = /[^\s@<>()[\],;:"']+@[^\s@<>()[\],;:"']+/g;
/** Longest run of digit groups joined into one phone token ("415 555 1234" → "4155551234"). */
const MAX_PHONE_GROUPS = 6;

/** Lowercased words: runs of letters and digits. Everything else separates words. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD_PATTERN) ?? [];
}

/**
 * The index tokens of one field value: its words, plus, so that an address or number can be
 * searched the way people type it, every email address whole and as local part and domain, and
 * for phone fields the digit groups joined without punctuation ("(415) 555-1234" is found by
 * 4155551234 and 5551234 as well as by 415, 555 and 1234).
 */
export function tokensOf(value: string, group: SearchGroup): string[] {
  const tokens = wordsOf(value);
  if (value.includes('@')) {
    for (const match of value.toLowerCase().matchAll(EMAIL_PATTERN)) {
      const address = match[0].replace(/[.]+$/, '');
      const at = address.indexOf('@');
      tokens.push(address, address.slice(0, at), address.slice(at + 1));
    }
  }
  if (group === 'phone') {
    const digitGroups = value.match(/\d+/g) ?? [];
    for (let start = 0; start < digitGroups.length; start++) {
      let joined = digitGroups[start];
      for (let end = start + 1; end < digitGroups.length && end - start < MAX_PHONE_GROUPS; end++) {
        joined += digitGroups[end];
        tokens.push(joined);
      }
    }
  }
  return tokens;
}
