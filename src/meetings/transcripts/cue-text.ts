/**
 * Cue text without markup, read character by character: the parse of every cue goes through here,
 * so the common text (no tags, no entities, single spaces) is returned as it is, and the rest is
 * rebuilt from slices. Same result as removing `<[^>]*>`, decoding the character references
 * WebVTT allows, collapsing `\s+` to one space and trimming.
 */

const ENTITIES: ReadonlyArray<readonly [string, string]> = [
  ['amp;', '&'],
  ['lt;', '<'],
  ['gt;', '>'],
  ['nbsp;', ' '],
  ['lrm;', ''],
  ['rlm;', ''],
  ['quot;', '"'],
  ['apos;', "'"],
];

/** The characters `\s` and `String.prototype.trim` treat as white space. */
export function isWhiteSpaceCode(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Tags (`<` up to the next `>`) removed; a `<` with no `>` after it stays. */
function stripTags(text: string): string {
  let open = text.indexOf('<');
  if (open === -1) return text;
  let result = '';
  let from = 0;
  while (open !== -1) {
    const close = text.indexOf('>', open + 1);
    if (close === -1) break;
    result += text.slice(from, open);
    from = close + 1;
    open = text.indexOf('<', from);
  }
  return from === 0 ? text : result + text.slice(from);
}

function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let result = '';
  let from = 0;
  while (amp !== -1) {
    let next = amp + 1;
    for (const [name, value] of ENTITIES) {
      if (text.startsWith(name, amp + 1)) {
        result += text.slice(from, amp) + value;
        from = amp + 1 + name.length;
        next = from;
        break;
      }
    }
    amp = text.indexOf('&', next);
  }
  return from === 0 ? text : result + text.slice(from);
}

/**
 * White space other than a single space, or two spaces in a row (the characters are `\s`'s, listed
 * so the engine scans one character class: several times faster than `/[^\S ]|  /`).
 */
const NEEDS_COLLAPSE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/;

/** White space runs as one space, none at the ends: untouched (no copy) when already so. */
export function collapseWhiteSpace(text: string): string {
  const length = text.length;
  if (length === 0) return text;
  if (
    isWhiteSpaceCode(text.charCodeAt(0)) ||
    isWhiteSpaceCode(text.charCodeAt(length - 1)) ||
    NEEDS_COLLAPSE.test(text)
  ) {
    return text.replace(/\s+/g, ' ').trim();
  }
  return text;
}

/**
 * Text whose markup or spacing needs more than the plain decoding of `&amp;`-like references: a tag,
 * white space other than single spaces, or a reference that decodes to white space or to nothing.
 */
const NEEDS_FULL_READ =
  /[<\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}|&(?:nbsp|lrm|rlm);/;

/**
 * `plainCueText` for one line of cue text: when it has no tags, spacing to fix or references
 * decoding to spaces, the only work left is decoding `&amp;`, `&lt;`… (which keeps the spacing).
 */
export function plainCueLine(text: string): string {
  const length = text.length;
  if (
    length === 0 ||
    isWhiteSpaceCode(text.charCodeAt(0)) ||
    isWhiteSpaceCode(text.charCodeAt(length - 1)) ||
    NEEDS_FULL_READ.test(text)
  ) {
    return plainCueText(text);
  }
  return decodeEntities(text);
}

/** Cue text without markup: tags dropped, the character references WebVTT allows decoded. */
export function plainCueText(text: string): string {
  return collapseWhiteSpace(decodeEntities(stripTags(text)));
}
