CREATE TABLE `company_prefixes` (
	`kind` text NOT NULL,
	`prefix` text NOT NULL,
	`org_id` text NOT NULL,
	`granted_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `prefix`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `company_prefixes_org` ON `company_prefixes` (`org_id`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `holds_all_prefixes` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Organisations that existed before grants keep publishing as they did (no outage on deploy);
-- the operator grants their prefixes and then takes "all prefixes" away (README: Deploying).
UPDATE `organizations` SET `holds_all_prefixes` = 1;
--> statement-breakpoint
-- One holder per number: a prefix may not start, or be started by, another organisation's prefix.
CREATE TRIGGER `company_prefixes_single_holder`
BEFORE INSERT ON `company_prefixes`
WHEN EXISTS (
  SELECT 1 FROM `company_prefixes` other
  WHERE other.kind = NEW.kind AND other.org_id <> NEW.org_id
    AND (substr(NEW.prefix, 1, length(other.prefix)) = other.prefix
      OR substr(other.prefix, 1, length(NEW.prefix)) = NEW.prefix)
)
BEGIN
  SELECT RAISE(ABORT, 'company_prefix_held_by_another_organisation');
END;
