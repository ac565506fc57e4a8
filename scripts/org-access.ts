// The operator's list of people who sign in through Cloudflare Access (docs/api.md, "People signing
// in"): an email or identity-provider group, given a role in one organisation. Managers and
// owners of the organisation keep the same list through /v1/access-members.
//
//   npm run org:access -- --org org_… --list [--remote]
//   npm run org:access -- --org org_… --email ana@brand.example --role editor
//   npm run org:access -- --org org_… --group "Brand Managers" --role manager   (sets the role if present)
//   npm run org:access -- --org org_… --remove-email ana@brand.example [--remove-group …]
//   npm run org:access -- --who ana@brand.example [--in-group "Brand Managers"]  (where they land)
import { parseArgs } from 'node:util';
import type * as z from 'zod';
import { accessEmail, accessGroup } from '../src/accounts/access-member-subject.ts';
import { chooseMembership } from '../src/accounts/access-membership.ts';
import { sqlText } from '../src/accounts/bootstrap-sql.ts';
import { randomBase32 } from '../src/db/ids.ts';
import { type AccessMember, API_KEY_ROLES, type ApiKeyRole } from '../src/db/schema/accounts.ts';
import { executeSql, querySql } from './lib/wrangler.ts';

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    email: { type: 'string', multiple: true, default: [] },
    group: { type: 'string', multiple: true, default: [] },
    role: { type: 'string' },
    'remove-email': { type: 'string', multiple: true, default: [] },
    'remove-group': { type: 'string', multiple: true, default: [] },
    who: { type: 'string' },
    'in-group': { type: 'string', multiple: true, default: [] },
    list: { type: 'boolean', default: false },
    remote: { type: 'boolean', default: false },
  },
});
const target = values.remote ? '--remote' : '--local';
const where = values.remote ? 'remote' : 'local';
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const valid = (schema: z.ZodType<string>, value: string): string => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fail(`${JSON.stringify(value)}: ${parsed.error.issues[0]?.message}`);
};

interface Row {
  id: string;
  org_id: string;
  kind: 'email' | 'group';
  subject: string;
  role: ApiKeyRole;
  created_at: number;
}
const memberOf = (r: Row): AccessMember => ({
  id: r.id,
  orgId: r.org_id,
  kind: r.kind,
  subject: r.subject,
  role: r.role,
  createdAt: r.created_at,
});

if (values.who !== undefined) {
  const email = valid(accessEmail, values.who);
  const groups = values['in-group'].map((g) => valid(accessGroup, g));
  const rows = querySql<Row>(
    `SELECT * FROM access_members WHERE (kind = 'email' AND subject = ${sqlText(email)})
       OR (kind = 'group' AND subject IN (${groups.map(sqlText).join(', ') || "''"}))`,
    target,
  );
  for (const r of rows) console.log(`${r.org_id}\t${r.kind} ${r.subject}\t${r.role}`);
  const chosen = chooseMembership(rows.map(memberOf));
  console.log(
    chosen
      ? `${email} signs in to ${chosen.orgId} as ${chosen.role} (by ${chosen.kind} ${chosen.subject})`
      : `${email} is no member of any organisation: Access sign-in answers 403`,
  );
  process.exit(0);
}

const orgId =
  values.org?.trim() ||
  fail(
    'Usage: npm run org:access -- --org <organisation id> [--email E | --group G --role R] [--remove-email E] [--remove-group G] [--list] [--remote]\n       npm run org:access -- --who <email> [--in-group G]',
  );
if (querySql(`SELECT 1 FROM organizations WHERE id = ${sqlText(orgId)}`, target).length === 0)
  fail(`No organisation ${orgId} in the ${where} database`);

const adds = [
  ...values.email.map((e) => ({ kind: 'email', subject: valid(accessEmail, e) })),
  ...values.group.map((g) => ({ kind: 'group', subject: valid(accessGroup, g) })),
];
const role = values.role;
if (adds.length > 0 && !API_KEY_ROLES.includes(role as ApiKeyRole))
  fail(`--role is one of ${API_KEY_ROLES.join(', ')}`);
const removes = [
  ...values['remove-email'].map((e) => ({ kind: 'email', subject: valid(accessEmail, e) })),
  ...values['remove-group'].map((g) => ({ kind: 'group', subject: valid(accessGroup, g) })),
];

const now = Date.now();
const statements = [
  ...adds.map(
    (a) =>
      `INSERT INTO access_members (id, org_id, kind, subject, role, created_at)
       VALUES (${sqlText(`acm_${randomBase32(20)}`)}, ${sqlText(orgId)}, ${sqlText(a.kind)}, ${sqlText(a.subject)}, ${sqlText(role!)}, ${now})
       ON CONFLICT (org_id, kind, subject) DO UPDATE SET role = excluded.role`,
  ),
  ...removes.map(
    (r) =>
      `DELETE FROM access_members WHERE org_id = ${sqlText(orgId)} AND kind = ${sqlText(r.kind)} AND subject = ${sqlText(r.subject)}`,
  ),
];
if (statements.length > 0) executeSql(statements, target, { quiet: true });

const members = querySql<Row>(
  `SELECT * FROM access_members WHERE org_id = ${sqlText(orgId)} ORDER BY kind, subject`,
  target,
);
for (const m of members) console.log(`${m.id}\t${m.kind} ${m.subject}\t${m.role}`);
console.log(`${orgId}: ${members.length} Access member(s) in the ${where} database`);
