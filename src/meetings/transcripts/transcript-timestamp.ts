/**
 * Cue and turn timestamps: `HH:MM:SS.mmm` / `MM:SS.mmm` (WebVTT), `HH:MM:SS,mmm` (SRT) and the
 * `M:SS` / `H:MM:SS` of Otter exports, to seconds (millisecond precision). Null when not a time:
 * the shape `^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$`, read by hand below.
 */

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

/**
 * `00:00:01.000 --> 00:00:04.000` (or with commas), then nothing or settings after a space or tab:
 * the layout every cue of a tool's export has, whose times `timestampAt(line, 0)` and
 * `timestampAt(line, 17)` read in place.
 */
export function isStandardCueTiming(line: string): boolean {
  if (line.length < 29 || line.charCodeAt(12) !== 32 || line.charCodeAt(16) !== 32) return false;
  if (!line.startsWith('-->', 13)) return false;
  const after = line.length > 29 ? line.charCodeAt(29) : 32;
  return after === 32 || after === 9;
}

/** The digits from `from` up to `to` as a number, or -1 when there are none or a non-digit. */
function digitsBetween(text: string, from: number, to: number): number {
  if (to <= from) return -1;
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `[H:]M:SS[.mmm]` read without a regex (the same as TIMESTAMP): hours 1-3 digits, minutes 1-2,
 * seconds 2, a fraction of 1-3 digits after `.` or `,`.
 */
function clockTimestamp(text: string): number | null {
  const first = text.indexOf(':');
  if (first === -1) return null;
  const second = text.indexOf(':', first + 1);
  const hasHours = second !== -1;
  const minutesFrom = hasHours ? first + 1 : 0;
  const secondsFrom = hasHours ? second + 1 : first + 1;
  let fractionAt = secondsFrom + 2;
  if (fractionAt > text.length) return null;
  const hours = hasHours ? digitsBetween(text, 0, first) : 0;
  const minutes = digitsBetween(text, minutesFrom, secondsFrom - 1);
  const seconds = digitsBetween(text, secondsFrom, fractionAt);
  if (
    hours < 0 ||
    (hasHours && first > 3) ||
    minutes < 0 ||
    secondsFrom - 1 - minutesFrom > 2 ||
    seconds < 0
  ) {
    return null;
  }
  let milliseconds = 0;
  if (fractionAt < text.length) {
    const separator = text.charCodeAt(fractionAt);
    const digits = text.length - fractionAt - 1;
    if ((separator !== 46 && separator !== 44) || digits < 1 || digits > 3) return null;
    fractionAt++;
    milliseconds = digitsBetween(text, fractionAt, text.length);
    if (milliseconds < 0) return null;
    milliseconds *= digits === 1 ? 100 : digits === 2 ? 10 : 1;
  }
  if (seconds > 59 || (hasHours && minutes > 59)) return null;
  return hours * 3600 + minutes * 60 + seconds + milliseconds / 1000;
}

export function parseTimestamp(text: string): number | null {
  const fast = text.length === 12 ? timestampAt(text, 0) : null;
  if (fast !== null) return fast;
  return clockTimestamp(text.trim());
}

/** `1:02:03` or `2:03`, as people read times in a transcript. */
export function formatTimestamp(seconds: number): string {
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
