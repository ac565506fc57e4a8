// Organisations, brands and API keys (PRODUCT.md C10).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const organizations = sqliteTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
  /**
   * A single-brand deployment's organisation: it may publish any key no other organisation holds
   * by an explicit grant (src/accounts/company-prefix.ts). Set only by the operator.
   */
  holdsAllPrefixes: integer('holds_all_prefixes', { mode: 'boolean' }).notNull().default(false),
});

export const GRANT_KINDS = ['gcp', 'gtin8'] as const;

/** The GS1 Company Prefixes (and GTIN-8s) the operator granted each organisation; one holder each. */
export const companyPrefixes = sqliteTable(
  'company_prefixes',
  {
    kind: text('kind', { enum: GRANT_KINDS }).notNull(),
    prefix: text('prefix').notNull(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    grantedAt: integer('granted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.prefix] }), index('company_prefixes_org').on(t.orgId)],
);

export const brands = sqliteTable(
  'brands',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Where consumers reach the brand (an email address or an https URL): the blocked-code warning page shows it. */
    contact: text('contact'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('brands_org_name').on(t.orgId, t.name)],
);

export const API_KEY_ROLES = ['owner', 'manager', 'editor', 'readonly'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The visible start of the key (e.g. `dle_k7Qx2m9A`), shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** Hex SHA-256 of the whole key; the key itself is never stored. */
    keyHash: text('key_hash').notNull(),
    role: text('role', { enum: API_KEY_ROLES }).notNull(),
    expiresAt: integer('expires_at'),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
    /** Id of the key that created this one; null for keys made by the bootstrap script. */
    createdByKeyId: text('created_by_key_id'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_org').on(t.orgId, t.createdAt)],
);

export type Organization = typeof organizations.$inferSelect;
export type Brand = typeof brands.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;

export const ACCESS_MEMBER_KINDS = ['email', 'group'] as const;
export type AccessMemberKind = (typeof ACCESS_MEMBER_KINDS)[number];

/**
 * People signing in through Cloudflare Access (src/accounts/access-sign-in.ts): an email address
 * or an identity-provider group, given a role in one organisation. Subjects are stored lowercased.
 */
export const accessMembers = sqliteTable(
  'access_members',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ACCESS_MEMBER_KINDS }).notNull(),
    subject: text('subject').notNull(),
    role: text('role', { enum: API_KEY_ROLES }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('access_members_org_subject').on(t.orgId, t.kind, t.subject),
    index('access_members_subject').on(t.kind, t.subject),
  ],
);

export type AccessMember = typeof accessMembers.$inferSelect;

/** Every successful write through /v1: who (key and role), what (route, resource, summary), when, from where. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    /** The credential: an API key's id, or the id of the Access member row that let a person in. */
    keyId: text('key_id').notNull(),
    /** Who acted: the key id for an API key, the person's email for a Cloudflare Access sign-in. */
    actor: text('actor'),
    role: text('role', { enum: API_KEY_ROLES }).notNull(),
    method: text('method').notNull(),
    /** The route as registered (`/v1/links/:id`), so entries group by kind of write. */
    route: text('route').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    resourceId: text('resource_id'),
    /** JSON: the identifying fields of the change (anchors, GTINs, hrefs, names); never secrets. */
    summary: text('summary').notNull(),
    /** The client's hashed address for the day (src/search/client-key.ts), never the address. */
    client: text('client').notNull(),
  },
  (t) => [index('audit_log_org_at').on(t.orgId, t.at, t.id)],
);
