// `DELETE … WHERE <condition> LIMIT n` as SQLite builds without SQLITE_ENABLE_UPDATE_DELETE_LIMIT
// allow it: the rows are chosen by a LIMIT-ed sub-select of their rowid, or, in the WITHOUT ROWID
// roll-up tables (migration 0019), of their primary key.

/** Primary keys of the WITHOUT ROWID tables, which have no rowid (src/db/schema/scans.ts). */
const PRIMARY_KEYS: Record<string, readonly string[]> = {
  scan_rollup_hourly: ['org_id', 'bucket', 'key_ai', 'key_value', 'shard', 'country', 'lot', 'is_bot'],
  scan_rollup_org_hourly: ['org_id', 'bucket', 'is_bot'],
  scan_rollup_dims: ['org_id', 'dim', 'bucket', 'value', 'country', 'is_bot', 'key_ai', 'key_value', 'shard'],
  scan_rollup_serials: ['org_id', 'key_ai', 'key_value', 'shard', 'serial'],
  scan_rollup_scanners: ['org_id', 'day', 'key_ai', 'key_value', 'shard', 'is_bot'],
  scan_rollup_daily: ['org_id', 'bucket', 'key_ai', 'key_value', 'country', 'lot', 'is_bot'],
  scan_rollup_dims_daily: ['org_id', 'dim', 'bucket', 'value', 'country', 'is_bot'],
  scan_counter_flushes: ['counter'],
};

/**
 * SQL deleting at most `limit` rows of `table` matching `condition`; `limit` is the parameter
 * `?` after the condition's own (or `limitParam`, e.g. '?3', when the condition numbers them).
 * `returning`: one row back per deleted row, for tables whose triggers make D1's `changes` count more.
 */
export function limitedDelete(table: string, condition: string, limitParam = '?', returning = false): string {
  const key = PRIMARY_KEYS[table];
  const row = key ? `(${key.join(', ')})` : 'rowid';
  const columns = key ? key.join(', ') : 'rowid';
  return `DELETE FROM ${table} WHERE ${row} IN (SELECT ${columns} FROM ${table} WHERE ${condition} LIMIT ${limitParam})${returning ? ' RETURNING 1' : ''}`;
}
