-- Scan roll-ups per UTC quarter-hour instead of per hour (src/db/schema/scans.ts): every IANA
-- offset in use is a multiple of 15 minutes, so a local hour or day in any zone (Asia/Kolkata,
-- Asia/Kathmandu, America/St_Johns...) is an exact union of 15-minute buckets. The time column
-- is renamed `hour` → `bucket`; rows written so far hold hour starts, which stay valid bucket
-- starts, so no data moves. Hand-written: drizzle-kit would rebuild the tables, which drops the
-- triggers of 0011; RENAME COLUMN (SQLite ≥ 3.25) rewrites the triggers and indexes in place.
ALTER TABLE `scan_rollup_hourly` RENAME COLUMN `hour` TO `bucket`;
--> statement-breakpoint
ALTER TABLE `scan_rollup_dims` RENAME COLUMN `hour` TO `bucket`;
--> statement-breakpoint
ALTER TABLE `scan_rollup_org_hourly` RENAME COLUMN `hour` TO `bucket`;
