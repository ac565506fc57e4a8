// Stores, their POS inventory and the POS item → GTIN mappings (PRODUCT.md C5).
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organizations } from './accounts';

export const POS_PLATFORMS = ['shopify', 'square'] as const;
export type PosPlatform = (typeof POS_PLATFORMS)[number];

export const INVENTORY_STATUSES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

/** Where an inventory row last came from. */
export const INVENTORY_SOURCES = ['api', ...POS_PLATFORMS] as const;
export type InventorySource = (typeof INVENTORY_SOURCES)[number];

export const locations = sqliteTable(
  'locations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    addressLine1: text('address_line1').notNull(),
    addressLine2: text('address_line2'),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code'),
    /** ISO 3166-1 alpha-2. */
    country: text('country').notNull(),
    latitude: real('latitude').notNull(),
    longitude: real('longitude').notNull(),
    /** Canonical IANA time zone name, e.g. `Europe/Paris`. */
    timezone: text('timezone').notNull(),
    /** The store's id in Shopify / Square; webhook events for other POS locations are ignored. */
    shopifyLocationId: text('shopify_location_id'),
    squareLocationId: text('square_location_id'),
    /**
     * Webhook HMAC keys, sealed with AES-GCM under the SECRETS_KEY Worker secret
     * (src/crypto/sealed-secret.ts). They are shared secrets we must use to verify, so unlike API
     * keys they cannot be stored as hashes; they are never returned by the API.
     */
    shopifyWebhookSecret: text('shopify_webhook_secret'),
    squareSignatureKey: text('square_signature_key'),
    /** When each secret was last set: the dashboard says "secret set on …", never the secret. */
    shopifyWebhookSecretSetAt: integer('shopify_webhook_secret_set_at'),
    squareSignatureKeySetAt: integer('square_signature_key_set_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('locations_org_name').on(t.orgId, t.name, t.id),
    // Search's bounding box (src/search): a latitude range scan, longitude checked in the index.
    index('locations_lat_lng').on(t.latitude, t.longitude),
  ],
);

export const inventory = sqliteTable(
  'inventory',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    /** 14 digits; need not be in the organisation's catalog (stores sell other brands). */
    gtin: text('gtin').notNull(),
    quantity: integer('quantity').notNull(),
    /** Shelf price for display (never summed), in `currency` (ISO 4217 alpha-3). */
    price: real('price'),
    currency: text('currency'),
    status: text('status', { enum: INVENTORY_STATUSES }).notNull(),
    /** When the POS counted it; an update with an older synced_at never overwrites a newer one. */
    syncedAt: integer('synced_at').notNull(),
    source: text('source', { enum: INVENTORY_SOURCES }).notNull(),
    /** When we last wrote the row. */
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.gtin] }),
    // "Where is this GTIN in stock" (search), and the order of inventory lists.
    index('inventory_org_gtin').on(t.orgId, t.gtin, t.locationId),
    // "Is this store active": its newest synced_at.
    index('inventory_location_synced').on(t.locationId, t.syncedAt),
  ],
);

export const posItemMappings = sqliteTable(
  'pos_item_mappings',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: POS_PLATFORMS }).notNull(),
    /** Shopify inventory_item_id or Square catalog_object_id (the item variation). */
    posItemId: text('pos_item_id').notNull(),
    gtin: text('gtin').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.platform, t.posItemId] })],
);

export type Location = typeof locations.$inferSelect;
export type InventoryRow = typeof inventory.$inferSelect;
export type PosItemMapping = typeof posItemMappings.$inferSelect;
