/**
 * Cue and turn timestamps: `HH:MM:SS.mmm` / `MM:SS.mmm` (WebVTT), `HH:MM:SS,mmm` (SRT) and the
 * `M:SS` / `H:MM:SS` of Otter exports, to seconds (millisecond precision). Null when not a time.
 */
const TIMESTAMP = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/;

/** Four character codes less 48, all digits. */
function digits(a: number, b: number, c: number, d: number): boolean {
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9 && d >= 0 && d <= 9;
}

/**
 * `HH:MM:SS.mmm` (or `,mmm`) at `offset` in `text`, read digit by digit without slicing: the parse
 * of every cue goes through here. Null when those 12 characters are not such a time.
 */
export function timestampAt(text: string, offset: number): number | null {
  if (text.length < offset + 12 || text.charCodeAt(offset + 2) !== 58 || text.charCodeAt(offset + 5) !== 58) {
    return null;
  }
  const separator = text.charCodeAt(offset + 8);
  if (separator !== 46 && separator !== 44) return null;
  const h1 = text.charCodeAt(offset) - 48;
  const h2 = text.charCodeAt(offset + 1) - 48;
  const m1 = text.charCodeAt(offset + 3) - 48;
  const m2 = text.charCodeAt(offset + 4) - 48;
  const s1 = text.charCodeAt(offset + 6) - 48;
  const s2 = text.charCodeAt(offset + 7) - 48;
  const f1 = text.charCodeAt(offset + 9) - 48;
  const f2 = text.charCodeAt(offset + 10) - 48;
  const f3 = text.charCodeAt(offset + 11) - 48;
  if (!(digits(h1, h2, m1, m2) && digits(s1, s2, f1, f2) && f3 >= 0 && f3 <= 9)) return null;
  const minutes = m1 * 10 + m2;
  const seconds = s1 * 10 + s2;
  if (minutes > 59 || seconds > 59) return null;
  return (h1 * 10 + h2) * 3600 + minutes * 60 + seconds + (f1 * 100 + f2 * 10 + f3) / 1000;
}

export function parseTimestamp(text: string): number | null {
  const fast = text.length === 12 ? timestampAt(text, 0) : null;
  if (fast !== null) return fast;
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, hours, minutes, seconds, fraction] = match;
  if (Number(seconds) > 59 || (hours !== undefined && Number(minutes) > 59)) return null;
  const milliseconds = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds) + milliseconds / 1000;
}

/** `1:02:03` or `2:03`, as people read times in a transcript. */
export function formatTimestamp(seconds: number): string {
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
