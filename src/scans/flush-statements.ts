// D1 statements a ScanCounter flush sends, and the legacy absolute roll-up flush (legacy-rollups.ts).
// Rows travel as one JSON parameter per statement, expanded with json_each: D1 binds at most 100
// parameters per statement, which column binding would exhaust after three scan events.
import { jsonChunks } from '../db/json-chunks';
import type { ScanEvent } from './scan-event';
import { SCAN_EVENT_COLUMNS } from './scan-event-columns';

// Under D1's 2 MB string limit with room to spare, and small enough to keep a statement quick.
const CHUNK_BYTES = 400_000;

export interface ShardIdentity {
  orgId: string | null;
  keyAi: string;
  keyValue: string;
  shard: number;
}

/**
 * True while D1's last_seq for the counter (the parameter named by `counter`) is still `seq` (the
 * object's last known value, or NULL): every statement of a flush is guarded by it, and the flush
 * moves last_seq in the same D1 batch, so a flush resent after it landed applies nothing twice.
 */
export const flushGuard = (counter: string, seq: string) =>
  `(SELECT last_seq FROM scan_counter_flushes WHERE counter = ${counter}) IS ${seq}`;

// Each column from the event's field of the same name; booleans as SQLite's 0/1; guarded (?2
// counter, ?3 seq), so a resent flush adds no event twice.
const INSERT_EVENTS = `INSERT INTO scan_events (${SCAN_EVENT_COLUMNS.map((c) => c.name).join(', ')})
  SELECT ${SCAN_EVENT_COLUMNS.map((c) => (c.boolean ? `CASE WHEN json_extract(value, '$.${c.key}') THEN 1 ELSE 0 END` : `json_extract(value, '$.${c.key}')`)).join(', ')}
  FROM json_each(?1) WHERE ${flushGuard('?2', '?3')}`;

export function eventStatements(
  db: D1Database,
  events: (ScanEvent & { shard: number })[],
  counter: string,
  seenSeq: number | null,
): D1PreparedStatement[] {
  return jsonChunks(events, CHUNK_BYTES).map((chunk) =>
    db.prepare(INSERT_EVENTS).bind(chunk, counter, seenSeq),
  );
}

interface RollupTable {
  table: string;
  /** Columns after org_id, key_ai, key_value, shard, in the order of each row array. */
  columns: string[];
  /** Primary key columns after org_id, key_ai, key_value, shard. */
  key: string[];
  /** Columns overwritten on conflict. */
  values: string[];
}

export const ROLLUP_TABLES = {
  hourly: {
    table: 'scan_rollup_hourly',
    columns: ['bucket', 'country', 'lot', 'is_bot', 'scans'],
    key: ['bucket', 'country', 'lot', 'is_bot'],
    values: ['scans'],
  },
  dims: {
    table: 'scan_rollup_dims',
    columns: ['bucket', 'dim', 'value', 'country', 'is_bot', 'scans'],
    key: ['bucket', 'dim', 'value', 'country', 'is_bot'],
    values: ['scans'],
  },
  serials: {
    table: 'scan_rollup_serials',
    columns: ['serial', 'lot', 'scans', 'first_at', 'last_at'],
    key: ['serial'],
    values: ['lot', 'scans', 'first_at', 'last_at'],
  },
  scanners: {
    table: 'scan_rollup_scanners',
    columns: ['day', 'is_bot', 'scanners'],
    key: ['day', 'is_bot'],
    values: ['scanners'],
  },
} satisfies Record<string, RollupTable>;

/**
 * Roll-up rows as absolute values (upsert overwrites): a repeated flush writes the same numbers.
 * An hourly row's change also reaches scan_rollup_org_hourly (by the statement before the upsert,
 * which reads the values it replaces). Keys nobody registered get none (rollup-increments.ts).
 */
export function rollupStatements(
  db: D1Database,
  id: ShardIdentity,
  spec: RollupTable,
  rows: unknown[][],
): D1PreparedStatement[] {
  if (id.orgId === null) return [];
  const sql = `INSERT INTO ${spec.table} (org_id, key_ai, key_value, shard, ${spec.columns.join(', ')})
    SELECT ?1, ?2, ?3, ?4, ${spec.columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?5) WHERE true
    ON CONFLICT (org_id, key_ai, key_value, shard, ${spec.key.join(', ')}) DO UPDATE SET
    ${spec.values.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  return jsonChunks(rows, CHUNK_BYTES).flatMap((chunk) => {
    const args = [id.orgId, id.keyAi, id.keyValue, id.shard, chunk];
    const upsert = db.prepare(sql).bind(...args);
    return spec.table === ROLLUP_TABLES.hourly.table
      ? [db.prepare(ORG_HOURLY_DELTA).bind(...args), upsert]
      : [upsert];
  });
}

/** What an absolute hourly upsert (same parameters) changes in the organisation's quarter-hours. */
const ORG_HOURLY_DELTA = `INSERT INTO scan_rollup_org_hourly (org_id, bucket, is_bot, scans)
  SELECT ?1, j.value ->> 0, j.value ->> 3, sum((j.value ->> 4) - coalesce(h.scans, 0))
  FROM json_each(?5) j LEFT JOIN scan_rollup_hourly h ON h.org_id = ?1 AND h.bucket = j.value ->> 0
    AND h.key_ai = ?2 AND h.key_value = ?3 AND h.shard = ?4 AND h.country = j.value ->> 1
    AND h.lot = j.value ->> 2 AND h.is_bot = j.value ->> 3
  WHERE true GROUP BY j.value ->> 0, j.value ->> 3
  ON CONFLICT (org_id, bucket, is_bot) DO UPDATE SET scans = scans + excluded.scans`;
