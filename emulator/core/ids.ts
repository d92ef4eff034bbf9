/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix + 12), and the
 * 18-character case-insensitive form whose 3-character suffix encodes which of the first 15
 * characters are upper case.
 */

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** Appends the case-checksum suffix to a 15-character id. */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let position = 0; position < 5; position++) {
      const character = id15.charCodeAt(chunk * 5 + position);
      if (character >= 65 && character <= 90) bits |= 1 << position;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return id15 + suffix;
}

/**
 * Returns the canonical 18-character id for a 15- or 18-character input, or undefined when the
 * input is not a well-formed id (wrong length, wrong characters, or an 18-character id whose
 * suffix does not match — Salesforce repairs the case of an 18-character id from its suffix).
 */
export function normalizeId(value: string): string | undefined {
  if (!ID_PATTERN.test(value)) return undefined;
  if (value.length === 15) return toId18(value);
  const suffix = value.slice(15).toUpperCase();
  // An 18-character id is case-insensitive: rebuild the case of the first 15 from the suffix.
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk]);
    if (bits < 0) return undefined;
    for (let position = 0; position < 5; position++) {
      const character = value[chunk * 5 + position];
      id15 += bits & (1 << position) ? character.toUpperCase() : character.toLowerCase();
    }
  }
  const canonical = toId18(id15);
  return canonical.slice(15) === suffix ? canonical : undefined;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

function base62(value: number, width: number): string {
  let text = '';
  let remaining = value;
  while (remaining > 0) {
    text = BASE62[remaining % 62] + text;
    remaining = Math.floor(remaining / 62);
  }
  return text.padStart(width, '0');
}

/** Hands out ids per key prefix, in order, so a seeded org is deterministic. */
export class IdGenerator {
  #counters = new Map<string, number>();
  readonly #instanceCode: string;

  constructor(instanceCode = '8d') {
    this.#instanceCode = instanceCode;
  }

  /** The id next(keyPrefix) will return, without taking it. */
  peek(keyPrefix: string): string {
    return this.#format(keyPrefix, (this.#counters.get(keyPrefix) ?? 0) + 1);
  }

  next(keyPrefix: string): string {
    const counter = (this.#counters.get(keyPrefix) ?? 0) + 1;
    this.#counters.set(keyPrefix, counter);
    return this.#format(keyPrefix, counter);
  }

  /**
   * Advances the counter of an id's key prefix past that id, when the id has this generator's
   * shape: records loaded with their ids (a data file) must never be handed out again by next().
   * Ids of another shape (from a real org, another instance code) can't collide and are ignored.
   */
  observe(id: string): void {
    const id15 = normalizeId(id)?.slice(0, 15);
    if (!id15 || id15.slice(3, 6) !== `${this.#instanceCode}0`) return;
    let counter = 0;
    for (const character of id15.slice(6)) counter = counter * 62 + BASE62.indexOf(character);
    const keyPrefix = id15.slice(0, 3);
    if (counter > (this.#counters.get(keyPrefix) ?? 0)) this.#counters.set(keyPrefix, counter);
  }

  /** Advances every counter to at least another generator's: ids it handed out are never handed out here. */
  advancePast(other: IdGenerator): void {
    for (const [keyPrefix, counter] of other.#counters) {
      if (counter > (this.#counters.get(keyPrefix) ?? 0)) this.#counters.set(keyPrefix, counter);
    }
  }

  #format(keyPrefix: string, counter: number): string {
    // prefix(3) + instance(2) + reserved(1) + 9 characters of sequence, like real ids.
    return toId18(`${keyPrefix}${this.#instanceCode}0${base62(counter, 9)}`);
  }
}
