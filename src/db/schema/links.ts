// What the resolver resolves to (PRODUCT.md C2, GS1 part). An entity is one identification level
// of a primary key — a GTIN, a GTIN + lot, a GTIN + lot + serial, a GIAI … — with its links.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organizations } from './accounts';

export const dlEntities = sqliteTable(
  'dl_entities',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    keyAi: text('key_ai').notNull(),
    /** Normalised primary key value (a GTIN is always 14 digits). */
    keyValue: text('key_value').notNull(),
    /**
     * Canonical qualifier path: '' for the key itself, else `/10/<lot>/21/<serial>` with each value
     * percent-encoded and `{}` for "any value". Braces are outside the GS1 character sets, so a
     * wildcard can never collide with a real value. This is what the resolver looks up.
     */
    qualifierPath: text('qualifier_path').notNull(),
    /** The qualifier path as the brand wrote it, keeping wildcard names like `{lotnumber}`. */
    qualifierTemplate: text('qualifier_template').notNull(),
    itemDescription: text('item_description').notNull(),
    /** 1 when a link uses `{0}`/`{1}`: the entity then also answers longer values of a serialised key (GIAI, GRAI, SSCC). */
    matchesPrefix: integer('matches_prefix', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('dl_entities_key_path').on(t.keyAi, t.keyValue, t.qualifierPath),
    index('dl_entities_org').on(t.orgId, t.keyAi, t.keyValue),
  ],
);

export const dlLinks = sqliteTable(
  'dl_links',
  {
    id: text('id').primaryKey(),
    entityId: text('entity_id')
      .notNull()
      .references(() => dlEntities.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    position: integer('position').notNull(),
    /** `gs1:<term>` for GS1 vocabulary types, otherwise a full URI. */
    linkType: text('link_type').notNull(),
    href: text('href').notNull(),
    title: text('title').notNull(),
    /** JSON array of BCP 47 tags; empty = any language. */
    hreflang: text('hreflang').notNull().default('[]'),
    /** JSON array of context values (e.g. a jurisdiction); empty = no context. */
    context: text('context').notNull().default('[]'),
    mediaType: text('media_type'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    /** Forward the scan's query string to the target (GS1 `fwqs`). */
    forwardQuery: integer('forward_query', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('dl_links_entity').on(t.entityId, t.position)],
);

export type DlEntityRow = typeof dlEntities.$inferSelect;
export type DlLinkRow = typeof dlLinks.$inferSelect;
