// How long an organisation's scan data is kept, per store (ARCHITECTURE.md, "Scan storage").
// No row means the defaults. The cron enforces it (src/storage/retention.ts).
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organizations } from './accounts';

export const DEFAULT_RAW_RECENT_DAYS = 35;
export const DEFAULT_ROLLUP_DAYS = 400;

export const storageSettings = sqliteTable('storage_settings', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** Days of raw scan events D1 keeps for quick exports (older ones are read from the R2 archive). */
  rawRecentDays: integer('raw_recent_days').notNull().default(DEFAULT_RAW_RECENT_DAYS),
  /** Days of raw scan events the R2 archive keeps; null keeps them until the organisation closes. */
  rawArchiveDays: integer('raw_archive_days'),
  /** Days of roll-ups (dashboard figures) kept. */
  rollupDays: integer('rollup_days').notNull().default(DEFAULT_ROLLUP_DAYS),
  updatedAt: integer('updated_at').notNull(),
});
