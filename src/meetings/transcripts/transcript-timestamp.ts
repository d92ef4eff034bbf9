/**
 * Cue and turn timestamps: `HH:MM:SS.mmm` / `MM:SS.mmm` (WebVTT), `HH:MM:SS,mmm` (SRT) and the
 * `M:SS` / `H:MM:SS` of Otter exports, to seconds (millisecond precision). Null when not a time.
 */
const TIMESTAMP = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/;

/** `HH:MM:SS.mmm` read digit by digit: the parse of every cue goes through here. */
function fastTimestamp(text: string): number | null {
  if (text.length !== 12 || text.charCodeAt(2) !== 58 || text.charCodeAt(5) !== 58) return null;
  const separator = text.charCodeAt(8);
  if (separator !== 46 && separator !== 44) return null;
  let total = 0;
  const digit = (position: number) => {
    const code = text.charCodeAt(position) - 48;
    if (code < 0 || code > 9) total = Number.NaN;
    return code;
  };
  const hours = digit(0) * 10 + digit(1);
  const minutes = digit(3) * 10 + digit(4);
  const seconds = digit(6) * 10 + digit(7);
  const milliseconds = digit(9) * 100 + digit(10) * 10 + digit(11);
  if (Number.isNaN(total) || minutes > 59 || seconds > 59) return null;
  total = hours * 3600 + minutes * 60 + seconds + milliseconds / 1000;
  return total;
}

export function parseTimestamp(text: string): number | null {
  const fast = fastTimestamp(text);
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
