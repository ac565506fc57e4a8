// Blocked codes (issue 24): a GTIN, one lot of it or one serial that the resolver answers with
// its own warning page instead of the brand's destination.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organizations } from './accounts';

export const BLOCK_SOURCES = ['api', 'auto'] as const;
export type BlockSource = (typeof BLOCK_SOURCES)[number];

export const blockedCodes = sqliteTable(
  'blocked_codes',
  {
    /** `blk_…` */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** 14 digits. */
    gtin: text('gtin').notNull(),
    /** '' when the block is not of one lot ('' rather than NULL so the unique index sees duplicates). */
    lot: text('lot').notNull().default(''),
    /** '' when the block is not of one serial; a serial block matches its serial in every lot. */
    serial: text('serial').notNull().default(''),
    /** Internal: shown to the brand, never to consumers. */
    reason: text('reason').notNull(),
    /** `api` (a person), `auto` (an alert with auto_block on). */
    source: text('source', { enum: BLOCK_SOURCES }).notNull(),
    /** The alert an automatic block came from. */
    alertId: text('alert_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    // One block per code; also the resolver's read of a GTIN's blocks (org first: the trusted holder).
    uniqueIndex('blocked_codes_code').on(t.orgId, t.gtin, t.lot, t.serial),
    // Lists, newest first (keyset on created_at, id).
    index('blocked_codes_org_created').on(t.orgId, t.createdAt, t.id),
    // The resolver reads a GTIN's blocks before it knows whose they are.
    index('blocked_codes_gtin').on(t.gtin),
  ],
);

export type BlockedCode = typeof blockedCodes.$inferSelect;
