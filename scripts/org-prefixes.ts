// The operator's hold on GS1 Company Prefixes: which organisation may publish data for which keys
// (src/accounts/company-prefix.ts). Organisations cannot grant themselves prefixes; only whoever
// runs this against the deployment's D1 can.
//
//   npm run org:prefixes -- --org org_… --list
//   npm run org:prefixes -- --org org_… --grant 950600 [--grant …] [--gtin8 95012346] [--remote]
//   npm run org:prefixes -- --org org_… --revoke 950600
//   npm run org:prefixes -- --org org_… --all-prefixes on|off   (a single-brand deployment)
//   npm run org:prefixes -- --check     (existing data outside its organisation's prefixes)
import { parseArgs } from 'node:util';
import { prefixGrantSql, sqlText } from '../src/accounts/bootstrap-sql.ts';
import { grantCovers, grantProblem, type PrefixGrant } from '../src/accounts/company-prefix.ts';
import { executeSql, querySql } from './lib/wrangler.ts';

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    grant: { type: 'string', multiple: true, default: [] },
    gtin8: { type: 'string', multiple: true, default: [] },
    revoke: { type: 'string', multiple: true, default: [] },
    'all-prefixes': { type: 'string' },
    list: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    remote: { type: 'boolean', default: false },
  },
});
const target = values.remote ? '--remote' : '--local';
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

if (values.check) {
  const problems = checkExistingData();
  for (const p of problems) console.log(`${p.orgId}\t${p.table}\t${p.key}\t${p.reason}`);
  console.log(
    problems.length === 0
      ? "Every key is under its organisation's prefixes."
      : `${problems.length} key(s) outside their organisation's prefixes.`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}

const orgId =
  values.org?.trim() ||
  fail(
    'Usage: npm run org:prefixes -- --org <organisation id> [--grant P] [--gtin8 G] [--revoke P] [--all-prefixes on|off] [--list] [--check] [--remote]',
  );
if (querySql(`SELECT 1 FROM organizations WHERE id = ${sqlText(orgId)}`, target).length === 0)
  fail(`No organisation ${orgId} in the ${values.remote ? 'remote' : 'local'} database`);

const grants: PrefixGrant[] = [
  ...values.grant.map((prefix) => ({ kind: 'gcp' as const, prefix })),
  ...values.gtin8.map((prefix) => ({ kind: 'gtin8' as const, prefix })),
];
for (const g of grants) {
  const problem = grantProblem(g);
  if (problem) fail(problem);
}
const all = values['all-prefixes'];
if (all !== undefined && all !== 'on' && all !== 'off') fail('--all-prefixes takes on or off');

const statements = [
  ...grants.map((g) => prefixGrantSql(orgId, g.kind, g.prefix, Date.now())),
  ...values.revoke.map(
    (prefix) =>
      `DELETE FROM company_prefixes WHERE org_id = ${sqlText(orgId)} AND prefix = ${sqlText(prefix)}`,
  ),
  ...(all === undefined
    ? []
    : [`UPDATE organizations SET holds_all_prefixes = ${all === 'on' ? 1 : 0} WHERE id = ${sqlText(orgId)}`]),
];
// The trigger company_prefixes_single_holder refuses a prefix another organisation holds or overlaps.
if (statements.length > 0) executeSql(statements, target, { quiet: true });

const held = querySql<{ kind: string; prefix: string }>(
  `SELECT kind, prefix FROM company_prefixes WHERE org_id = ${sqlText(orgId)} ORDER BY kind, prefix`,
  target,
);
const [org] = querySql<{ holds_all_prefixes: number }>(
  `SELECT holds_all_prefixes FROM organizations WHERE id = ${sqlText(orgId)}`,
  target,
);
console.log(
  `${orgId}: ${held.map((g) => (g.kind === 'gtin8' ? `GTIN-8 ${g.prefix}` : g.prefix)).join(', ') || 'no prefixes'}${org?.holds_all_prefixes ? ' (and every prefix no one else holds)' : ''}`,
);

interface Problem {
  orgId: string;
  table: string;
  key: string;
  reason: string;
}

/** Links, products, rules and issued serials whose organisation may not publish their key. */
function checkExistingData(): Problem[] {
  const grantsByOrg = new Map<string, PrefixGrant[]>();
  for (const g of querySql<PrefixGrant & { org_id: string }>(
    'SELECT org_id, kind, prefix FROM company_prefixes',
    target,
  ))
    (grantsByOrg.get(g.org_id) ?? grantsByOrg.set(g.org_id, []).get(g.org_id)!).push(g);
  const allOrgs = new Set(
    querySql<{ id: string }>('SELECT id FROM organizations WHERE holds_all_prefixes = 1', target).map(
      (o) => o.id,
    ),
  );
  const keys = querySql<{ org_id: string; tbl: string; key_ai: string; key_value: string }>(
    `SELECT DISTINCT org_id, 'dl_entities' AS tbl, key_ai, key_value FROM dl_entities
     UNION SELECT DISTINCT org_id, 'products', '01', gtin FROM products
     UNION SELECT DISTINCT org_id, 'resolution_rules', '01', gtin FROM resolution_rules WHERE gtin IS NOT NULL
     UNION SELECT DISTINCT org_id, 'issued_serials', '01', gtin FROM issued_serials`,
    target,
  );
  const problems: Problem[] = [];
  for (const k of keys) {
    const covers = (g: PrefixGrant) => grantCovers(g, k.key_ai, k.key_value);
    if ((grantsByOrg.get(k.org_id) ?? []).some(covers)) continue;
    const holder = [...grantsByOrg].find(([other, gs]) => other !== k.org_id && gs.some(covers));
    const reason = holder
      ? `under a prefix ${holder[0]} holds`
      : allOrgs.has(k.org_id)
        ? ''
        : 'under no prefix of its organisation';
    if (reason) problems.push({ orgId: k.org_id, table: k.tbl, key: `${k.key_ai}/${k.key_value}`, reason });
  }
  return problems;
}
