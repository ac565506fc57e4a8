// The dashboard's preset ranges as the browser computes them, for checking its figures against
// the API's answer for the same days.

/** Today in `tz` and `days` whole days back (inclusive), as YYYY-MM-DD. */
export function presetRange(days: number, tz: string): { from: string; to: string } {
  const to = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  return { from: new Date(Date.UTC(y, m - 1, d - (days - 1))).toISOString().slice(0, 10), to };
}
