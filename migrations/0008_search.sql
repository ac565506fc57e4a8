CREATE TABLE `search_clicks` (
	`search_id` text NOT NULL,
	`position` integer NOT NULL,
	`gtin` text NOT NULL,
	`org_id` text NOT NULL,
	`query` text NOT NULL,
	`shown_at` integer NOT NULL,
	`clicked_at` integer NOT NULL,
	PRIMARY KEY(`search_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `search_clicks_org_time` ON `search_clicks` (`org_id`,`clicked_at`);--> statement-breakpoint
CREATE INDEX `search_clicks_org_gtin_time` ON `search_clicks` (`org_id`,`gtin`,`clicked_at`);--> statement-breakpoint
CREATE TABLE `search_impressions` (
	`search_id` text NOT NULL,
	`position` integer NOT NULL,
	`gtin` text NOT NULL,
	`org_id` text NOT NULL,
	`query` text NOT NULL,
	`latitude` real NOT NULL,
	`longitude` real NOT NULL,
	`nearest_store_km` real,
	`in_stock_nearby` integer NOT NULL,
	`shown_at` integer NOT NULL,
	PRIMARY KEY(`search_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `search_impressions_org_time` ON `search_impressions` (`org_id`,`shown_at`);--> statement-breakpoint
CREATE INDEX `search_impressions_org_gtin_time` ON `search_impressions` (`org_id`,`gtin`,`shown_at`);--> statement-breakpoint
CREATE TABLE `searches` (
	`id` text PRIMARY KEY NOT NULL,
	`query` text NOT NULL,
	`query_kind` text NOT NULL,
	`result_count` integer NOT NULL,
	`shown_count` integer NOT NULL,
	`latitude` real NOT NULL,
	`longitude` real NOT NULL,
	`radius_km` real NOT NULL,
	`in_stock_only` integer NOT NULL,
	`searched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `searches_time` ON `searches` (`searched_at`);--> statement-breakpoint
CREATE INDEX `locations_lat_lng` ON `locations` (`latitude`,`longitude`);