/**
 * Salesforce's wire formats: datetimes as `2026-01-31T09:15:00.000+0000` (always UTC here),
 * dates as `2026-01-31`. Stored values use the same strings, so they sort lexicographically.
 */

export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

const DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses an ISO-8601 datetime as Salesforce accepts it on input; undefined when malformed. */
export function parseDateTime(text: string): number | undefined {
  const match = DATETIME_PATTERN.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', millis = '0', zone = 'Z'] = match;
  let epoch = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, +millis.padEnd(3, '0'));
  if (Number.isNaN(epoch)) return undefined;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epoch -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4)) * 60_000;
  }
  const check = new Date(Date.UTC(+year, +month - 1, +day));
  if (check.getUTCMonth() !== +month - 1) return undefined;
  return epoch;
}

/** Parses `YYYY-MM-DD`; undefined when malformed or not a real calendar date. */
export function parseDate(text: string): number | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const epoch = Date.UTC(+match[1], +match[2] - 1, +match[3]);
  const check = new Date(epoch);
  if (check.getUTCMonth() !== +match[2] - 1 || check.getUTCDate() !== +match[3]) return undefined;
  return epoch;
}

/** HTTP-date for Last-Modified headers. */
export function formatHttpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}
