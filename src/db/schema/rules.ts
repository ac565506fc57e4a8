// Brand resolution rules and the health of their destination URLs (PRODUCT.md C2, brand part).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { RuleConditions } from '../../rules/rule-conditions';
import { brands, organizations } from './accounts';

/** Most specific first: the order in which the resolver tries the scopes. */
export const RULE_SCOPES = ['SERIAL', 'BATCH', 'PRODUCT', 'BRAND', 'ORGANIZATION'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export const RULE_DESTINATION_TYPES = ['url', 'hosted_page'] as const;
export type RuleDestinationType = (typeof RULE_DESTINATION_TYPES)[number];

/** What a rule does when the URL-health check has marked its custom URL dead. */
export const DEAD_URL_POLICIES = ['skip_rule', 'hosted_page'] as const;
export type DeadUrlPolicy = (typeof DEAD_URL_POLICIES)[number];

export const resolutionRules = sqliteTable(
  'resolution_rules',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** A client's own name for the rule, unique in the organisation: lets seeds and syncs upsert. */
    clientKey: text('client_key'),
    name: text('name').notNull(),
    scope: text('scope', { enum: RULE_SCOPES }).notNull(),
    /** The scope's place in evaluation order (1 = SERIAL … 5 = ORGANIZATION); lists sort by it. */
    scopeRank: integer('scope_rank').notNull(),
    /** 14 digits, for SERIAL, BATCH and PRODUCT rules. */
    gtin: text('gtin'),
    lot: text('lot'),
    serial: text('serial'),
    /** For BRAND rules: the brand of the scanned product (`products.brand_id`). */
    brandId: text('brand_id').references(() => brands.id, { onDelete: 'cascade' }),
    /**
     * The scope id as one string: '' (ORGANIZATION), the brand id, the GTIN, `<gtin>/10/<lot>` or
     * `<gtin>/21/<serial>` (values percent-encoded). `order_index` is unique per scope key.
     */
    scopeKey: text('scope_key').notNull(),
    orderIndex: integer('order_index').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** All optional and AND-ed; see src/rules/rule-conditions.ts. */
    conditions: text('conditions', { mode: 'json' }).$type<RuleConditions>().notNull(),
    destinationType: text('destination_type', { enum: RULE_DESTINATION_TYPES }).notNull(),
    /** For `url` destinations: an absolute http(s) URL, possibly with `{gtin}`-style placeholders. */
    destinationUrl: text('destination_url'),
    forwardQuery: integer('forward_query', { mode: 'boolean' }).notNull(),
    /** The concrete URL the health check requests for this destination (placeholders filled or dropped). */
    healthUrl: text('health_url'),
    deadUrlPolicy: text('dead_url_policy', { enum: DEAD_URL_POLICIES }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // `order_index` unique within its scope. scope_rank stands for the scope (one rank per scope),
    // which also makes this the index of the list order.
    uniqueIndex('resolution_rules_scope_order').on(t.orgId, t.scopeRank, t.scopeKey, t.orderIndex),
    uniqueIndex('resolution_rules_client_key').on(t.orgId, t.clientKey),
    // The resolver loads a scanned GTIN's SERIAL, BATCH and PRODUCT rules by GTIN.
    index('resolution_rules_gtin').on(t.gtin),
    index('resolution_rules_health_url').on(t.healthUrl),
  ],
);

/** One row per destination URL in use, written by the scheduled URL-health check. */
export const urlHealth = sqliteTable('url_health', {
  url: text('url').primaryKey(),
  consecutiveFailures: integer('consecutive_failures').notNull(),
  /** Set after URL_DEAD_AFTER_FAILURES failed checks in a row; cleared by one success. */
  dead: integer('dead', { mode: 'boolean' }).notNull(),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  lastCheckedAt: integer('last_checked_at').notNull(),
  deadSince: integer('dead_since'),
});

export type ResolutionRule = typeof resolutionRules.$inferSelect;
export type UrlHealth = typeof urlHealth.$inferSelect;
