// What a ScanCounter costs its stores, counted as it runs (in memory, since the object started):
// the storage rows it writes, D1 rows written (as D1 reports them), R2 operations and bytes. Read
// by `npm run bench:storage` through the object's `usage()` RPC; nothing in production reads it.

export interface StorageUsage {
  records: number;
  alarms: number;
  /** Durable Object storage rows written (SqlStorage cursors' rowsWritten). */
  objectRowsWritten: number;
  /** … of which index entries are not part: the benchmark adds them per table (bench/storage.ts). */
  objectRowsByTable: Record<string, number>;
  d1Batches: number;
  d1RowsWritten: number;
  r2Puts: number;
  r2PutBytes: number;
  r2Deletes: number;
}

export const emptyUsage = (): StorageUsage => ({
  records: 0,
  alarms: 0,
  objectRowsWritten: 0,
  objectRowsByTable: {},
  d1Batches: 0,
  d1RowsWritten: 0,
  r2Puts: 0,
  r2PutBytes: 0,
  r2Deletes: 0,
});

const WRITTEN_TABLE = /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(\w+)/i;

/** SqlStorage whose writes are counted into `usage`, per table. */
export function meteredSql(sql: SqlStorage, usage: StorageUsage): SqlStorage {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === 'exec')
        return (query: string, ...bindings: unknown[]) => {
          const cursor = target.exec(query, ...bindings);
          const written = cursor.rowsWritten;
          if (written > 0) {
            usage.objectRowsWritten += written;
            const table = WRITTEN_TABLE.exec(query)?.[1] ?? 'other';
            usage.objectRowsByTable[table] = (usage.objectRowsByTable[table] ?? 0) + written;
          }
          return cursor;
        };
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** D1 whose batches are counted. */
export function meteredD1(db: D1Database, usage: StorageUsage): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements);
          usage.d1Batches++;
          for (const r of results) usage.d1RowsWritten += r.meta?.rows_written ?? 0;
          return results;
        };
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** R2 whose writes are counted. */
export function meteredR2(bucket: R2Bucket, usage: StorageUsage): R2Bucket {
  return new Proxy(bucket, {
    get(target, prop) {
      if (prop === 'put')
        return async (key: string, value: Uint8Array, options?: R2PutOptions) => {
          const written = await target.put(key, value, options);
          usage.r2Puts++;
          usage.r2PutBytes += value.byteLength;
          return written;
        };
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
