CREATE TABLE `blocked_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`gtin` text NOT NULL,
	`lot` text DEFAULT '' NOT NULL,
	`serial` text DEFAULT '' NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`alert_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blocked_codes_code` ON `blocked_codes` (`org_id`,`gtin`,`lot`,`serial`);--> statement-breakpoint
CREATE INDEX `blocked_codes_org_created` ON `blocked_codes` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `blocked_codes_gtin` ON `blocked_codes` (`gtin`);--> statement-breakpoint
ALTER TABLE `brands` ADD `contact` text;