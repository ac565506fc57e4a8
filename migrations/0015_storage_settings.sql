CREATE TABLE `storage_settings` (
	`org_id` text PRIMARY KEY NOT NULL,
	`raw_recent_days` integer DEFAULT 35 NOT NULL,
	`raw_archive_days` integer,
	`rollup_days` integer DEFAULT 400 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
