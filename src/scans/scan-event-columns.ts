// The scan_events columns as a list, read from the drizzle table: the one place they are named.
import { getTableColumns } from 'drizzle-orm';
import { type ScanEventRow, scanEvents } from '../db/schema/scans';

export interface ScanEventColumn {
  /** The ScanEvent field, also the event's key in a flush's JSON. */
  key: keyof ScanEventRow;
  /** The SQL column. */
  name: string;
  /** Stored as 0/1, read as true/false. */
  boolean: boolean;
}

/** In the drizzle table's order. */
export const SCAN_EVENT_COLUMNS: readonly ScanEventColumn[] = Object.entries(getTableColumns(scanEvents)).map(
  ([key, column]) => ({
    key: key as keyof ScanEventRow,
    name: column.name,
    boolean: column.dataType === 'boolean',
  }),
);
