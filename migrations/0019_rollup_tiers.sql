-- Roll-ups in tiers (src/db/schema/scans.ts; ARCHITECTURE.md, "Scan storage"). Hand-edited from
-- drizzle-kit's output:
--   - Every roll-up table is rebuilt WITHOUT ROWID with the organisation first in its primary key
--     and no other index: a new row costs D1 one row written instead of three, and every read and
--     delete (by organisation and time) walks the key. drizzle-kit does not emit the clause.
--   - Rows of keys nobody registered (org_id NULL) are not copied: nothing reads them, and raw
--     events keep those scans.
--   - Dropping the old scan_rollup_hourly drops the triggers of 0011: each flush now adds its own
--     increments to scan_rollup_org_hourly (src/scans/rollup-increments.ts), so moving quarter-hours
--     into the daily tier (src/storage/rollup-compaction.ts) leaves the organisation's series whole.
--   - scan_rollup_daily and scan_rollup_dims_daily hold what the cron compacts past the recent window.
CREATE TABLE `scan_rollup_daily` (
	`org_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`country` text NOT NULL,
	`lot` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`org_id`, `bucket`, `key_ai`, `key_value`, `country`, `lot`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `scan_rollup_dims_daily` (
	`org_id` text NOT NULL,
	`dim` text NOT NULL,
	`bucket` integer NOT NULL,
	`value` text NOT NULL,
	`country` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`org_id`, `dim`, `bucket`, `value`, `country`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `__new_scan_rollup_dims` (
	`org_id` text NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`bucket` integer NOT NULL,
	`dim` text NOT NULL,
	`value` text NOT NULL,
	`country` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`org_id`, `dim`, `bucket`, `value`, `country`, `is_bot`, `key_ai`, `key_value`, `shard`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_scan_rollup_dims`("org_id", "key_ai", "key_value", "shard", "bucket", "dim", "value", "country", "is_bot", "scans") SELECT "org_id", "key_ai", "key_value", "shard", "bucket", "dim", "value", "country", "is_bot", "scans" FROM `scan_rollup_dims` WHERE "org_id" IS NOT NULL;--> statement-breakpoint
DROP TABLE `scan_rollup_dims`;--> statement-breakpoint
ALTER TABLE `__new_scan_rollup_dims` RENAME TO `scan_rollup_dims`;--> statement-breakpoint
CREATE TABLE `__new_scan_rollup_hourly` (
	`org_id` text NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`bucket` integer NOT NULL,
	`country` text NOT NULL,
	`lot` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`org_id`, `bucket`, `key_ai`, `key_value`, `shard`, `country`, `lot`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_scan_rollup_hourly`("org_id", "key_ai", "key_value", "shard", "bucket", "country", "lot", "is_bot", "scans") SELECT "org_id", "key_ai", "key_value", "shard", "bucket", "country", "lot", "is_bot", "scans" FROM `scan_rollup_hourly` WHERE "org_id" IS NOT NULL;--> statement-breakpoint
DROP TABLE `scan_rollup_hourly`;--> statement-breakpoint
ALTER TABLE `__new_scan_rollup_hourly` RENAME TO `scan_rollup_hourly`;--> statement-breakpoint
CREATE TABLE `__new_scan_rollup_scanners` (
	`org_id` text NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`day` integer NOT NULL,
	`is_bot` integer NOT NULL,
	`scanners` integer NOT NULL,
	PRIMARY KEY(`org_id`, `day`, `key_ai`, `key_value`, `shard`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_scan_rollup_scanners`("org_id", "key_ai", "key_value", "shard", "day", "is_bot", "scanners") SELECT "org_id", "key_ai", "key_value", "shard", "day", "is_bot", "scanners" FROM `scan_rollup_scanners` WHERE "org_id" IS NOT NULL;--> statement-breakpoint
DROP TABLE `scan_rollup_scanners`;--> statement-breakpoint
ALTER TABLE `__new_scan_rollup_scanners` RENAME TO `scan_rollup_scanners`;--> statement-breakpoint
CREATE TABLE `__new_scan_rollup_serials` (
	`org_id` text NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`serial` text NOT NULL,
	`lot` text NOT NULL,
	`scans` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `key_ai`, `key_value`, `shard`, `serial`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_scan_rollup_serials`("org_id", "key_ai", "key_value", "shard", "serial", "lot", "scans", "first_at", "last_at") SELECT "org_id", "key_ai", "key_value", "shard", "serial", "lot", "scans", "first_at", "last_at" FROM `scan_rollup_serials` WHERE "org_id" IS NOT NULL;--> statement-breakpoint
DROP TABLE `scan_rollup_serials`;--> statement-breakpoint
ALTER TABLE `__new_scan_rollup_serials` RENAME TO `scan_rollup_serials`;
--> statement-breakpoint
CREATE TABLE `__new_scan_rollup_org_hourly` (
	`org_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`org_id`, `bucket`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_scan_rollup_org_hourly`("org_id", "bucket", "is_bot", "scans") SELECT "org_id", "bucket", "is_bot", "scans" FROM `scan_rollup_org_hourly`;--> statement-breakpoint
DROP TABLE `scan_rollup_org_hourly`;--> statement-breakpoint
ALTER TABLE `__new_scan_rollup_org_hourly` RENAME TO `scan_rollup_org_hourly`;
