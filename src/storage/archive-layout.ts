// Where raw scan events live in the R2 archive (SCAN_ARCHIVE): gzipped NDJSON, one event per line,
// in Hive-style partitions by organisation, UTC date and UTC hour, so DuckDB, Spark or R2 SQL can
// read a prefix (`scans/v1/org=<id>/date=2026-12-01/**/*.ndjson.gz`). A name is a pure function of
// what the object holds, so a retried archive run overwrites its object instead of adding one.

export const ARCHIVE_ROOT = 'scans/v1/';
/** The partition of scans of keys no organisation registered. */
export const UNOWNED_ORG = '_unowned';

const HOUR_MS = 3_600_000;

export interface ArchivePart {
  orgId: string | null;
  /** Start of the UTC hour the part's events occurred in. */
  hourMs: number;
  keyAi: string;
  keyValue: string;
  shard: number;
  /** The ScanCounter's pending-row sequence the part starts at: unique per object, never reused. */
  firstSeq: number;
}

export const orgPrefix = (orgId: string | null) => `${ARCHIVE_ROOT}org=${orgId ?? UNOWNED_ORG}/`;

export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const datePrefix = (orgId: string | null, ms: number) => `${orgPrefix(orgId)}date=${utcDate(ms)}/`;

export const hourPrefix = (orgId: string | null, ms: number) =>
  `${datePrefix(orgId, ms)}hour=${new Date(ms).toISOString().slice(11, 13)}/`;

/** Key values may hold characters of GS1's AI set 82 (`/`, `%`, …): encoded so a name stays one segment. */
export const keySegment = (keyAi: string, keyValue: string) => `${keyAi}-${encodeURIComponent(keyValue)}`;

/**
 * Events D1 held before the archive existed, moved by src/storage/legacy-backfill.ts: one object
 * per organisation, hour and backfill chunk (named by the chunk's first D1 rowid), of any keys.
 */
export const LEGACY_SEGMENT = 'legacy-r';

export function legacyArchiveKey(orgId: string | null, hourMs: number, firstRowid: number): string {
  const hour = hourMs - (hourMs % HOUR_MS);
  return `${hourPrefix(orgId, hour)}${LEGACY_SEGMENT}${String(firstRowid).padStart(12, '0')}.ndjson.gz`;
}

export function archiveKey(part: ArchivePart): string {
  const hourMs = part.hourMs - (part.hourMs % HOUR_MS);
  const seq = String(part.firstSeq).padStart(12, '0');
  return `${hourPrefix(part.orgId, hourMs)}${keySegment(part.keyAi, part.keyValue)}-s${part.shard}-${seq}.ndjson.gz`;
}
