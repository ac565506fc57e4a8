// ScanCounters created before batches carried their counts kept roll-up rows of their own
// (rollup_hourly, rollup_dims, rollup_serials, rollup_scanners, each row with the revision it last
// changed at) and flushed changed rows to D1 as absolute values. On its first start with this
// code such an object keeps those tables until one last absolute flush has sent what changed since
// its last one, then drops them; its live totals are rebuilt from them first, and its pending
// batches (counted there already) send D1 their events but not their counts again.
import { ROLLUP_TABLES, rollupStatements, type ShardIdentity } from './flush-statements';

const LEGACY_TABLES = ['rollup_hourly', 'rollup_dims', 'rollup_serials', 'rollup_scanners'] as const;

type Meta = (key: string) => string | undefined;
type SetMeta = (key: string, value: string | number) => void;

const exists = (sql: SqlStorage, table: string) =>
  sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, table).toArray().length > 0;

/** Marks an object with legacy roll-ups for its last absolute flush (once; then a no-op). */
export function upgradeLegacyRollups(sql: SqlStorage, setMeta: SetMeta): void {
  if (exists(sql, 'seen')) sql.exec('DROP TABLE seen'); // event ids: batches are remembered now
  if (!exists(sql, 'rollup_hourly')) return;
  const marked = sql.exec(`SELECT value FROM meta WHERE key = 'legacy_rollups'`).toArray().length > 0;
  if (marked) return;
  sql.exec(
    `INSERT INTO live_totals (country, is_bot, scans, last_at)
     SELECT country, is_bot, sum(scans), max(bucket) FROM rollup_hourly GROUP BY country, is_bot
     ON CONFLICT DO UPDATE SET scans = excluded.scans, last_at = excluded.last_at`,
  );
  const next = sql.exec<{ n: number }>('SELECT coalesce(max(seq), 0) + 1 AS n FROM pending').one().n;
  setMeta('counts_from_seq', next);
  setMeta('legacy_rollups', 'pending');
}

/** The legacy tables' last flush (absolute values, as they always were), then their removal. */
export async function flushLegacyRollups(
  sql: SqlStorage,
  db: D1Database,
  meta: Meta,
  setMeta: SetMeta,
): Promise<void> {
  if (meta('legacy_rollups') !== 'pending') return;
  const identityJson = meta('identity');
  if (identityJson) {
    const identity = JSON.parse(identityJson) as ShardIdentity;
    const flushedRev = Number(meta('flushed_rev') ?? 0);
    const changed = (select: string) =>
      !exists(sql, /FROM (\w+)/.exec(select)![1]!)
        ? []
        : sql
            .exec(select, flushedRev)
            .toArray()
            .map((row) => Object.values(row));
    const statements = [
      ...rollupStatements(
        db,
        identity,
        ROLLUP_TABLES.hourly,
        changed('SELECT bucket, country, lot, is_bot, scans FROM rollup_hourly WHERE rev > ?'),
      ),
      ...rollupStatements(
        db,
        identity,
        ROLLUP_TABLES.dims,
        changed('SELECT bucket, dim, value, country, is_bot, scans FROM rollup_dims WHERE rev > ?'),
      ),
      ...rollupStatements(
        db,
        identity,
        ROLLUP_TABLES.serials,
        changed('SELECT serial, lot, scans, first_at, last_at FROM rollup_serials WHERE rev > ?'),
      ),
      ...rollupStatements(
        db,
        identity,
        ROLLUP_TABLES.scanners,
        changed('SELECT day, is_bot, scanners FROM rollup_scanners WHERE rev > ?'),
      ),
    ];
    if (statements.length > 0) await db.batch(statements);
  }
  for (const table of LEGACY_TABLES) if (exists(sql, table)) sql.exec(`DROP TABLE ${table}`);
  setMeta('legacy_rollups', 'done');
}
