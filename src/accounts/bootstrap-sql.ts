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
}

/** A SQLite string literal; the only quoting rule is doubling single quotes. */
export function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function organizationBootstrapSql(b: OrganizationBootstrap): string[] {
  return [
    `INSERT INTO organizations (id, name, created_at) VALUES (${sqlText(b.orgId)}, ${sqlText(b.orgName)}, ${b.createdAt})
     ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
    `INSERT INTO api_keys (id, org_id, name, prefix, key_hash, role, created_at)
     VALUES (${sqlText(b.keyId)}, ${sqlText(b.orgId)}, ${sqlText(b.keyName)}, ${sqlText(b.keyPrefix)}, ${sqlText(b.keyHash)}, 'owner', ${b.createdAt})
     ON CONFLICT (id) DO UPDATE SET prefix = excluded.prefix, key_hash = excluded.key_hash, revoked_at = NULL, expires_at = NULL`,
  ];
}
