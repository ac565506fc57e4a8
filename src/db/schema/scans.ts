// Scans (PRODUCT.md C3): raw events and the roll-ups the ScanCounter Durable Objects flush.
// Roll-up rows are per shard and hold absolute counts (the object's own totals), so a flush can
// be repeated any number of times; readers sum the shards.
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** `blocked`: a blocked code, sent to the warning page (src/blocking/). */
export const SCAN_OUTCOMES = ['redirect', 'linkset', 'multiple', 'not_found', 'blocked'] as const;

/** The columns of a scan event, for scan_events and its legacy table (fresh builders for each). */
const eventColumns = <Id extends ReturnType<typeof text>>(idColumn: Id) => ({
  /** UUIDv7: time-ordered, so keyset pagination by id follows time. */
  id: idColumn,
  /** Owner of the key; null for scans of keys nobody registered (counted apart). */
  orgId: text('org_id'),
  occurredAt: integer('occurred_at').notNull(),
  keyValue: text('key_value').notNull(),
  keyAi: text('key_ai').notNull(),
  cpv: text('cpv'),
  lot: text('lot'),
  serial: text('serial'),
  /** JSON object of the data attributes in the query string, e.g. {"17":"261231"}. */
  attributes: text('attributes', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  country: text('country'),
  region: text('region'),
  city: text('city'),
  latitude: real('latitude'),
  longitude: real('longitude'),
  timezone: text('timezone'),
  colo: text('colo'),
  /** Origin of the Referer header only (paths and queries can carry personal data). */
  referrer: text('referrer'),
  app: text('app'),
  deviceClass: text('device_class').notNull(),
  isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
  /** What the resolver answered. */
  outcome: text('outcome', { enum: SCAN_OUTCOMES }).notNull(),
  linkType: text('link_type'),
  ruleId: text('rule_id'),
  destination: text('destination'),
  language: text('language'),
  /** Salted hash of client address and User-Agent; the salt rotates daily, no raw IP is kept. */
  scannerHash: text('scanner_hash').notNull(),
  shard: integer('shard').notNull(),
});

/**
 * One recorded scan. The one list of its columns: the ScanEvent type, the flush's INSERT and the
 * scan CSV export derive theirs from it (src/scans/scan-event-columns.ts), in this order, which is
 * the export's (key_value before key_ai); the table's own order in SQLite (0005_scans.sql) differs.
 */
export const scanEvents = sqliteTable(
  'scan_events',
  eventColumns(text('id').notNull()),
  // One index, the export's order: no primary key (a flush is applied once by its guard,
  // src/scans/rollup-increments.ts), so an event costs D1 two rows written, not four.
  (t) => [index('scan_events_org_time_id').on(t.orgId, t.occurredAt, t.id)],
);

/**
 * scan_events as it was before migration 0018 (id primary key, two indexes): rows flushed before
 * then, moved to the R2 archive (and recent ones into scan_events) by the cron in bounded chunks
 * (src/storage/legacy-backfill.ts); exports read it beside scan_events until it is empty.
 */
export const scanEventsLegacy = sqliteTable(
  'scan_events_legacy',
  eventColumns(text('id').primaryKey()),
  (t) => [
    index('scan_events_org_time').on(t.orgId, t.occurredAt, t.id),
    index('scan_events_key_time').on(t.keyAi, t.keyValue, t.occurredAt),
  ],
);

// Roll-up tables are WITHOUT ROWID (migration 0019) with the organisation first in the primary key:
// a new row costs D1 one row written, not three (row, key index, organisation index). Scans of
// keys nobody registered get no roll-ups (their raw events are kept, apart).
const rollupKey = {
  orgId: text('org_id').notNull(),
  keyAi: text('key_ai').notNull(),
  keyValue: text('key_value').notNull(),
  shard: integer('shard').notNull(),
};

/**
 * Scans per 15-minute bucket × country × lot, bots apart (the table name predates the buckets:
 * rows are per UTC quarter-hour, so a local hour or day of any IANA zone is a union of them).
 * `''` stands for unknown country / no lot.
 */
export const scanRollupHourly = sqliteTable(
  'scan_rollup_hourly',
  {
    ...rollupKey,
    /** Start of the UTC quarter-hour (15-minute bucket), epoch ms. */
    bucket: integer('bucket').notNull(),
    country: text('country').notNull(),
    lot: text('lot').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    scans: integer('scans').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.bucket, t.keyAi, t.keyValue, t.shard, t.country, t.lot, t.isBot] }),
  ],
);

/**
 * Scans per organisation and 15-minute bucket, bots apart: scan_rollup_hourly summed over keys,
 * shards, countries and lots, added by each flush beside it (src/scans/rollup-increments.ts) and
 * kept at quarter-hours for as long as roll-ups are, so unfiltered series stay exact in every zone. The dashboard's unfiltered totals
 * and series read at most two rows per bucket here, however many GTINs, lots and countries were
 * scanned (bench/RESULTS.md, dashboard).
 */
export const scanRollupOrgHourly = sqliteTable(
  'scan_rollup_org_hourly',
  {
    orgId: text('org_id').notNull(),
    /** Start of the UTC quarter-hour, epoch ms. */
    bucket: integer('bucket').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    scans: integer('scans').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.bucket, t.isBot] })],
);

/**
 * Scans per 15-minute bucket by one dimension (region, city, referrer, app, device, link_type,
 * outcome, rule, geo cell) and country, so every breakdown can be filtered by country.
 */
export const scanRollupDims = sqliteTable(
  'scan_rollup_dims',
  {
    ...rollupKey,
    /** Start of the UTC quarter-hour, epoch ms. */
    bucket: integer('bucket').notNull(),
    dim: text('dim').notNull(),
    value: text('value').notNull(),
    country: text('country').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    scans: integer('scans').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.orgId, t.dim, t.bucket, t.value, t.country, t.isBot, t.keyAi, t.keyValue, t.shard],
    }),
  ],
);

export const scanRollupSerials = sqliteTable(
  'scan_rollup_serials',
  {
    ...rollupKey,
    serial: text('serial').notNull(),
    lot: text('lot').notNull(),
    scans: integer('scans').notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.keyAi, t.keyValue, t.shard, t.serial] })],
);

/** Distinct scanners per UTC day (per shard: a scanner seen by two shards counts in each). */
export const scanRollupScanners = sqliteTable(
  'scan_rollup_scanners',
  {
    ...rollupKey,
    day: integer('day').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    scanners: integer('scanners').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.keyAi, t.keyValue, t.shard, t.isBot] })],
);

/**
 * Unique scanners as HyperLogLog registers (src/scans/scanner-sketch.ts), per organisation, UTC
 * day and subject (`dim` 'all' with value '', 'product' with the GTIN, 'lot' with GTIN + lot,
 * 'country' with its code): a register keeps the highest rank any shard or key sent it, so
 * merging shards, keys and flushes is a max, and a scanner seen twice counts once.
 */
export const scanRollupScannerSketch = sqliteTable(
  'scan_rollup_scanner_sketch',
  {
    orgId: text('org_id').notNull(),
    dim: text('dim').notNull(),
    day: integer('day').notNull(),
    value: text('value').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    register: integer('register').notNull(),
    rank: integer('rank').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.dim, t.day, t.value, t.isBot, t.register] })],
);

/**
 * The scanners of each sketch subject and day as fingerprints (scanner-sketch.ts), kept while a
 * set holds fewer than EXACT_SCANNER_LIMIT: small days are counted exactly, not estimated.
 */
export const scanRollupScannerExact = sqliteTable(
  'scan_rollup_scanner_exact',
  {
    orgId: text('org_id').notNull(),
    dim: text('dim').notNull(),
    day: integer('day').notNull(),
    value: text('value').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    fp: integer('fp').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.dim, t.day, t.value, t.isBot, t.fp] })],
);

/**
 * scan_rollup_hourly past the recent window (storage_settings.raw_recent_days), compacted to UTC
 * days and summed over shards by the cron (src/storage/rollup-compaction.ts): a quarter-hour row
 * per key, country and lot is kept only while ranges need them exact in every zone.
 */
export const scanRollupDaily = sqliteTable(
  'scan_rollup_daily',
  {
    orgId: text('org_id').notNull(),
    /** Start of the UTC day, epoch ms. */
    bucket: integer('bucket').notNull(),
    keyAi: text('key_ai').notNull(),
    keyValue: text('key_value').notNull(),
    country: text('country').notNull(),
    lot: text('lot').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    scans: integer('scans').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.bucket, t.keyAi, t.keyValue, t.country, t.lot, t.isBot] })],
);

/**
 * scan_rollup_dims past the recent window, per organisation (not per key) and UTC day: the key ×
 * city × quarter-hour cube is what no single database holds for a year (bench/RESULTS.md, storage).
 */
export const scanRollupDimsDaily = sqliteTable(
  'scan_rollup_dims_daily',
  {
    orgId: text('org_id').notNull(),
    dim: text('dim').notNull(),
    /** Start of the UTC day, epoch ms. */
    bucket: integer('bucket').notNull(),
    value: text('value').notNull(),
    country: text('country').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    scans: integer('scans').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.dim, t.bucket, t.value, t.country, t.isBot] })],
);

export type ScanEventRow = typeof scanEvents.$inferSelect;

/**
 * How far each ScanCounter's flushes got: the last pending batch whose events and counts D1 has.
 * A flush's increments apply only while last_seq is what the object last saw, and move it in the
 * same transaction (src/scans/rollup-increments.ts): one row per counter, however many flushes.
 */
export const scanCounterFlushes = sqliteTable('scan_counter_flushes', {
  /** counterName(): `<key AI>/<key value>#<shard>`. */
  counter: text('counter').primaryKey(),
  lastSeq: integer('last_seq').notNull(),
  flushedAt: integer('flushed_at').notNull(),
});

/**
 * A daily snapshot of the organisation-wide figures that have no history of their own (average
 * completeness, active locations), so the overview can compare a period with the previous one.
 * Written by the hourly cron (src/index.ts); the overview only reads them.
 */
export const orgDailyMetrics = sqliteTable(
  'org_daily_metrics',
  {
    orgId: text('org_id').notNull(),
    /** UTC day number (epoch ms / 86 400 000). */
    day: integer('day').notNull(),
    averageCompleteness: real('average_completeness'),
    products: integer('products').notNull(),
    activeLocations: integer('active_locations').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day] })],
);
