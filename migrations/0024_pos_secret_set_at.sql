ALTER TABLE `locations` ADD `shopify_webhook_secret_set_at` integer;--> statement-breakpoint
ALTER TABLE `locations` ADD `square_signature_key_set_at` integer;