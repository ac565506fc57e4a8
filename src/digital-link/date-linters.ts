// Date and time checks of the syntax dictionary (linters yymmd0, yymmdd, yyyymmdd, hhmi, hh, mi,
// ss). A date must exist in the calendar, leap years included; "yymmd0" also allows day 00,
// meaning "no particular day of the month" (GS1 General Specifications 7.12).
import type { Lint } from './linters';

export type DateTimeFormat = 'YYMMDD' | 'YYMMD0' | 'YYYYMMDD' | 'HHMI' | 'HH' | 'MI' | 'SS';

// GS1 GenSpecs 7.12 resolves the century of YY within a window around the current year. Like the
// reference engine we fix that year (2021) so a value is judged the same on every day: 72-99 are
// 19YY, 00-71 are 20YY. Only February 29 depends on it, and 2000 is a leap year either way.
const REFERENCE_YEAR = 21;

function fullYear(yy: number): number {
  return yy - REFERENCE_YEAR >= 51 ? 1900 + yy : 2000 + yy;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Position of the first bad field in a date, or -1 when it is a real date. */
function badDateField(
  year: number,
  month: number,
  day: number,
  dayZeroAllowed: boolean,
  monthAt: number,
): number {
  if (month < 1 || month > 12) return monthAt;
  if (day === 0 ? !dayZeroAllowed : day > daysInMonth(year, month)) return monthAt + 2;
  return -1;
}

const TIME_LIMITS: Record<'HH' | 'MI' | 'SS', [number, string]> = {
  HH: [23, 'is not a valid hour (00-23)'],
  MI: [59, 'is not a valid minute (00-59)'],
  SS: [59, 'is not a valid second (00-59)'],
};

export function lintDateTime(format: DateTimeFormat, data: string): Lint | undefined {
  const n = (from: number, to: number) => Number(data.slice(from, to));
  if (!/^\d+$/.test(data)) return { code: 'invalid_value', position: 0, reason: 'must be numeric' };
  switch (format) {
    case 'YYMMDD':
    case 'YYMMD0': {
      const bad = badDateField(fullYear(n(0, 2)), n(2, 4), n(4, 6), format === 'YYMMD0', 2);
      return bad < 0
        ? undefined
        : { code: 'invalid_date', position: bad, reason: 'is not a real date (YYMMDD)' };
    }
    case 'YYYYMMDD': {
      const bad = badDateField(n(0, 4), n(4, 6), n(6, 8), false, 4);
      return bad < 0
        ? undefined
        : { code: 'invalid_date', position: bad, reason: 'is not a real date (YYYYMMDD)' };
    }
    case 'HHMI': {
      const bad = n(0, 2) > 23 ? 0 : n(2, 4) > 59 ? 2 : -1;
      return bad < 0
        ? undefined
        : { code: 'invalid_time', position: bad, reason: 'is not a valid time (HHMM)' };
    }
    default: {
      const [max, reason] = TIME_LIMITS[format];
      return n(0, 2) > max ? { code: 'invalid_time', position: 0, reason } : undefined;
    }
  }
}
