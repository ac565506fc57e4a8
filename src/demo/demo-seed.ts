// The demo organisation `npm start` seeds. Everything is keyed by fixed ids and written with
// upserts, so seeding twice leaves the database exactly as seeding once. Import-free apart from
// `.ts`-suffixed relative modules, so both the Node start script and the tests can load it.
import { organizationBootstrapSql, sqlText } from '../accounts/bootstrap-sql.ts';
import { demoCatalogSql } from './demo-catalog.ts';
import { demoSearchHistorySql } from './demo-searches.ts';

export const DEMO_ORG_ID = 'org_demo';
export const DEMO_KEY_ID = 'key_demo_owner';
export const DEMO_BRAND_ID = 'brd_demo';
// A fixed creation time: the seed must write identical rows on every run.
const SEEDED_AT = Date.UTC(2026, 0, 1);

/**
 * GS1's demonstration company prefixes: the demo GTINs (0 + 950600…) are under 950600, and GS1's
 * sample GIAIs (0950600013…) are written with 0950600, which a GIAI starts with directly.
 */
export const DEMO_COMPANY_PREFIXES = ['950600', '0950600'];

/**
 * `grants`: `npm start` grants the demo organisation GS1's demonstration prefix, as an operator
 * would; tests seed it as a single-brand deployment (all prefixes) unless they ask otherwise.
 */
export function demoSeedSql(
  demoKey: { prefix: string; hash: string },
  grants: { prefixes?: readonly string[]; holdsAllPrefixes?: boolean } = { holdsAllPrefixes: true },
): string[] {
  const now = Date.now();
  return [
    ...organizationBootstrapSql({
      orgId: DEMO_ORG_ID,
      orgName: 'Demo Foods',
      keyId: DEMO_KEY_ID,
      keyName: 'demo owner key',
      keyPrefix: demoKey.prefix,
      keyHash: demoKey.hash,
      createdAt: SEEDED_AT,
      ...grants,
    }),
    `INSERT INTO brands (id, org_id, name, created_at, updated_at)
     VALUES (${sqlText(DEMO_BRAND_ID)}, ${sqlText(DEMO_ORG_ID)}, 'GS1 Demo Brand', ${SEEDED_AT}, ${SEEDED_AT})
     ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
    ...demoCatalogSql(DEMO_ORG_ID, DEMO_BRAND_ID, SEEDED_AT, now),
    ...demoSearchHistorySql(DEMO_ORG_ID, now),
  ];
}
