CREATE TABLE `scan_rollup_scanner_exact` (
	`org_id` text NOT NULL,
	`dim` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`is_bot` integer NOT NULL,
	`fp` integer NOT NULL,
	PRIMARY KEY(`org_id`, `dim`, `day`, `value`, `is_bot`, `fp`)
);
--> statement-breakpoint
CREATE TABLE `scan_rollup_scanner_sketch` (
	`org_id` text NOT NULL,
	`dim` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`is_bot` integer NOT NULL,
	`register` integer NOT NULL,
	`rank` integer NOT NULL,
	PRIMARY KEY(`org_id`, `dim`, `day`, `value`, `is_bot`, `register`)
);
