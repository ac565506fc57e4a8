// Unique scanners from the sketches (src/scans/scanner-sketch.ts). A scanner hash changes every UTC
// day (src/scans/scanner-hash.ts), so a range's count is the sum of its UTC days' counts: a
// person who scans on three days counts three times, and twice the same day once. A UTC day
// counts when its midnight lies in the range, as the daily tier's days do. Small days are exact
// (fingerprints), large ones estimated (HyperLogLog): src/scans/scanner-sketch.ts.
import { EXACT_SCANNER_LIMIT, estimateDistinct } from '../scans/scanner-sketch';
import type { Filters } from './analytics-filters';

const DAY_MS = 86_400_000;
const GTIN_LENGTH = 14;

/** Which sketch answers a filter: one subject at a time (the sketches are not crossed). */
interface Subject {
  dim: 'all' | 'product' | 'lot' | 'country';
  /** SQL on the sketch's value column, and its parameter. */
  where?: [string, string];
}

function subjectOf(f: Filters): Subject | null {
  if (f.lot && f.country) return null;
  if (f.lot)
    return f.gtin
      ? { dim: 'lot', where: ['value = ?', `${f.gtin}${f.lot}`] }
      : { dim: 'lot', where: [`substr(value, ${GTIN_LENGTH + 1}) = ?`, f.lot] };
  if (f.gtin && f.country) return null;
  if (f.gtin) return { dim: 'product', where: ['value = ?', f.gtin] };
  if (f.country) return { dim: 'country', where: ['value = ?', f.country] };
  return { dim: 'all' };
}

const firstDay = (ms: number) => Math.ceil(ms / DAY_MS);

/**
 * Per group and UTC day: the exact count of the fingerprints while every set combined (bots and
 * humans, lots of one name) is under EXACT_SCANNER_LIMIT, else the estimate from the registers
 * merged over those sets, shards and keys.
 */
async function sketchDays(
  db: D1Database,
  f: Filters,
  subject: Subject,
  group = "''",
): Promise<{ g: string; day: number; n: number }[]> {
  const params: unknown[] = [f.orgId, subject.dim, firstDay(f.fromMs), firstDay(f.toMs)];
  let where = 'org_id = ? AND dim = ? AND day >= ? AND day < ?';
  if (f.bots !== 'include') where += ` AND is_bot = ${f.bots === 'only' ? 1 : 0}`;
  if (subject.where) {
    where += ` AND ${subject.where[0]}`;
    params.push(subject.where[1]);
  }
  const [sketches, exact] = await db.batch([
    db
      .prepare(
        `SELECT g, day, count(*) AS filled, sum(1.0 / (1 << rank)) AS harmonic FROM (
           SELECT ${group} AS g, day, register, max(rank) AS rank FROM scan_rollup_scanner_sketch
           WHERE ${where} GROUP BY g, day, register)
         GROUP BY g, day`,
      )
      .bind(...params),
    db
      .prepare(
        `SELECT g, day, count(DISTINCT fp) AS n, max(is_full) AS is_full FROM (
           SELECT ${group} AS g, day, fp,
             count(*) OVER (PARTITION BY value, is_bot, day) >= ${EXACT_SCANNER_LIMIT} AS is_full
           FROM scan_rollup_scanner_exact WHERE ${where})
         GROUP BY g, day`,
      )
      .bind(...params),
  ]);
  const counted = new Map(
    (exact!.results as { g: string; day: number; n: number; is_full: number }[])
      .filter((r) => !r.is_full)
      .map((r) => [`${r.g}|${r.day}`, r.n]),
  );
  return (sketches!.results as { g: string; day: number; filled: number; harmonic: number }[]).map((r) => ({
    g: r.g,
    day: r.day,
    n: counted.get(`${r.g}|${r.day}`) ?? Math.round(estimateDistinct(r)),
  }));
}

/** The range's unique scanners (summed over UTC days), or null when the filters cross sketches. */
export async function uniqueScanners(db: D1Database, f: Filters): Promise<number | null> {
  const subject = subjectOf(f);
  if (!subject) return null;
  return (await sketchDays(db, f, subject)).reduce((a, r) => a + r.n, 0);
}

/** Unique scanners per UTC day start (epoch ms); null when the filters cross sketches. */
export async function uniqueScannersPerDay(db: D1Database, f: Filters): Promise<Map<number, number> | null> {
  const subject = subjectOf(f);
  if (!subject) return null;
  return new Map((await sketchDays(db, f, subject)).map((r) => [r.day * DAY_MS, r.n]));
}

export const UNIQUE_BREAKDOWNS = ['product', 'lot', 'country'] as const;
export type UniqueBreakdown = (typeof UNIQUE_BREAKDOWNS)[number];

/**
 * Unique scanners per breakdown value (as `breakdown` names them). Only the organisation-wide
 * sketches are grouped, and a lot breakdown within one GTIN: other filters answer null.
 */
export async function uniqueScannersBy(
  db: D1Database,
  f: Filters,
  by: UniqueBreakdown,
): Promise<Map<string, number> | null> {
  const lotOfGtin = by === 'lot' && f.gtin && !f.lot && !f.country;
  if (!lotOfGtin && (f.gtin || f.lot || f.country)) return null;
  const subject: Subject = lotOfGtin
    ? { dim: 'lot', where: [`substr(value, 1, ${GTIN_LENGTH}) = ?`, f.gtin!] }
    : { dim: by };
  const group = by === 'lot' ? `substr(value, ${GTIN_LENGTH + 1})` : 'value';
  const sums = new Map<string, number>();
  for (const r of await sketchDays(db, f, subject, group)) sums.set(r.g, (sums.get(r.g) ?? 0) + r.n);
  return sums;
}
