// The ScanCounter's own SQLite tables. It keeps no roll-up rows: each pending batch carries its
// counts, sent to D1 as increments (rollup-increments.ts). WITHOUT ROWID where the primary key is
// the only index, so a row written is one row, not a row and an index entry.
export const SCAN_COUNTER_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Batches recorded in the last days, by the UTC day of their first scan: a redelivery is ignored.
  `CREATE TABLE IF NOT EXISTS seen_batches (day INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (day, id)) WITHOUT ROWID`,
  // Recorded batches of raw events and their counts, in arrival order, until both D1 and the R2
  // archive have them (meta d1_seq and archived_seq say how far each got). `events` counts the
  // raw events kept (0 once the backlog was full: payload '[]', counts kept). `seq` is given by the
  // object, past every seq either cursor has seen (AUTOINCREMENT would write sqlite_sequence too).
  `CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL,
     counts TEXT NOT NULL DEFAULT '{}', arrived_at INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 1)`,
  // All-time totals for GET /v1/scans/live: a row per country and bot flag.
  `CREATE TABLE IF NOT EXISTS live_totals (country TEXT NOT NULL, is_bot INTEGER NOT NULL, scans INTEGER NOT NULL,
     last_at INTEGER NOT NULL, PRIMARY KEY (country, is_bot)) WITHOUT ROWID`,
  // Scanners seen today and yesterday, so each counts once per UTC day.
  `CREATE TABLE IF NOT EXISTS day_scanners (day INTEGER NOT NULL, is_bot INTEGER NOT NULL, scanner TEXT NOT NULL,
     PRIMARY KEY (day, is_bot, scanner)) WITHOUT ROWID`,
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
  // Legacy roll-up tables (legacy-rollups.ts), until their last flush drops them.
  for (const table of ['rollup_hourly', 'rollup_dims'])
    if (columns(table).has('hour')) sql.exec(`ALTER TABLE ${table} RENAME COLUMN hour TO bucket`);
  // Pending rows from before the archive: arrived "at 0" (archived at the next run), one event each.
  const pending = columns('pending');
  if (pending.size === 0) return; // a new object: SCAN_COUNTER_SCHEMA creates it whole
  if (!pending.has('arrived_at'))
    sql.exec('ALTER TABLE pending ADD COLUMN arrived_at INTEGER NOT NULL DEFAULT 0');
  if (!pending.has('events')) sql.exec('ALTER TABLE pending ADD COLUMN events INTEGER NOT NULL DEFAULT 1');
  if (!pending.has('counts')) sql.exec(`ALTER TABLE pending ADD COLUMN counts TEXT NOT NULL DEFAULT '{}'`);
}

/** Dimensions counted per 15-minute bucket besides country × lot. */
export const SCAN_DIMENSIONS = [
  'region',
  'city',
  'referrer',
  'app',
  'device',
  'link_type',
  'outcome',
  'rule',
  'geo',
] as const;
export type ScanDimension = (typeof SCAN_DIMENSIONS)[number];
