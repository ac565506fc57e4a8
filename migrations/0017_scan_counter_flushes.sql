-- How far each ScanCounter's flushes got (src/db/schema/scans.ts, scanCounterFlushes). WITHOUT ROWID:
-- the primary key is the table, so each flush writes one row (drizzle-kit does not emit the clause).
CREATE TABLE `scan_counter_flushes` (
	`counter` text PRIMARY KEY NOT NULL,
	`last_seq` integer NOT NULL,
	`flushed_at` integer NOT NULL
) WITHOUT ROWID;
