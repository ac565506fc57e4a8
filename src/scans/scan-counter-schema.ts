// The ScanCounter's own SQLite tables. `rev` on roll-up rows is the object's change counter at
// the row's last update: a flush sends the rows changed since the last successful flush, as
// absolute values, so repeating a flush (after a D1 error, an eviction) never counts twice.
export const SCAN_COUNTER_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Ids of every event recorded in the last days: a retried delivery is recognised and ignored.
  `CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, day INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS seen_day ON seen (day)`,
  // Raw events not yet in D1, in arrival order.
  `CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)`,
  // Per UTC quarter-hour: `bucket` is the 15-minute start, epoch ms (scan-dimensions.ts bucketOf).
  `CREATE TABLE IF NOT EXISTS rollup_hourly (bucket INTEGER NOT NULL, country TEXT NOT NULL, lot TEXT NOT NULL, is_bot INTEGER NOT NULL,
     scans INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY (bucket, country, lot, is_bot))`,
  `CREATE TABLE IF NOT EXISTS rollup_dims (bucket INTEGER NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, country TEXT NOT NULL,
     is_bot INTEGER NOT NULL, scans INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY (bucket, dim, value, country, is_bot))`,
  `CREATE TABLE IF NOT EXISTS rollup_serials (serial TEXT PRIMARY KEY, lot TEXT NOT NULL, scans INTEGER NOT NULL,
     first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, rev INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS day_scanners (day INTEGER NOT NULL, is_bot INTEGER NOT NULL, scanner TEXT NOT NULL, PRIMARY KEY (day, is_bot, scanner))`,
  `CREATE TABLE IF NOT EXISTS rollup_scanners (day INTEGER NOT NULL, is_bot INTEGER NOT NULL, scanners INTEGER NOT NULL, rev INTEGER NOT NULL,
     PRIMARY KEY (day, is_bot))`,
  `CREATE INDEX IF NOT EXISTS rollup_hourly_rev ON rollup_hourly (rev)`,
  `CREATE INDEX IF NOT EXISTS rollup_dims_rev ON rollup_dims (rev)`,
  `CREATE INDEX IF NOT EXISTS rollup_serials_rev ON rollup_serials (rev)`,
  `CREATE INDEX IF NOT EXISTS rollup_scanners_rev ON rollup_scanners (rev)`,
];

/** The part of SqlStorage used here (this file is also read by bench/ in Node, without workers types). */
interface ObjectSql {
  exec(query: string): { toArray(): Record<string, unknown>[] };
}

/**
 * Objects created before roll-ups were per quarter-hour have an `hour` column (holding hour
 * starts, which are valid bucket starts): renamed in place, once. Run before SCAN_COUNTER_SCHEMA,
 * whose CREATE TABLE IF NOT EXISTS leaves an existing table as it is.
 */
export function upgradeScanCounterSchema(sql: ObjectSql): void {
  for (const table of ['rollup_hourly', 'rollup_dims']) {
    const columns = sql.exec(`PRAGMA table_info(${table})`).toArray();
    if (columns.some((c) => c.name === 'hour')) sql.exec(`ALTER TABLE ${table} RENAME COLUMN hour TO bucket`);
  }
}

/** Dimensions counted per 15-minute bucket besides country × lot. */
export type ScanDimension =
  | 'region'
  | 'city'
  | 'referrer'
  | 'app'
  | 'device'
  | 'link_type'
  | 'outcome'
  | 'rule'
  | 'geo';
