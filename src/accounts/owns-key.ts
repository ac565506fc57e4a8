// Whether an organisation may read a GS1 key's data: it publishes links for the key or lists it
// as a product, and holds the key's company prefix (src/accounts/company-prefix-store.ts).
// Everything analytic about a key is behind this check (404 otherwise).
import { trustedOrgCondition } from './company-prefix-store';

export async function ownsKey(
  db: D1Database,
  orgId: string,
  keyAi: string,
  keyValue: string,
): Promise<boolean> {
  const trusted = trustedOrgCondition('?1', { ai: keyAi, value: keyValue });
  const row = await db
    .prepare(
      `SELECT 1 FROM (SELECT 1 FROM dl_entities WHERE org_id = ?1 AND key_ai = ?2 AND key_value = ?3
       UNION ALL SELECT 1 FROM products WHERE org_id = ?1 AND ?2 = '01' AND gtin = ?3 LIMIT 1)
       WHERE ${trusted.sql}`,
    )
    .bind(orgId, keyAi, keyValue, ...trusted.params)
    .first();
  return row !== null;
}
