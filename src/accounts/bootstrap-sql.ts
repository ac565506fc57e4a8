// SQL that creates an organisation with its first owner key, for a fresh deployment
// (scripts/create-organization.ts runs it through `wrangler d1 execute`) and for the demo seed.
// Upserts by id, so running it again with the same ids changes nothing (or only the key hash,
// when the demo key was changed on purpose). Import-free so Node scripts can load it.
export interface OrganizationBootstrap {
  orgId: string;
  orgName: string;
  keyId: string;
  keyName: string;
  keyPrefix: string;
  keyHash: string;
  /** Fixed for the demo seed so that a second run writes identical rows. */
  createdAt: number;
  /** GS1 Company Prefixes (4–12 digits) granted to it (src/accounts/company-prefix.ts). */
  prefixes?: readonly string[];
  /** A single-brand deployment: it may publish any key no other organisation holds by grant. */
  holdsAllPrefixes?: boolean;
}

/** A SQLite string literal; the only quoting rule is doubling single quotes. */
export function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function organizationBootstrapSql(b: OrganizationBootstrap): string[] {
  return [
    `INSERT INTO organizations (id, name, created_at, holds_all_prefixes)
     VALUES (${sqlText(b.orgId)}, ${sqlText(b.orgName)}, ${b.createdAt}, ${b.holdsAllPrefixes ? 1 : 0})
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, holds_all_prefixes = excluded.holds_all_prefixes`,
    ...(b.prefixes ?? []).map((p) => prefixGrantSql(b.orgId, 'gcp', p, b.createdAt)),
    `INSERT INTO api_keys (id, org_id, name, prefix, key_hash, role, created_at)
     VALUES (${sqlText(b.keyId)}, ${sqlText(b.orgId)}, ${sqlText(b.keyName)}, ${sqlText(b.keyPrefix)}, ${sqlText(b.keyHash)}, 'owner', ${b.createdAt})
     ON CONFLICT (id) DO UPDATE SET prefix = excluded.prefix, key_hash = excluded.key_hash, revoked_at = NULL, expires_at = NULL`,
  ];
}

/**
 * Grants a company prefix (or a GTIN-8) to an organisation; granting it again to the same one
 * changes nothing, and a prefix another organisation holds (or overlaps) fails the statement.
 */
export function prefixGrantSql(orgId: string, kind: 'gcp' | 'gtin8', prefix: string, at: number): string {
  return `INSERT INTO company_prefixes (kind, prefix, org_id, granted_at)
     SELECT ${sqlText(kind)}, ${sqlText(prefix)}, ${sqlText(orgId)}, ${at}
     WHERE NOT EXISTS (SELECT 1 FROM company_prefixes WHERE kind = ${sqlText(kind)} AND prefix = ${sqlText(prefix)} AND org_id = ${sqlText(orgId)})`;
}
