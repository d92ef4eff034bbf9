/** A text file as lines: BOM dropped, CRLF and lone CR treated as line ends. */
export function transcriptLines(content: string): string[] {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

/** `Name: text` at the start of a cue or a turn, when the prefix reads as a name. */
const SPEAKER_PREFIX = /^([\p{L}\p{M}][\p{L}\p{M}\p{N} .,'’()@_-]{0,79}?)\s*:\s+(\S.*)$/su;

/** Words of a name (it starts with a letter; spaces are its only white space), counted in place. */
function wordCount(name: string): number {
  let words = 1;
  for (let index = 1; index < name.length; index++) {
    if (name.charCodeAt(index) === 32 && name.charCodeAt(index - 1) !== 32) words++;
  }
  return words;
}

export function splitSpeakerPrefix(text: string): { speaker: string | null; text: string } {
  // No colon, no prefix: most continuation lines and cues without a speaker stop here.
  const match = text.includes(':') ? SPEAKER_PREFIX.exec(text) : null;
  // A URL or a time ("Note: 10:30") is not a speaker; names have at most six words.
  if (!match || /^(https?|note|nb|ps|re|fyi)$/i.test(match[1]) || wordCount(match[1]) > 6) {
    return { speaker: null, text };
  }
  return { speaker: match[1].trim(), text: match[2].trim() };
}
