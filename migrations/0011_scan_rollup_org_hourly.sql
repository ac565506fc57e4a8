-- Scans per organisation and hour (src/db/schema/scans.ts, scanRollupOrgHourly), so that the
-- dashboard's unfiltered totals and series read one or two rows per hour instead of every
-- key × country × lot row of the hour, whose number grows with the scans (bench/RESULTS.md).
--
-- Kept in step with scan_rollup_hourly by triggers that add what each write changed there. The
-- ScanCounter flush upserts absolute counts, so a repeated flush changes nothing here either.
-- Anything that rebuilds scan_rollup_hourly wholesale (a drizzle-kit table rebuild drops these
-- triggers) must re-create the triggers and re-run the backfill below.
CREATE TABLE `scan_rollup_org_hourly` (
	`org_id` text NOT NULL,
	`hour` integer NOT NULL,
	`is_bot` integer NOT NULL,
	`scans` integer NOT NULL,
	PRIMARY KEY(`org_id`, `hour`, `is_bot`)
);
--> statement-breakpoint
INSERT INTO `scan_rollup_org_hourly` (org_id, hour, is_bot, scans)
  SELECT org_id, hour, is_bot, sum(scans) FROM `scan_rollup_hourly` WHERE org_id IS NOT NULL GROUP BY org_id, hour, is_bot;
--> statement-breakpoint
CREATE TRIGGER `scan_rollup_org_hourly_insert` AFTER INSERT ON `scan_rollup_hourly` WHEN new.org_id IS NOT NULL BEGIN
  INSERT INTO scan_rollup_org_hourly (org_id, hour, is_bot, scans) VALUES (new.org_id, new.hour, new.is_bot, new.scans)
    ON CONFLICT (org_id, hour, is_bot) DO UPDATE SET scans = scans + excluded.scans;
END;
--> statement-breakpoint
-- A flush that resends a row unchanged (a retry) skips this trigger altogether.
CREATE TRIGGER `scan_rollup_org_hourly_update` AFTER UPDATE OF org_id, hour, is_bot, scans ON `scan_rollup_hourly`
  WHEN old.scans <> new.scans OR old.org_id IS NOT new.org_id OR old.hour <> new.hour OR old.is_bot <> new.is_bot BEGIN
  UPDATE scan_rollup_org_hourly SET scans = scans - old.scans WHERE org_id = old.org_id AND hour = old.hour AND is_bot = old.is_bot;
  INSERT INTO scan_rollup_org_hourly (org_id, hour, is_bot, scans) SELECT new.org_id, new.hour, new.is_bot, new.scans WHERE new.org_id IS NOT NULL
    ON CONFLICT (org_id, hour, is_bot) DO UPDATE SET scans = scans + excluded.scans;
END;
--> statement-breakpoint
CREATE TRIGGER `scan_rollup_org_hourly_delete` AFTER DELETE ON `scan_rollup_hourly` WHEN old.org_id IS NOT NULL BEGIN
  UPDATE scan_rollup_org_hourly SET scans = scans - old.scans WHERE org_id = old.org_id AND hour = old.hour AND is_bot = old.is_bot;
END;
