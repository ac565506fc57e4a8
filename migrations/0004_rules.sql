CREATE TABLE `resolution_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`client_key` text,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`scope_rank` integer NOT NULL,
	`gtin` text,
	`lot` text,
	`serial` text,
	`brand_id` text,
	`scope_key` text NOT NULL,
	`order_index` integer NOT NULL,
	`enabled` integer NOT NULL,
	`conditions` text NOT NULL,
	`destination_type` text NOT NULL,
	`destination_url` text,
	`forward_query` integer NOT NULL,
	`health_url` text,
	`dead_url_policy` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`brand_id`) REFERENCES `brands`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resolution_rules_scope_order` ON `resolution_rules` (`org_id`,`scope_rank`,`scope_key`,`order_index`);--> statement-breakpoint
CREATE UNIQUE INDEX `resolution_rules_client_key` ON `resolution_rules` (`org_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `resolution_rules_gtin` ON `resolution_rules` (`gtin`);--> statement-breakpoint
CREATE INDEX `resolution_rules_health_url` ON `resolution_rules` (`health_url`);--> statement-breakpoint
CREATE TABLE `url_health` (
	`url` text PRIMARY KEY NOT NULL,
	`consecutive_failures` integer NOT NULL,
	`dead` integer NOT NULL,
	`last_status` integer,
	`last_error` text,
	`last_checked_at` integer NOT NULL,
	`dead_since` integer
);
