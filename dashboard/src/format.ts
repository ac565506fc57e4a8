// Numbers, dates and names as people read them, in the browser's language.
const numbers = new Intl.NumberFormat(undefined);
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const regions = new Intl.DisplayNames(undefined, { type: 'region' });

export const formatNumber = (n: number) => numbers.format(n);
export const formatDecimal = (n: number) => oneDecimal.format(n);
/** 0.1234 → "12.3%". */
export const formatRatio = (n: number) => percent.format(n);

/** "+12.5%" / "−3%" / "±0%"; a real minus sign, so screen readers say "minus". */
export function formatSignedPercent(pct: number): string {
  const abs = oneDecimal.format(Math.abs(pct));
  return pct > 0 ? `+${abs}%` : pct < 0 ? `\u2212${abs}%` : `\u00b10%`;
}

export function formatSignedNumber(n: number): string {
  const abs = oneDecimal.format(Math.abs(n));
  return n > 0 ? `+${abs}` : n < 0 ? `\u2212${abs}` : '\u00b10';
}

/** "FR" → "France" (the code itself when the browser has no name for it). */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? dateTime.format(ms) : iso;
}

/** A `YYYY-MM-DD` day, read as that calendar day wherever the browser is. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return dateOnly.format(new Date(y, m - 1, d));
}
