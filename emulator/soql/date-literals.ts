/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER…) as half-open UTC ranges. The emulator
 * evaluates them in UTC with weeks starting on Sunday (the en_US locale) and a fiscal year equal to
 * the calendar year (Salesforce's default fiscal settings).
 */

/** [start, end) in epoch milliseconds, both at UTC midnight. */
export interface DateRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function monthStart(year: number, month: number): number {
  // Date.UTC normalises month overflow (month 12 → January of next year, -1 → December before).
  return Date.UTC(year, month, 1);
}

/**
 * The range a date literal denotes at `now`; undefined for an unknown literal. `n` is the
 * argument of the `_N_` literals (LAST_N_DAYS:n).
 */
export function dateLiteralRange(literal: string, n: number, now: number): DateRange | undefined {
  const today = Math.floor(now / DAY) * DAY;
  const date = new Date(today);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const weekStart = today - date.getUTCDay() * DAY;
  const quarterMonth = month - (month % 3);
  const days = (start: number, count: number): DateRange => ({ start, end: start + count * DAY });
  const months = (first: number, count: number): DateRange => ({
    start: monthStart(year, first),
    end: monthStart(year, first + count),
  });
  const years = (first: number, count: number): DateRange => ({
    start: Date.UTC(first, 0, 1),
    end: Date.UTC(first + count, 0, 1),
  });
  switch (literal.toUpperCase().replace('_FISCAL_', '_')) {
    case 'YESTERDAY':
      return days(today - DAY, 1);
    case 'TODAY':
      return days(today, 1);
    case 'TOMORROW':
      return days(today + DAY, 1);
    case 'LAST_WEEK':
      return days(weekStart - 7 * DAY, 7);
    case 'THIS_WEEK':
      return days(weekStart, 7);
    case 'NEXT_WEEK':
      return days(weekStart + 7 * DAY, 7);
    case 'LAST_MONTH':
      return months(month - 1, 1);
    case 'THIS_MONTH':
      return months(month, 1);
    case 'NEXT_MONTH':
      return months(month + 1, 1);
    // "Last n days" includes today: LAST_90_DAYS spans 91 days. "Next n days" starts tomorrow.
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return days(today + DAY, 90);
    case 'LAST_QUARTER':
      return months(quarterMonth - 3, 3);
    case 'THIS_QUARTER':
      return months(quarterMonth, 3);
    case 'NEXT_QUARTER':
      return months(quarterMonth + 3, 3);
    case 'LAST_YEAR':
      return years(year - 1, 1);
    case 'THIS_YEAR':
      return years(year, 1);
    case 'NEXT_YEAR':
      return years(year + 1, 1);
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return days(today + DAY, n);
    case 'N_DAYS_AGO':
      return days(today - n * DAY, 1);
    case 'LAST_N_WEEKS':
      return days(weekStart - 7 * n * DAY, 7 * n);
    case 'NEXT_N_WEEKS':
      return days(weekStart + 7 * DAY, 7 * n);
    case 'N_WEEKS_AGO':
      return days(weekStart - 7 * n * DAY, 7);
    case 'LAST_N_MONTHS':
      return months(month - n, n);
    case 'NEXT_N_MONTHS':
      return months(month + 1, n);
    case 'N_MONTHS_AGO':
      return months(month - n, 1);
    case 'LAST_N_QUARTERS':
      return months(quarterMonth - 3 * n, 3 * n);
    case 'NEXT_N_QUARTERS':
      return months(quarterMonth + 3, 3 * n);
    case 'N_QUARTERS_AGO':
      return months(quarterMonth - 3 * n, 3);
    case 'LAST_N_YEARS':
      return years(year - n, n);
    case 'NEXT_N_YEARS':
      return years(year + 1, n);
    case 'N_YEARS_AGO':
      return years(year - n, 1);
    default:
      return undefined;
  }
}
