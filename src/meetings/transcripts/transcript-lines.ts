/** A text file as lines: BOM dropped, CRLF and lone CR treated as line ends. */
export function transcriptLines(content: string): string[] {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  return text.split(/\r\n|\r|\n/);
}

/** `Name: text` at the start of a cue or a turn, when the prefix reads as a name. */
const SPEAKER_PREFIX = /^([\p{L}\p{M}][\p{L}\p{M}\p{N} .,'’()@_-]{0,79}?)\s*:\s+(\S.*)$/su;

export function splitSpeakerPrefix(text: string): { speaker: string | null; text: string } {
  const match = SPEAKER_PREFIX.exec(text);
  // A URL or a time ("Note: 10:30") is not a speaker; names have at most six words.
  if (!match || /^(https?|note|nb|ps|re|fyi)$/i.test(match[1]) || match[1].split(/\s+/).length > 6) {
    return { speaker: null, text };
  }
  return { speaker: match[1].trim(), text: match[2].trim() };
}
