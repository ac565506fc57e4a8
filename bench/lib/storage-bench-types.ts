// What POST /_bench/storage/record and GET /_bench/storage/sizes (bench/worker/bench-routes.ts)
// answer bench/storage.ts. Types only, free of Worker types so that Node's typecheck can read them;
// bench-routes.ts checks that the ScanCounter's StorageUsage still fits `UsageCounts`.

/** src/scans/storage-usage.ts StorageUsage, as it travels. */
export interface UsageCounts {
  records: number;
  alarms: number;
  objectRowsWritten: number;
  objectRowsByTable: Record<string, number>;
  d1Batches: number;
  d1RowsWritten: number;
  r2Puts: number;
  r2PutBytes: number;
  r2Deletes: number;
}

export const USAGE_NUMBERS = [
  'records',
  'alarms',
  'objectRowsWritten',
  'd1Batches',
  'd1RowsWritten',
  'r2Puts',
  'r2PutBytes',
  'r2Deletes',
] as const satisfies readonly (keyof UsageCounts)[];

export const emptyCounts = (): UsageCounts => ({
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

/** Adds `after − before` into `into`. */
export function addCounts(into: UsageCounts, after: UsageCounts, before: UsageCounts = emptyCounts()): void {
  for (const k of USAGE_NUMBERS) into[k] += (after[k] ?? 0) - (before[k] ?? 0);
  for (const [table, n] of Object.entries(after.objectRowsByTable))
    into.objectRowsByTable[table] =
      (into.objectRowsByTable[table] ?? 0) + n - (before.objectRowsByTable[table] ?? 0);
}

export interface StorageRecordResult {
  counters: string[];
  calls: { record: number; flush: number; archive: number };
  /** Wall-clock ms inside each kind of RPC, as the caller saw it (the objects' active time). */
  wallMs: { record: number; flush: number; archive: number };
  /** The touched counters' usage() after the hour minus before it, summed. */
  usage: UsageCounts;
}

export interface StoreSizes {
  d1: {
    /** 'dbstat' (bytes per table and index), else 'page_count' (the database file only). */
    method: 'dbstat' | 'page_count';
    dbstatError?: string;
    pageCountError?: string;
    /** page_count × page_size, when D1 allows the pragmas. */
    totalBytes: number | null;
    /** Per table or index (dbstat only). */
    bytes: Record<string, number>;
    /** Each index's table. */
    indexOf: Record<string, string>;
    rows: Record<string, number>;
  };
  r2: { objects: number; bytes: number; listCalls: number };
  /**
   * rows_written of a one-row INSERT into a table with a TEXT primary key and one index, in D1
   * (which Miniflare runs on workerd's SQLite, the counter SqlStorage reports too): 1 if only
   * rows are counted, 3 if the primary-key index and the secondary index entries are as well.
   */
  indexProbeRowsWritten: number;
  /** A ScanCounter that never recorded anything (its id, to find its SQLite file): an empty object's size. */
  emptyCounterId: string;
}
