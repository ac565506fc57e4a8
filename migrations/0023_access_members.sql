CREATE TABLE `access_members` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_members_org_subject` ON `access_members` (`org_id`,`kind`,`subject`);--> statement-breakpoint
CREATE INDEX `access_members_subject` ON `access_members` (`kind`,`subject`);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `actor` text;