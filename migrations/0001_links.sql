CREATE TABLE `dl_entities` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`key_ai` text NOT NULL,
	`key_value` text NOT NULL,
	`qualifier_path` text NOT NULL,
	`qualifier_template` text NOT NULL,
	`item_description` text NOT NULL,
	`matches_prefix` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dl_entities_key_path` ON `dl_entities` (`key_ai`,`key_value`,`qualifier_path`);--> statement-breakpoint
CREATE INDEX `dl_entities_org` ON `dl_entities` (`org_id`,`key_ai`,`key_value`);--> statement-breakpoint
CREATE TABLE `dl_links` (
	`id` text PRIMARY KEY NOT NULL,
	`entity_id` text NOT NULL,
	`org_id` text NOT NULL,
	`position` integer NOT NULL,
	`link_type` text NOT NULL,
	`href` text NOT NULL,
	`title` text NOT NULL,
	`hreflang` text DEFAULT '[]' NOT NULL,
	`context` text DEFAULT '[]' NOT NULL,
	`media_type` text,
	`is_default` integer DEFAULT false NOT NULL,
	`forward_query` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`entity_id`) REFERENCES `dl_entities`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dl_links_entity` ON `dl_links` (`entity_id`,`position`);