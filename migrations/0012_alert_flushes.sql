CREATE TABLE `alert_flushes` (
	`token` text PRIMARY KEY NOT NULL,
	`applied_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_flushes_applied` ON `alert_flushes` (`applied_at`);