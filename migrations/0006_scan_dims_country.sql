PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_scan_rollup_dims` (
	`org_id` text,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`hour` integer NOT NULL,
	`dim` text NOT NULL,
	`value` text NOT NULL,
	`country` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`key_ai`, `key_value`, `shard`, `hour`, `dim`, `value`, `country`, `is_bot`)
);
--> statement-breakpoint
INSERT INTO `__new_scan_rollup_dims`("org_id", "key_ai", "key_value", "shard", "hour", "dim", "value", "country", "is_bot", "scans") SELECT "org_id", "key_ai", "key_value", "shard", "hour", "dim", "value", "country", "is_bot", "scans" FROM `scan_rollup_dims`;--> statement-breakpoint
DROP TABLE `scan_rollup_dims`;--> statement-breakpoint
ALTER TABLE `__new_scan_rollup_dims` RENAME TO `scan_rollup_dims`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `scan_rollup_dims_org` ON `scan_rollup_dims` (`org_id`,`dim`,`hour`);