// The shape of one recorded scan: a scan_events row (src/db/schema/scans.ts) before the
// ScanCounter gives it a shard. Type-only imports, so Node scripts (bench/) can use it too.
import type { ScanEventRow } from '../db/schema/scans';

export type ScanEvent = Omit<ScanEventRow, 'shard'>;
