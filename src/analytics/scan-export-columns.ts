// The scan CSV's columns: every scan_events column a brand may read, in the drizzle table's order.
import { SCAN_EVENT_COLUMNS } from '../scans/scan-event-columns';

export interface ScanExportColumn {
  /** The ScanEvent field (an archived event's JSON key). */
  key: string;
  /** The CSV header, also the column's alias in the export's SELECT. */
  header: string;
  /** The SQL column. */
  column: string;
  /** The cell for the value D1 returns. */
  cell: (value: unknown) => unknown;
}

/** The organisation is the reader's own; the shard is how the counters store it. */
const NOT_EXPORTED = new Set(['orgId', 'shard']);
/** Brands know the key's value as the GTIN. */
const HEADERS: Partial<Record<string, string>> = { keyValue: 'gtin' };

const asIs = (value: unknown) => value;
const isoTime = (ms: unknown) => new Date(ms as number).toISOString();
const trueFalse = (value: unknown) => (value ? 'true' : 'false');

export const SCAN_EXPORT_COLUMNS: readonly ScanExportColumn[] = SCAN_EVENT_COLUMNS.filter(
  (c) => !NOT_EXPORTED.has(c.key),
).map((c) => ({
  key: c.key,
  header: HEADERS[c.key] ?? c.name,
  column: c.name,
  cell: c.key === 'occurredAt' ? isoTime : c.boolean ? trueFalse : asIs,
}));
