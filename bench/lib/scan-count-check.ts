// Did every scan the load sent reach D1 exactly once? Reads the served Worker's D1 from Node
// (`mf.getD1Database`) and its ScanCounter objects through the live-totals route.
//
// Exact, not approximate: the benchmark knows every request it sent to the key (status checks,
// warm-ups and measured rounds alike, each one answered, or the load would have failed), and
// nothing else scans that key. So D1 must hold exactly that many events of the key, the roll-ups
// must sum to it, and each measured round — its own serial prefix — exactly its own count.
import type { Miniflare } from 'miniflare';

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>;

export interface CheckLine {
  what: string;
  expected: number;
  actual: number;
}

export const passed = (line: CheckLine) => line.actual === line.expected;

export function formatCheck(line: CheckLine): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return passed(line)
    ? `ok    ${line.what}: ${n(line.actual)}`
    : `FAIL  ${line.what}: ${n(line.actual)}, expected ${n(line.expected)}`;
}

async function count(d1: D1, sql: string, ...params: unknown[]): Promise<number> {
  const row = await d1
    .prepare(sql)
    .bind(...params)
    .first<{ n: number | null }>();
  return row?.n ?? 0;
}

const KEY = `key_ai = '01' AND key_value = ?1`;

/** What D1 holds of a key: raw events, and the sum of the hour × country × lot roll-up. */
export async function keyCounts(d1: D1, gtin: string): Promise<{ events: number; rollup: number }> {
  return {
    events: await count(d1, `SELECT count(*) AS n FROM scan_events WHERE ${KEY}`, gtin),
    rollup: await count(d1, `SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE ${KEY}`, gtin),
  };
}

export interface DrainResult {
  /** From the call until D1 held every scan (or until it gave up). */
  drainMs: number;
  events: number;
  rollup: number;
}

/**
 * Polls D1 until it holds `expected` events and roll-up scans of the key, then once more a few
 * flush delays later to see that nothing more arrives. Gives up when the counts stop growing for
 * `stallMs` (longer than the objects' retry back-off after a failed flush) or after `timeoutMs`;
 * the caller's checks then report the loss. Returns at once on a count above `expected`.
 */
export async function waitForFlush(
  d1: D1,
  gtin: string,
  expected: number,
  options: { flushDelayMs: number; stallMs?: number; timeoutMs?: number; pollMs?: number },
): Promise<DrainResult> {
  const { flushDelayMs, stallMs = 20_000, timeoutMs = 180_000, pollMs = 100 } = options;
  const started = performance.now();
  let last = { events: -1, rollup: -1 };
  let lastChange = started;
  for (;;) {
    const now = performance.now();
    const counts = await keyCounts(d1, gtin);
    const drainMs = performance.now() - started;
    if (counts.events > expected || counts.rollup > expected) return { drainMs, ...counts };
    if (counts.events === expected && counts.rollup === expected) {
      // Settled? A double count would show up as more, a few flushes later.
      await new Promise((resolve) => setTimeout(resolve, 3 * flushDelayMs + 200));
      return { drainMs, ...(await keyCounts(d1, gtin)) };
    }
    if (counts.events !== last.events || counts.rollup !== last.rollup) lastChange = now;
    if (now - lastChange > stallMs || now - started > timeoutMs) return { drainMs, ...counts };
    last = counts;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Every scan of the key so far: D1's events, its roll-ups, and the objects' own live totals. */
export async function checkKey(
  d1: D1,
  gtin: string,
  sent: number,
  live: { scans: number; pending_flush: number },
): Promise<CheckLine[]> {
  const q = (sql: string) => count(d1, sql, gtin);
  const bots = await q(`SELECT count(*) AS n FROM scan_events WHERE ${KEY} AND is_bot = 1`);
  return [
    {
      what: 'scan_events rows of the key (all sent: checks, warm-ups, rounds)',
      expected: sent,
      actual: await q(`SELECT count(*) AS n FROM scan_events WHERE ${KEY}`),
    },
    {
      what: 'sum(scans) over scan_rollup_hourly of the key',
      expected: sent,
      actual: await q(`SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE ${KEY}`),
    },
    {
      what: "sum(scans) over scan_rollup_dims, dim 'device'",
      expected: sent,
      actual: await q(`SELECT sum(scans) AS n FROM scan_rollup_dims WHERE ${KEY} AND dim = 'device'`),
    },
    {
      what: 'sum(scans) over scan_rollup_serials of the key',
      expected: sent,
      actual: await q(`SELECT sum(scans) AS n FROM scan_rollup_serials WHERE ${KEY}`),
    },
    {
      what: 'bot scans in scan_rollup_hourly = bot rows in scan_events',
      expected: bots,
      actual: await q(`SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE ${KEY} AND is_bot = 1`),
    },
    { what: 'live totals from the ScanCounter objects', expected: sent, actual: live.scans },
    { what: 'scans still pending flush in the objects', expected: 0, actual: live.pending_flush },
  ];
}

/** One measured round: its own scans, told apart by their serial prefix. */
export async function checkRound(
  d1: D1,
  gtin: string,
  round: { label: string; serialPrefix: string; sent: number; botsSent: number },
): Promise<CheckLine[]> {
  const { label, serialPrefix, sent } = round;
  const where = `${KEY} AND serial LIKE ?2 || '%'`;
  const q = (sql: string) => count(d1, sql, gtin, serialPrefix);
  return [
    {
      what: `${label}: scan_events rows (serial ${serialPrefix}*)`,
      expected: sent,
      actual: await q(`SELECT count(*) AS n FROM scan_events WHERE ${where}`),
    },
    {
      what: `${label}: distinct serials among them`,
      expected: sent,
      actual: await q(`SELECT count(DISTINCT serial) AS n FROM scan_events WHERE ${where}`),
    },
    {
      what: `${label}: sum(scans) over scan_rollup_serials`,
      expected: sent,
      actual: await q(`SELECT sum(scans) AS n FROM scan_rollup_serials WHERE ${where}`),
    },
    {
      what: `${label}: rows flagged as bots (sent with a bot's User-Agent)`,
      expected: round.botsSent,
      actual: await q(`SELECT count(*) AS n FROM scan_events WHERE ${where} AND is_bot = 1`),
    },
  ];
}
