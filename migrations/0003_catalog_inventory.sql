CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`brand_id` text,
	`gtin` text NOT NULL,
	`status` text NOT NULL,
	`fields` text NOT NULL,
	`authorised_markets` text NOT NULL,
	`recalled_lots` text NOT NULL,
	`completeness_score` integer NOT NULL,
	`completeness_band` text NOT NULL,
	`completeness_recommendations` text NOT NULL,
	`name` text GENERATED ALWAYS AS (json_extract(fields, '$.name.value')) VIRTUAL,
	`category` text GENERATED ALWAYS AS (json_extract(fields, '$.category.value')) VIRTUAL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`brand_id`) REFERENCES `brands`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_org_gtin` ON `products` (`org_id`,`gtin`);--> statement-breakpoint
CREATE INDEX `products_gtin` ON `products` (`gtin`);--> statement-breakpoint
CREATE TABLE `inventory` (
	`location_id` text NOT NULL,
	`org_id` text NOT NULL,
	`gtin` text NOT NULL,
	`quantity` integer NOT NULL,
	`price` real,
	`currency` text,
	`status` text NOT NULL,
	`synced_at` integer NOT NULL,
	`source` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`location_id`, `gtin`),
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inventory_org_gtin` ON `inventory` (`org_id`,`gtin`,`location_id`);--> statement-breakpoint
CREATE INDEX `inventory_location_synced` ON `inventory` (`location_id`,`synced_at`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`address_line1` text NOT NULL,
	`address_line2` text,
	`city` text NOT NULL,
	`region` text,
	`postal_code` text,
	`country` text NOT NULL,
	`latitude` real NOT NULL,
	`longitude` real NOT NULL,
	`timezone` text NOT NULL,
	`shopify_location_id` text,
	`square_location_id` text,
	`shopify_webhook_secret` text,
	`square_signature_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `locations_org_name` ON `locations` (`org_id`,`name`,`id`);--> statement-breakpoint
CREATE TABLE `pos_item_mappings` (
	`location_id` text NOT NULL,
	`platform` text NOT NULL,
	`pos_item_id` text NOT NULL,
	`gtin` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`location_id`, `platform`, `pos_item_id`),
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE cascade
);
