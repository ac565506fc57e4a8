// Anomaly alerts, their per-organisation thresholds, the serials brands registered as issued, and
// webhook endpoints with their delivery log (PRODUCT.md C9).
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AlertEvidence } from '../../alerts/alert-evidence';
import type { AlertSettingsInput } from '../../alerts/alert-settings';
import { brands, organizations } from './accounts';
import { locations } from './inventory';

export const ALERT_TYPES = [
  'serial_overscanned',
  'impossible_travel',
  'unauthorised_market',
  'serial_not_issued',
  'volume_spike',
  'recalled_lot',
  'expired_product',
  'blocked_code_scanned',
  'unexpected_location',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const alerts = sqliteTable(
  'alerts',
  {
    /** `alt_…` */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ALERT_TYPES }).notNull(),
    severity: text('severity', { enum: ALERT_SEVERITIES }).notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    /** 14 digits: detectors run on GTIN scans (AI 01). */
    gtin: text('gtin').notNull(),
    lot: text('lot'),
    serial: text('serial'),
    /**
     * What makes two detections "the same pattern": type, GTIN and subject (serial, lot, country).
     * One open alert per key; a repeat bumps `occurrences` and `last_seen_at` instead of adding a row.
     */
    dedupeKey: text('dedupe_key').notNull(),
    occurrences: integer('occurrences').notNull(),
    /** Scan times (epoch ms) of the first and latest detection. */
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** The scans behind the latest detection: places and times, never addresses or scanner hashes. */
    evidence: text('evidence', { mode: 'json' }).$type<AlertEvidence>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedByKeyId: text('acknowledged_by_key_id'),
  },
  (t) => [
    // The upsert's conflict target: once acknowledged, a repeat opens a new alert.
    uniqueIndex('alerts_open_dedupe').on(t.orgId, t.dedupeKey).where(sql`status = 'open'`),
    // Lists, newest first (keyset on created_at, id).
    index('alerts_org_created').on(t.orgId, t.createdAt, t.id),
  ],
);

/**
 * Alert outbox batches a ScanCounter has applied to `alerts`, by the token the object gave the batch
 * before sending it (src/alerts/alert-upsert.ts): a batch sent again after a reset or a lost answer
 * finds its token and changes nothing. Kept a week (the cron prunes older tokens); a batch is
 * retried within minutes.
 */
export const alertFlushes = sqliteTable(
  'alert_flushes',
  {
    token: text('token').primaryKey(),
    appliedAt: integer('applied_at').notNull(),
  },
  (t) => [index('alert_flushes_applied').on(t.appliedAt)],
);

/** Per-organisation detector thresholds; only what the organisation set (defaults fill the rest). */
export const alertSettings = sqliteTable('alert_settings', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  settings: text('settings', { mode: 'json' }).$type<AlertSettingsInput>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A brand's own detector thresholds, over its organisation's (PRODUCT.md C9): only what the brand
 * set; the rest comes from the organisation's settings, then the defaults. The detectors apply
 * them to the GTINs the brand's products carry.
 */
export const brandAlertSettings = sqliteTable('brand_alert_settings', {
  brandId: text('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  orgId: text('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  settings: text('settings', { mode: 'json' }).$type<AlertSettingsInput>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const ISSUED_SERIAL_KINDS = ['range', 'list'] as const;
export type IssuedSerialKind = (typeof ISSUED_SERIAL_KINDS)[number];

/**
 * Serials a brand says it issued for a GTIN: numeric ranges and explicit lists. Registrations are
 * immutable (create, delete), so a ScanCounter can cache a list's contents by id for good.
 */
export const issuedSerials = sqliteTable(
  'issued_serials',
  {
    /** `isr_…` */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    gtin: text('gtin').notNull(),
    kind: text('kind', { enum: ISSUED_SERIAL_KINDS }).notNull(),
    /** Ranges: decimal digits without leading zeros (compared as integers, up to 20 digits). */
    rangeFirst: text('range_first'),
    rangeLast: text('range_last'),
    /** Lists: the serials, as printed. */
    serials: text('serials', { mode: 'json' }).$type<string[]>(),
    serialCount: integer('serial_count').notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('issued_serials_org_gtin').on(t.orgId, t.gtin, t.createdAt)],
);

export const webhooks = sqliteTable(
  'webhooks',
  {
    /** `whk_…` */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types (`product.recalled`), families (`alert.*`) or `*` (src/alerts/webhooks/webhook-event-types.ts). */
    eventTypes: text('event_types', { mode: 'json' }).$type<string[]>().notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** The signing secret (`whsec_…`), sealed with AES-GCM under SECRETS_KEY (src/crypto/sealed-secret.ts). */
    secretSealed: text('secret_sealed').notNull(),
    /** After a rotation, the previous secret keeps signing beside the new one until this time. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: integer('previous_secret_expires_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('webhooks_org').on(t.orgId, t.createdAt)],
);

export const WEBHOOK_DELIVERY_STATUSES = ['succeeded', 'failed', 'dead_lettered'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One row per delivery attempt. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** `whd_…` */
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** The event's id (`evt_…`), the same in every attempt and for every endpoint: receivers dedupe by it. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    alertId: text('alert_id'),
    /** 1 for the first try. */
    attempt: integer('attempt').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    responseStatus: integer('response_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    /** When the queue will try again (failed attempts that are not the last). */
    nextAttemptAt: integer('next_attempt_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_deliveries_webhook').on(t.webhookId, t.createdAt, t.id)],
);

/**
 * Every event sent to at least one endpoint, as signed and sent (the same bytes on every attempt
 * and endpoint): what a replay sends again. Kept 30 days (the cron prunes older ones).
 */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    /** `evt_…`; for an alert's opening, derived from the alert's id. */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    // The cron's pruning, and an organisation's erasure.
    index('webhook_events_created').on(t.createdAt),
    index('webhook_events_org').on(t.orgId, t.createdAt),
  ],
);

/**
 * The last sync time each store was reported stale for (`inventory.stale`): a store is reported
 * once per silence, and again only after it has synced and fallen silent anew.
 */
export const staleLocationReports = sqliteTable('stale_location_reports', {
  locationId: text('location_id')
    .primaryKey()
    .references(() => locations.id, { onDelete: 'cascade' }),
  orgId: text('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  lastSyncedAt: integer('last_synced_at').notNull(),
  reportedAt: integer('reported_at').notNull(),
});

export type Alert = typeof alerts.$inferSelect;
export type IssuedSerialRegistration = typeof issuedSerials.$inferSelect;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
