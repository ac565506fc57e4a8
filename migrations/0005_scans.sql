CREATE TABLE `scan_events` (
	`id` text PRIMARY KEY NOT NULL,
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
CREATE INDEX `scan_events_org_time` ON `scan_events` (`org_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `scan_events_key_time` ON `scan_events` (`key_ai`,`key_value`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `scan_rollup_dims` (
	`org_id` text,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`hour` integer NOT NULL,
	`dim` text NOT NULL,
	`value` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`key_ai`, `key_value`, `shard`, `hour`, `dim`, `value`, `is_bot`)
);
--> statement-breakpoint
CREATE INDEX `scan_rollup_dims_org` ON `scan_rollup_dims` (`org_id`,`dim`,`hour`);--> statement-breakpoint
CREATE TABLE `scan_rollup_hourly` (
	`org_id` text,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`hour` integer NOT NULL,
	`country` text NOT NULL,
	`lot` text NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`key_ai`, `key_value`, `shard`, `hour`, `country`, `lot`, `is_bot`)
);
--> statement-breakpoint
CREATE INDEX `scan_rollup_hourly_org` ON `scan_rollup_hourly` (`org_id`,`hour`);--> statement-breakpoint
CREATE TABLE `scan_rollup_scanners` (
	`org_id` text,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`day` integer NOT NULL,
	`is_bot` integer NOT NULL,
	`scanners` integer NOT NULL,
	PRIMARY KEY(`key_ai`, `key_value`, `shard`, `day`, `is_bot`)
);
--> statement-breakpoint
CREATE INDEX `scan_rollup_scanners_org` ON `scan_rollup_scanners` (`org_id`,`day`);--> statement-breakpoint
CREATE TABLE `scan_rollup_serials` (
	`org_id` text,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`shard` integer NOT NULL,
	`serial` text NOT NULL,
	`lot` text NOT NULL,
	`scans` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`key_ai`, `key_value`, `shard`, `serial`)
);
--> statement-breakpoint
CREATE INDEX `scan_rollup_serials_org` ON `scan_rollup_serials` (`org_id`,`key_value`);