// The ScanCounter's own SQLite tables. `rev` on roll-up rows is the object's change counter at
// the row's last update: a flush sends the rows changed since the last successful flush, as
// absolute values, so repeating a flush (after a D1 error, an eviction) never counts twice.
export const SCAN_COUNTER_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Ids of every event recorded in the last days: a retried delivery is recognised and ignored.
  `CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, day INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS seen_day ON seen (day)`,
  // Recorded batches of raw events, in arrival order, until both D1 and the R2 archive have them
  // (meta d1_seq and archived_seq say how far each got). `events` counts the batch's events.
  `CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL,
     arrived_at INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 1)`,
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
 * whose CREATE TABLE IF NOT EXISTS leaves an existing table as it is. Also gives `pending` the
 * archive's columns. Idempotent.
 */
export function upgradeScanCounterSchema(sql: ObjectSql): void {
  const columns = (table: string) =>
    new Set(
      sql
        .exec(`PRAGMA table_info(${table})`)
        .toArray()
        .map((c) => c.name),
    );
  for (const table of ['rollup_hourly', 'rollup_dims'])
    if (columns(table).has('hour')) sql.exec(`ALTER TABLE ${table} RENAME COLUMN hour TO bucket`);
  // Pending rows from before the archive: arrived "at 0" (archived at the next run), one event each.
  const pending = columns('pending');
  if (pending.size === 0) return; // a new object: SCAN_COUNTER_SCHEMA creates it whole
  if (!pending.has('arrived_at'))
    sql.exec('ALTER TABLE pending ADD COLUMN arrived_at INTEGER NOT NULL DEFAULT 0');
  if (!pending.has('events')) sql.exec('ALTER TABLE pending ADD COLUMN events INTEGER NOT NULL DEFAULT 1');
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
