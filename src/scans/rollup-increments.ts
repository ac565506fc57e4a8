// The roll-up counts a ScanCounter sends D1, as increments (src/scans/scan-counter.ts `flush`).
// Each recorded batch keeps its counts beside its raw events; a flush sums the counts of the
// batches it sends and adds them to D1's rows in the same D1 batch that moves the counter's
// `scan_counter_flushes.last_seq` from the value the object last saw to the flush's last batch. Every
// statement is guarded on that value, so a flush D1 already applied (its answer lost, the object
// reset) applies nothing the second time, and the object learns from the returned value how far
// D1 got. The object keeps no roll-up rows of its own: the rows it would write per batch were most
// of what it cost (bench/RESULTS.md, storage).
import { jsonChunks } from '../db/json-chunks';
import { flushGuard, type ShardIdentity } from './flush-statements';
import type { BatchCounts } from './scan-dimensions';
import { EXACT_SCANNER_LIMIT } from './scanner-sketch';

const CHUNK_BYTES = 400_000;

/** A batch's counts as stored with it (JSON): the keys are countBatch's JSON keys. */
export interface StoredCounts {
  hourly: [string, number][];
  dims: [string, number][];
  serials: [string, { lot: string; scans: number; firstAt: number; lastAt: number }][];
  /** JSON [day, is_bot] → scanners this object saw first in this batch that day. */
  scanners: [string, number][];
  /** countBatch's sketch registers; absent in batches stored before the sketches. */
  sketch?: [string, number][];
  /** countBatch's scanner fingerprints; absent in batches stored before them. */
  exact?: string[];
}

export function storedCounts(counts: BatchCounts, newScanners: Map<string, number>): StoredCounts {
  return {
    hourly: [...counts.hourly],
    dims: [...counts.dims],
    serials: [...counts.serials],
    scanners: [...newScanners],
    sketch: [...counts.sketch],
    exact: [...counts.exact],
  };
}

export interface MergedCounts {
  hourly: Map<string, number>;
  dims: Map<string, number>;
  serials: Map<string, { lot: string; scans: number; firstAt: number; lastAt: number }>;
  scanners: Map<string, number>;
  sketch: Map<string, number>;
  exact: Set<string>;
}

export function mergeCounts(parts: readonly StoredCounts[]): MergedCounts {
  const merged: MergedCounts = {
    hourly: new Map(),
    dims: new Map(),
    serials: new Map(),
    scanners: new Map(),
    sketch: new Map(),
    exact: new Set(),
  };
  const add = (map: Map<string, number>, entries: [string, number][]) => {
    for (const [key, n] of entries) map.set(key, (map.get(key) ?? 0) + n);
  };
  for (const part of parts) {
    add(merged.hourly, part.hourly ?? []);
    add(merged.dims, part.dims ?? []);
    add(merged.scanners, part.scanners ?? []);
    for (const [key, rank] of part.sketch ?? [])
      merged.sketch.set(key, Math.max(merged.sketch.get(key) ?? 0, rank));
    for (const key of part.exact ?? []) merged.exact.add(key);
    for (const [serial, c] of part.serials ?? []) {
      const s = merged.serials.get(serial);
      if (!s) merged.serials.set(serial, { ...c });
      else {
        s.scans += c.scans;
        s.firstAt = Math.min(s.firstAt, c.firstAt);
        // The lot of the serial's latest scan, as a whole-history count would have it.
        if (c.lastAt >= s.lastAt) s.lot = c.lot;
        s.lastAt = Math.max(s.lastAt, c.lastAt);
      }
    }
  }
  return merged;
}

interface IncrementTable {
  table: string;
  /** Columns after org_id, key_ai, key_value, shard, in the order of each row array. */
  columns: string[];
  /** Conflict target after key_ai, key_value, shard. */
  key: string[];
  /** What a conflicting row becomes. */
  update: string;
}

const TABLES = {
  hourly: {
    table: 'scan_rollup_hourly',
    columns: ['bucket', 'country', 'lot', 'is_bot', 'scans'],
    key: ['bucket', 'country', 'lot', 'is_bot'],
    update: 'scans = scans + excluded.scans',
  },
  dims: {
    table: 'scan_rollup_dims',
    columns: ['bucket', 'dim', 'value', 'country', 'is_bot', 'scans'],
    key: ['bucket', 'dim', 'value', 'country', 'is_bot'],
    update: 'scans = scans + excluded.scans',
  },
  serials: {
    table: 'scan_rollup_serials',
    columns: ['serial', 'lot', 'scans', 'first_at', 'last_at'],
    key: ['serial'],
    update: `scans = scans + excluded.scans, first_at = min(first_at, excluded.first_at),
      lot = CASE WHEN excluded.last_at >= last_at THEN excluded.lot ELSE lot END, last_at = max(last_at, excluded.last_at)`,
  },
  scanners: {
    table: 'scan_rollup_scanners',
    columns: ['day', 'is_bot', 'scanners'],
    key: ['day', 'is_bot'],
    update: 'scanners = scanners + excluded.scanners',
  },
} satisfies Record<string, IncrementTable>;

function statements(
  db: D1Database,
  spec: IncrementTable,
  id: ShardIdentity,
  counter: string,
  seenSeq: number | null,
  rows: unknown[][],
): D1PreparedStatement[] {
  const sql = `INSERT INTO ${spec.table} (org_id, key_ai, key_value, shard, ${spec.columns.join(', ')})
    SELECT ?1, ?2, ?3, ?4, ${spec.columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')}
    FROM json_each(?5) WHERE ${flushGuard('?6', '?7')}
    ON CONFLICT (org_id, key_ai, key_value, shard, ${spec.key.join(', ')}) DO UPDATE SET ${spec.update}`;
  return jsonChunks(rows, CHUNK_BYTES).map((chunk) =>
    db.prepare(sql).bind(id.orgId, id.keyAi, id.keyValue, id.shard, chunk, counter, seenSeq),
  );
}

const parse = (key: string) => JSON.parse(key) as unknown[];

/**
 * The organisation-wide quarter-hour counts of `hourly` ([bucket, country, lot, is_bot] → scans),
 * summed over countries and lots: one row per bucket and bot flag however many the flush touched.
 */
export function orgIncrements(hourly: Map<string, number>): [number, number, number][] {
  const sums = new Map<string, number>();
  for (const [k, n] of hourly) {
    const [bucket, , , bot] = parse(k) as [number, string, string, number];
    const key = `${bucket}|${bot}`;
    sums.set(key, (sums.get(key) ?? 0) + n);
  }
  return [...sums].map(([key, n]) => {
    const [bucket, bot] = key.split('|').map(Number) as [number, number];
    return [bucket, bot, n];
  });
}

function orgStatements(
  db: D1Database,
  orgId: string,
  counter: string,
  seenSeq: number | null,
  rows: [number, number, number][],
): D1PreparedStatement[] {
  const sql = `INSERT INTO scan_rollup_org_hourly (org_id, bucket, is_bot, scans)
    SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(?2) WHERE ${flushGuard('?3', '?4')}
    ON CONFLICT (org_id, bucket, is_bot) DO UPDATE SET scans = scans + excluded.scans`;
  return jsonChunks(rows, CHUNK_BYTES).map((chunk) => db.prepare(sql).bind(orgId, chunk, counter, seenSeq));
}

/**
 * Sketch registers keep the highest rank: organisation-wide, since shards and keys merge by max.
 * Only a rank that rises is written: a busy day's registers soon stop rising, so most of a flush's
 * register rows change nothing and cost no row write.
 */
function sketchStatements(
  db: D1Database,
  orgId: string,
  counter: string,
  seenSeq: number | null,
  sketch: Map<string, number>,
): D1PreparedStatement[] {
  const sql = `INSERT INTO scan_rollup_scanner_sketch (org_id, day, dim, value, is_bot, register, rank)
    SELECT ?1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
    FROM json_each(?2) WHERE ${flushGuard('?3', '?4')}
    ON CONFLICT (org_id, dim, day, value, is_bot, register) DO UPDATE SET rank = excluded.rank
      WHERE excluded.rank > scan_rollup_scanner_sketch.rank`;
  const rows = [...sketch].map(([k, rank]) => [...parse(k), rank]);
  return jsonChunks(rows, CHUNK_BYTES).map((chunk) => db.prepare(sql).bind(orgId, chunk, counter, seenSeq));
}

/**
 * Scanner fingerprints, into the sets still under EXACT_SCANNER_LIMIT when the statement starts (a
 * set may end a batch past it: it is then full, and readers use the sketch).
 */
function exactStatements(
  db: D1Database,
  orgId: string,
  counter: string,
  seenSeq: number | null,
  exact: Set<string>,
): D1PreparedStatement[] {
  // SQLite reads the whole SELECT before inserting (it reads the table it writes): each count is
  // the set as the statement found it, one primary-key range per row.
  const sql = `INSERT OR IGNORE INTO scan_rollup_scanner_exact (org_id, dim, day, value, is_bot, fp)
    SELECT ?1, i.value ->> 1, i.value ->> 0, i.value ->> 2, i.value ->> 3, i.value ->> 4 FROM json_each(?2) i
    WHERE ${flushGuard('?3', '?4')} AND (SELECT count(*) FROM scan_rollup_scanner_exact e
      WHERE e.org_id = ?1 AND e.dim = i.value ->> 1 AND e.day = i.value ->> 0 AND e.value = i.value ->> 2
        AND e.is_bot = i.value ->> 3) < ${EXACT_SCANNER_LIMIT}`;
  const rows = [...exact].map((k) => parse(k));
  return jsonChunks(rows, CHUNK_BYTES).map((chunk) => db.prepare(sql).bind(orgId, chunk, counter, seenSeq));
}

/**
 * The increments of `merged`, guarded on D1 still holding `seenSeq` for the counter, then the
 * move of last_seq to `lastSeq` (same guard) and a read of where it ended: the batch's last result.
 */
export function incrementStatements(
  db: D1Database,
  id: ShardIdentity,
  counter: string,
  seenSeq: number | null,
  lastSeq: number,
  merged: MergedCounts,
  now: number,
): D1PreparedStatement[] {
  const of = (spec: IncrementTable, rows: unknown[][]) => statements(db, spec, id, counter, seenSeq, rows);
  // Scans of keys nobody registered keep their raw events only: no dashboard reads their counts.
  const orgId = id.orgId;
  const rollups =
    orgId === null
      ? []
      : [
          ...orgStatements(db, orgId, counter, seenSeq, orgIncrements(merged.hourly)),
          ...of(
            TABLES.hourly,
            [...merged.hourly].map(([k, n]) => [...parse(k), n]),
          ),
          ...of(
            TABLES.dims,
            [...merged.dims].map(([k, n]) => [...parse(k), n]),
          ),
          ...of(
            TABLES.serials,
            [...merged.serials].map(([serial, s]) => [serial, s.lot, s.scans, s.firstAt, s.lastAt]),
          ),
          ...of(
            TABLES.scanners,
            [...merged.scanners].map(([k, n]) => [...parse(k), n]),
          ),
          ...sketchStatements(db, orgId, counter, seenSeq, merged.sketch),
          ...exactStatements(db, orgId, counter, seenSeq, merged.exact),
        ];
  return [
    ...rollups,
    db
      .prepare(
        `INSERT INTO scan_counter_flushes (counter, last_seq, flushed_at) SELECT ?1, ?2, ?3 WHERE
         ${flushGuard('?1', '?4')}
         ON CONFLICT (counter) DO UPDATE SET last_seq = excluded.last_seq, flushed_at = excluded.flushed_at`,
      )
      .bind(counter, lastSeq, now, seenSeq),
    db.prepare('SELECT last_seq FROM scan_counter_flushes WHERE counter = ?').bind(counter),
  ];
}
