// GS1 dates in a Digital Link's data attributes (pure): YYMMDD (AIs 15 best before, 16 sell by,
// 17 expiry; DD 00 means the month's last day) or YYMMDDhhmm (7003 expiry date and time). The
// century follows the GS1 General Specifications (7.12): a year 51 or more ahead of the reference
// instant's is last century's, 50 or more behind it next century's. A date ends at the end of its
// day, UTC (a scan's zone is unknown); 7003 at its minute. Read by the expired_product detector
// (src/alerts/detectors/) and the rules' `expired` condition (src/rules/).

const DAY_MS = 86_400_000;

/** The dated AIs, most telling first: the one reported when several are past. */
export const EXPIRY_AIS = [
  { ai: '7003', meaning: 'expiry date and time' },
  { ai: '17', meaning: 'expiry date' },
  { ai: '15', meaning: 'best before date' },
  { ai: '16', meaning: 'sell by date' },
] as const;

function fullYear(yy: number, scanYear: number): number {
  const century = scanYear - (scanYear % 100);
  const diff = yy - (scanYear % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** The instant a GS1 date (or 7003 date-time) stops being current; null when it is not one. */
export function gs1DateEnd(ai: string, value: string, scanAt: number): number | null {
  const digits = ai === '7003' ? 10 : 6;
  if (value.length !== digits || !/^\d+$/.test(value)) return null;
  const year = fullYear(Number(value.slice(0, 2)), new Date(scanAt).getUTCFullYear());
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (ai === '7003') {
    const hour = Number(value.slice(6, 8));
    const minute = Number(value.slice(8, 10));
    if (day < 1 || day > lastDay || hour > 23 || minute > 59) return null;
    return Date.UTC(year, month - 1, day, hour, minute) + 60_000;
  }
  if (day > lastDay) return null;
  return Date.UTC(year, month - 1, day === 0 ? lastDay : day) + DAY_MS;
}

export interface PastDate {
  ai: (typeof EXPIRY_AIS)[number]['ai'];
  meaning: string;
  /** The attribute's value as scanned. */
  value: string;
  /** When it ended (epoch ms). */
  endedAt: number;
}

/** The most telling dated attribute (7003, 17, 15, 16) that ended `graceMs` or more before `at`. */
export function firstPastDate(
  attributes: Readonly<Record<string, string>>,
  at: number,
  graceMs = 0,
): PastDate | null {
  for (const { ai, meaning } of EXPIRY_AIS) {
    const value = attributes[ai];
    if (value === undefined) continue;
    const endedAt = gs1DateEnd(ai, value, at);
    if (endedAt !== null && at >= endedAt + graceMs) return { ai, meaning, value, endedAt };
  }
  return null;
}

/** Whether any dated attribute has ended at `at`. */
export const pastItsDate = (attributes: Readonly<Record<string, string>>, at: number): boolean =>
  firstPastDate(attributes, at) !== null;
