import type { Org } from '../org/org.ts';
import type { SObjectType } from '../schema/schema.ts';
import type { SearchGroup, StoredRecord } from '../schema/types.ts';
import type { RecordStore } from '../store/record-store.ts';
import {
  type SearchExpression,
  type SearchScope,
  type SearchTerm,
  WILDCARD_ANY,
  WILDCARD_ONE,
} from './parse.ts';
import { tokensOf, wordsOf } from './text.ts';

/** The read-only view both Set and Map offer: a posting map is returned as is, without copying. */
export interface IdSet {
  has(id: string): boolean;
  readonly size: number;
  keys(): Iterable<string>;
}

const GROUP_BITS: Record<SearchGroup, number> = { name: 1, email: 2, phone: 4, other: 8 };
const SCOPE_MASKS: Record<SearchScope, number> = { ALL: 15, NAME: 1, EMAIL: 2, PHONE: 4 };
const EMPTY: IdSet = new Set<string>();
const TERM_WORD_PATTERN = new RegExp(`[\\p{L}\\p{N}${WILDCARD_ANY}${WILDCARD_ONE}]+`, 'gu');

interface Lookup {
  mask: number;
  within: IdSet | undefined;
}

/** A token of one record only (most name and email tokens): held without a Map of its own. */
interface SinglePosting {
  readonly id: string;
  readonly mask: number;
}

/** The records a token occurs in, each with the bit mask of the search groups it occurs in. */
type Posting = Map<string, number> | SinglePosting;

interface SearchableField {
  name: string;
  bit: number;
  group: SearchGroup;
}

function hasWildcard(word: string): boolean {
  return word.includes(WILDCARD_ANY) || word.includes(WILDCARD_ONE);
}

function wildcardRegExp(word: string): RegExp {
  let source = '';
  for (const character of word) {
    if (character === WILDCARD_ANY) source += '.*';
    else if (character === WILDCARD_ONE) source += '.';
    else source += character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/** The first index whose entry is not less than the value (binary search). */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function intersect(first: IdSet, second: IdSet): IdSet {
  const [small, large] = first.size <= second.size ? [first, second] : [second, first];
  const result = new Set<string>();
  for (const id of small.keys()) if (large.has(id)) result.add(id);
  return result;
}

function union(first: IdSet, second: IdSet): IdSet {
  if (first.size === 0) return second;
  if (second.size === 0) return first;
  const result = new Set<string>(first.keys());
  for (const id of second.keys()) result.add(id);
  return result;
}

function difference(first: IdSet, second: IdSet): IdSet {
  if (second.size === 0) return first;
  const result = new Set<string>();
  for (const id of first.keys()) if (!second.has(id)) result.add(id);
  return result;
}

/**
 * One object's inverted index: token → (record id → bit mask of the search groups the token
 * occurs in). A single map serves every `IN … FIELDS` scope: ALL uses it directly, the narrower
 * scopes filter on the mask. Distinct tokens are also kept sorted for wildcard lookups by binary
 * search; the sorted list is rebuilt lazily, on the first wildcard query after new tokens arrive.
 */
export class ObjectSearchIndex {
  readonly object: SObjectType;
  readonly fields: SearchableField[];
  readonly #store: RecordStore;
  readonly #postings = new Map<string, Posting>();
  /** What each record contributed, so an update or removal can take exactly that back out. */
  readonly #recordTokens = new Map<string, Map<string, number>>();
  /** Every distinct token as of the last rebuild, sorted (may hold tokens since removed). */
  #sortedTokens: string[] = [];
  /** Tokens added since, also sorted: small, so inserting into it keeps writes cheap. */
  #newTokens: string[] = [];
  /** Too many new tokens (or none sorted yet): rebuild the sorted list on the next wildcard query. */
  #rebuildNeeded = true;

  constructor(object: SObjectType, store: RecordStore) {
    this.object = object;
    this.#store = store;
    this.fields = object.fields
      .filter((field) => field.searchGroup !== undefined)
      .map((field) => ({ name: field.name, group: field.searchGroup!, bit: GROUP_BITS[field.searchGroup!] }));
  }

  get recordCount(): number {
    return this.#recordTokens.size;
  }

  /** Indexes (or, for undefined and soft-deleted records, unindexes) one record. */
  put(id: string, record: StoredRecord | undefined): void {
    const next = record && record.IsDeleted !== true ? this.#tokenize(record) : undefined;
    const previous = this.#recordTokens.get(id);
    if (previous) {
      for (const [token, mask] of previous) {
        if (next?.get(token) === mask) continue;
        const posting = this.#postings.get(token);
        if (!posting) continue;
        // The sorted list keeps a stale token; lookups check the map, and the next rebuild drops it.
        if (!(posting instanceof Map)) {
          if (posting.id === id) this.#postings.delete(token);
          continue;
        }
        posting.delete(id);
        if (posting.size === 0) this.#postings.delete(token);
      }
    }
    if (next) {
      for (const [token, mask] of next) {
        if (previous?.get(token) === mask) continue;
        const posting = this.#postings.get(token);
        if (!posting) {
          this.#postings.set(token, { id, mask });
          this.#noteNewToken(token);
        } else if (posting instanceof Map) posting.set(id, mask);
        else if (posting.id === id) this.#postings.set(token, { id, mask });
        else {
          this.#postings.set(
            token,
            new Map([
              [posting.id, posting.mask],
              [id, mask],
            ]),
          );
        }
      }
      this.#recordTokens.set(id, next);
    } else {
      this.#recordTokens.delete(id);
    }
  }

  #tokenize(record: StoredRecord): Map<string, number> {
    const tokens = new Map<string, number>();
    for (const field of this.fields) {
      const value = record[field.name];
      if (typeof value !== 'string' || value === '') continue;
      for (const token of tokensOf(value, field.group))
        tokens.set(token, (tokens.get(token) ?? 0) | field.bit);
    }
    return tokens;
  }

  /**
   * Records containing exactly this token in a field of the scope. `within` is a hint, not a
   * filter: when it is smaller than the posting list only its ids are checked, otherwise the result
   * may hold ids outside it (every caller intersects or only asks `has` for ids inside it).
   */
  #exact(token: string, lookup: Lookup): IdSet {
    const ids = this.#postings.get(token);
    if (!ids) return EMPTY;
    const { mask, within } = lookup;
    if (!(ids instanceof Map)) {
      return ids.mask & mask && (!within || within.has(ids.id)) ? new Set([ids.id]) : EMPTY;
    }
    if (within && within.size < ids.size) {
      const result = new Set<string>();
      for (const id of within.keys()) if ((ids.get(id) ?? 0) & mask) result.add(id);
      return result;
    }
    if (mask === SCOPE_MASKS.ALL) return ids;
    const result = new Set<string>();
    for (const [id, groups] of ids) if (groups & mask) result.add(id);
    return result;
  }

  #noteNewToken(token: string): void {
    if (this.#rebuildNeeded) return;
    if (this.#newTokens.length >= Math.max(1024, this.#sortedTokens.length >> 3)) {
      this.#rebuildNeeded = true;
      this.#newTokens = [];
      return;
    }
    this.#newTokens.splice(lowerBound(this.#newTokens, token), 0, token);
  }

  /** Distinct indexed tokens matching a wildcard word, found from its literal prefix by binary search. */
  #tokensMatching(word: string): Iterable<string> {
    if (this.#rebuildNeeded) {
      this.#sortedTokens = [...this.#postings.keys()].sort();
      this.#newTokens = [];
      this.#rebuildNeeded = false;
    }
    const characters = [...word];
    const wildcardAt = characters.findIndex(
      (character) => character === WILDCARD_ANY || character === WILDCARD_ONE,
    );
    const prefix = characters.slice(0, wildcardAt).join('');
    const pattern = wildcardRegExp(word);
    // A set: a token removed and added again since the rebuild sits in both lists.
    const matches = new Set<string>();
    for (const sorted of [this.#sortedTokens, this.#newTokens]) {
      for (
        let index = lowerBound(sorted, prefix);
        index < sorted.length && sorted[index].startsWith(prefix);
        index++
      ) {
        const token = sorted[index];
        if (pattern.test(token) && this.#postings.has(token)) matches.add(token);
      }
    }
    return matches;
  }

  #word(word: string, lookup: Lookup): IdSet {
    if (!hasWildcard(word)) return this.#exact(word, lookup);
    let result: IdSet = EMPTY;
    for (const token of this.#tokensMatching(word)) result = union(result, this.#exact(token, lookup));
    return result;
  }

  /** Candidates from the index (records holding every word), then checked for adjacency in one field. */
  #phrase(words: string[], lookup: Lookup): IdSet {
    const mask = lookup.mask;
    let candidates: IdSet | undefined = lookup.within;
    for (const word of words) {
      const ids = this.#word(word, { mask, within: candidates });
      candidates = candidates ? intersect(candidates, ids) : ids;
      if (candidates.size === 0) return EMPTY;
    }
    const matchers = words.map((word) => {
      if (!hasWildcard(word)) return (candidate: string) => candidate === word;
      const pattern = wildcardRegExp(word);
      return (candidate: string) => pattern.test(candidate);
    });
    const result = new Set<string>();
    for (const id of candidates!.keys()) {
      const record = this.#store.get(this.object.name, id);
      if (!record) continue;
      const found = this.fields.some((field) => {
        const value = record[field.name];
        if (!(field.bit & mask) || typeof value !== 'string') return false;
        const fieldWords = wordsOf(value);
        for (let start = 0; start + matchers.length <= fieldWords.length; start++) {
          if (matchers.every((matches, offset) => matches(fieldWords[start + offset]))) return true;
        }
        return false;
      });
      if (found) result.add(id);
    }
    return result;
  }

  /** Undefined for a term with no letters or digits (`&`, `-`): it constrains nothing and is dropped. */
  #term(term: SearchTerm, lookup: Lookup): IdSet | undefined {
    const text = term.text.toLowerCase().trim();
    const words = text.match(TERM_WORD_PATTERN) ?? [];
    if (words.length === 0) return undefined;
    let result = words.length === 1 ? this.#word(words[0], lookup) : this.#phrase(words, lookup);
    if (!hasWildcard(text)) {
      // An email address or a formatted phone number typed whole: the index holds those as tokens.
      if (text.includes('@')) result = union(result, this.#exact(text, lookup));
      if (words.length > 1 && /^[\d\s().+-]+$/.test(text)) {
        result = union(result, this.#exact(text.replace(/\D/g, ''), lookup));
      }
    }
    return result;
  }

  /**
   * The ids of the live records matching the expression within the scope's fields. With `within`,
   * only those ids are of interest: the answer is exact for them, and may hold others.
   */
  evaluate(expression: SearchExpression, scope: SearchScope, within?: IdSet): IdSet {
    const mask = SCOPE_MASKS[scope];
    const evaluate = (node: SearchExpression, hint: IdSet | undefined): IdSet | undefined => {
      if (node.kind === 'term') return this.#term(node, { mask, within: hint });
      const left = evaluate(node.left, hint);
      if (left?.size === 0 && node.kind !== 'or') return EMPTY;
      // The right side of AND / AND NOT only matters for the ids the left side found.
      const right = evaluate(node.right, node.kind === 'or' ? hint : (left ?? hint));
      if (left === undefined) return node.kind === 'andNot' ? EMPTY : right;
      if (right === undefined) return left;
      if (node.kind === 'and') return intersect(left, right);
      if (node.kind === 'andNot') return difference(left, right);
      return union(left, right);
    };
    return evaluate(expression, within) ?? EMPTY;
  }
}

/** The org's search index: one ObjectSearchIndex per searchable object, kept current by the store. */
export class SearchIndex {
  readonly #objects = new Map<string, ObjectSearchIndex>();

  constructor(org: Org) {
    for (const object of org.schema.objects) {
      if (!object.searchable || !object.fields.some((field) => field.searchGroup !== undefined)) continue;
      const index = new ObjectSearchIndex(object, org.store);
      for (const [id, record] of org.store.table(object.name).records) index.put(id, record);
      this.#objects.set(object.name, index);
    }
    org.store.subscribe((change) => this.#objects.get(change.objectName)?.put(change.id, change.after));
  }

  /** The index of a searchable object (exact API name); undefined when it is not searchable. */
  object(objectName: string): ObjectSearchIndex | undefined {
    return this.#objects.get(objectName);
  }

  get objects(): ObjectSearchIndex[] {
    return [...this.#objects.values()];
  }
}

const indexes = new WeakMap<Org, SearchIndex>();

/** The org's search index, built from the store on first use and then updated on every change. */
export function searchIndexFor(org: Org): SearchIndex {
  let index = indexes.get(org);
  if (!index) {
    index = new SearchIndex(org);
    indexes.set(org, index);
  }
  return index;
}
