-- Raw events in D1 cost two rows written each instead of four (src/db/schema/scans.ts): a new
-- scan_events with no primary key and one index; ScanCounter flushes are applied once by their
-- guard (src/scans/rollup-increments.ts), so no key is needed to drop a resent event.
--
-- Without downtime: the old table is renamed, not copied (a rename is instant however large it
-- is), and keeps its rows and indexes as scan_events_legacy. Exports read both until the cron has
-- moved every legacy row to the R2 archive, and recent ones into scan_events
-- (src/storage/legacy-backfill.ts, bounded chunks per run). An older Worker still running after
-- this migration writes to the new table, whose columns are the same (during the minutes both run,
-- a flush it retries may leave an event there twice: the old flush relied on the primary key).
ALTER TABLE `scan_events` RENAME TO `scan_events_legacy`;
--> statement-breakpoint
CREATE TABLE `scan_events` (
	`id` text NOT NULL,
	`org_id` text,
	`occurred_at` integer NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`cpv` text,
	`lot` text,
	`serial` text,
	`attributes` text DEFAULT '{}' NOT NULL,
	`country` text,
	`region` text,
	`city` text,
	`latitude` real,
	`longitude` real,
	`timezone` text,
	`colo` text,
	`referrer` text,
	`app` text,
	`device_class` text NOT NULL,
	`is_bot` integer NOT NULL,
	`outcome` text NOT NULL,
	`link_type` text,
	`rule_id` text,
	`destination` text,
	`language` text,
	`scanner_hash` text NOT NULL,
	`shard` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scan_events_org_time_id` ON `scan_events` (`org_id`,`occurred_at`,`id`);
