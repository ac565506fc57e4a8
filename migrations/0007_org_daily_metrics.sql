CREATE TABLE `org_daily_metrics` (
	`org_id` text NOT NULL,
	`day` integer NOT NULL,
	`average_completeness` real,
	`products` integer NOT NULL,
	`active_locations` integer NOT NULL,
	PRIMARY KEY(`org_id`, `day`)
);
