// Who may publish data for a GS1 key, from the operator's grants (company_prefixes): the
// organisation holding a company prefix that covers the key, else an all-prefix organisation
// (a single-brand deployment) when no one holds such a prefix. Writes, reads and the resolver
// all ask this one question.
import { chunks } from '../db/chunks';
import { ApiError } from '../http/api-error';
import { candidateGrants, type GrantKind, type PrefixGrant } from './company-prefix';

export interface GsKey {
  ai: string;
  value: string;
}

/**
 * A SQL condition that holds when the organisation in `orgColumn` may publish data for the key,
 * with its parameters (positional `?`, in order): used by the resolver's and analytics' reads.
 */
export function trustedOrgCondition(orgColumn: string, key: GsKey): { sql: string; params: string[] } {
  const candidates = candidateGrants(key.ai, key.value);
  if (candidates.length === 0) {
    // No grant can cover an unknown key type: only an all-prefix organisation publishes it.
    return {
      sql: `(SELECT holds_all_prefixes FROM organizations WHERE id = ${orgColumn}) = 1`,
      params: [],
    };
  }
  const kind = candidates[0]!.kind;
  const list = candidates.map(() => '?').join(',');
  const prefixes = candidates.map((c) => c.prefix);
  return {
    sql: `(EXISTS (SELECT 1 FROM company_prefixes cp WHERE cp.org_id = ${orgColumn} AND cp.kind = ? AND cp.prefix IN (${list}))
      OR ((SELECT holds_all_prefixes FROM organizations WHERE id = ${orgColumn}) = 1
        AND NOT EXISTS (SELECT 1 FROM company_prefixes cp WHERE cp.kind = ? AND cp.prefix IN (${list}))))`,
    params: [kind, ...prefixes, kind, ...prefixes],
  };
}

interface Holding {
  holdsAll: boolean;
  own: PrefixGrant[];
}

async function holdingOf(db: D1Database, orgId: string): Promise<Holding> {
  const [org, grants] = await db.batch([
    db.prepare('SELECT holds_all_prefixes FROM organizations WHERE id = ?').bind(orgId),
    db
      .prepare('SELECT kind, prefix FROM company_prefixes WHERE org_id = ? ORDER BY kind, prefix')
      .bind(orgId),
  ]);
  return {
    holdsAll: (org!.results[0] as { holds_all_prefixes: number } | undefined)?.holds_all_prefixes === 1,
    own: grants!.results as unknown as PrefixGrant[],
  };
}

const keyName = (key: GsKey) => `${key.ai}/${key.value}`;
const grantName = (g: PrefixGrant) => (g.kind === 'gtin8' ? `GTIN-8 ${g.prefix}` : g.prefix);

/**
 * Throws 403 naming the first key the organisation may not publish: not under its own prefixes,
 * and (for an all-prefix organisation) under a prefix another organisation holds.
 */
export async function assertMayPublish(db: D1Database, orgId: string, keys: readonly GsKey[]): Promise<void> {
  if (keys.length === 0) return;
  const holding = await holdingOf(db, orgId);
  const ownSet = new Set(holding.own.map((g) => `${g.kind}:${g.prefix}`));
  const unowned = uniqueKeys(keys).filter(
    (key) => !candidateGrants(key.ai, key.value).some((c) => ownSet.has(`${c.kind}:${c.prefix}`)),
  );
  if (unowned.length === 0) return;
  const granted = holding.own.length > 0 ? holding.own.map(grantName).join(', ') : 'none';
  if (!holding.holdsAll) {
    throw new ApiError(
      'forbidden',
      `${keyName(unowned[0]!)} is not under a GS1 Company Prefix granted to this organisation (granted: ${granted}); the operator grants prefixes`,
      { key: keyName(unowned[0]!), granted: holding.own.map(grantName) },
    );
  }
  const heldElsewhere = await firstHeldByAnother(db, orgId, unowned);
  if (heldElsewhere) {
    throw new ApiError(
      'forbidden',
      `${keyName(heldElsewhere.key)} is under the GS1 Company Prefix ${grantName(heldElsewhere.grant)}, which another organisation holds`,
      { key: keyName(heldElsewhere.key), prefix: heldElsewhere.grant.prefix },
    );
  }
}

function uniqueKeys(keys: readonly GsKey[]): GsKey[] {
  return [...new Map(keys.map((k) => [keyName(k), k])).values()];
}

// Each key asks for up to 9 candidate prefixes, two bindings each: 5 keys stay under D1's 100.
const KEYS_PER_STATEMENT = 5;

async function firstHeldByAnother(
  db: D1Database,
  orgId: string,
  keys: readonly GsKey[],
): Promise<{ key: GsKey; grant: PrefixGrant } | null> {
  const withCandidates = keys.map((key) => ({ key, candidates: candidateGrants(key.ai, key.value) }));
  const statements = chunks(
    withCandidates.filter((k) => k.candidates.length > 0),
    KEYS_PER_STATEMENT,
  ).map((slice) => {
    const pairs = slice.flatMap((k) => k.candidates);
    return db
      .prepare(
        `SELECT kind, prefix FROM company_prefixes WHERE org_id <> ? AND (kind, prefix) IN (VALUES ${pairs.map(() => '(?, ?)').join(',')})`,
      )
      .bind(orgId, ...pairs.flatMap((p) => [p.kind, p.prefix]));
  });
  if (statements.length === 0) return null;
  const held = new Set(
    (await db.batch<{ kind: GrantKind; prefix: string }>(statements)).flatMap((r) =>
      r.results.map((g) => `${g.kind}:${g.prefix}`),
    ),
  );
  for (const { key, candidates } of withCandidates) {
    const grant = candidates.find((c) => held.has(`${c.kind}:${c.prefix}`));
    if (grant) return { key, grant };
  }
  return null;
}
