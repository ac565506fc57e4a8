// What brand resolution needs to know about a scanned GTIN — its catalog entries (status, recalled
// lots, brand) and the enabled rules that may apply — read from D1 in one round trip and kept in a
// per-isolate cache (src/cache/isolate-cache.ts), so a warm GTIN costs no D1 read per scan.

import { trustedOrgCondition } from '../accounts/company-prefix-store';
import { cacheTtlMs, IsolateCache, MAX_STALENESS_MS } from '../cache/isolate-cache';
import { anyReplica } from '../db/d1-sessions';
import type { DeadUrlPolicy, ProductStatus, RuleScope } from '../db/schema';
import { type CompiledRules, compileRules, type EvaluableRule } from './evaluate-rules';
import type { RuleConditions } from './rule-conditions';

export interface CatalogEntry {
  orgId: string;
  brandId: string | null;
  status: ProductStatus;
  recalledLots: ReadonlySet<string>;
}

export interface OwnedRule extends EvaluableRule {
  orgId: string;
}

export interface GtinRules {
  /** Oldest first: with no resolver links to say who owns the GTIN, the first organisation to list it does. */
  products: CatalogEntry[];
  /** Each organisation's candidate rules, compiled and in evaluation order (once per load, not per scan). */
  rulesByOrg: ReadonlyMap<string, CompiledRules<OwnedRule>>;
  /** Organisations that may own the GTIN (its links, its catalog entries): a rule write of one of them drops the entry. */
  orgIds: ReadonlySet<string>;
}

let cache = new IsolateCache<GtinRules>(MAX_STALENESS_MS);

/** Sets the isolate's TTL from RESOLVER_CACHE_TTL_SECONDS, at most 60 s (as for resolver links). */
export function configureRuleCache(ttlSeconds: number | undefined): void {
  const ttlMs = cacheTtlMs(ttlSeconds);
  if (cache.ttlMs !== ttlMs) cache = new IsolateCache<GtinRules>(ttlMs);
}

/** After a rule write: the organisation's cached GTINs are read again on their next scan. */
export function invalidateOrganizationRules(orgId: string): void {
  cache.invalidateWhere((_gtin, entry) => entry.orgIds.has(orgId));
}

/** After a catalog or URL-health change that concerns one GTIN, or everything (no argument). */
export function invalidateScanRules(gtin?: string): void {
  if (gtin === undefined) cache.clear();
  else cache.invalidate(gtin);
}

interface ProductRow {
  org_id: string;
  brand_id: string | null;
  status: ProductStatus;
  recalled_lots: string;
}

interface RuleRow {
  id: string;
  org_id: string;
  scope: RuleScope;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  brand_id: string | null;
  order_index: number;
  conditions: string;
  destination_type: 'url' | 'hosted_page';
  destination_url: string | null;
  forward_query: number;
  dead_url_policy: DeadUrlPolicy;
  dead: number;
}

const productsSql = (trusted: string) =>
  `SELECT org_id, brand_id, status, recalled_lots FROM products o WHERE gtin = ?1 AND ${trusted} ORDER BY created_at, id`;

// Dead marks joined in from the URL-health check.
const RULE_COLUMNS = `r.id, r.org_id, r.scope, r.gtin, r.lot, r.serial, r.brand_id, r.order_index, r.conditions, r.destination_type,
  r.destination_url, r.forward_query, r.dead_url_policy, coalesce(h.dead, 0) AS dead
  FROM resolution_rules r LEFT JOIN url_health h ON h.url = r.health_url`;
// The organisations that may own the GTIN (its resolver links, its catalog entries), if they hold
// its company prefix; their rules for this GTIN (SERIAL, BATCH, PRODUCT: by the gtin index), for
// the brand the GTIN's products name, and for the whole organisation. `trusted` is the prefix
// condition (trustedOrgCondition on `o.org_id`), its parameters bound after ?1.
const rulesSql = (trusted: string) => `WITH owners AS (
    SELECT o.org_id FROM (SELECT org_id FROM dl_entities WHERE key_ai = '01' AND key_value = ?1
      UNION SELECT org_id FROM products WHERE gtin = ?1) o WHERE ${trusted})
  SELECT ${RULE_COLUMNS} WHERE r.gtin = ?1 AND r.enabled = 1 AND r.org_id IN owners
  UNION ALL
  SELECT ${RULE_COLUMNS} WHERE r.org_id IN owners AND r.scope_rank >= 4 AND r.enabled = 1
    AND (r.scope = 'ORGANIZATION' OR r.brand_id IN (SELECT brand_id FROM products WHERE gtin = ?1))`;

function toRule(r: RuleRow & { enabled?: number }): OwnedRule {
  return {
    id: r.id,
    orgId: r.org_id,
    scope: r.scope,
    gtin: r.gtin,
    lot: r.lot,
    serial: r.serial,
    brandId: r.brand_id,
    orderIndex: r.order_index,
    enabled: r.enabled === undefined || r.enabled === 1,
    conditions: JSON.parse(r.conditions) as RuleConditions,
    destination:
      r.destination_type === 'url'
        ? { type: 'url', url: r.destination_url!, forwardQuery: r.forward_query === 1, dead: r.dead === 1 }
        : { type: 'hosted_page' },
    deadUrlPolicy: r.dead_url_policy,
  };
}

const linkOwnersSql = (trusted: string) =>
  `SELECT DISTINCT org_id FROM dl_entities o WHERE key_ai = '01' AND key_value = ?1 AND ${trusted}`;

async function load(db: D1Database, gtin: string): Promise<GtinRules> {
  // Only the GTIN's prefix holder is trusted (src/accounts/company-prefix-store.ts).
  const trusted = trustedOrgCondition('o.org_id', { ai: '01', value: gtin });
  const [products, rules, linkOwners] = await db.batch<ProductRow | RuleRow | { org_id: string }>([
    db.prepare(productsSql(trusted.sql)).bind(gtin, ...trusted.params),
    db.prepare(rulesSql(trusted.sql)).bind(gtin, ...trusted.params),
    db.prepare(linkOwnersSql(trusted.sql)).bind(gtin, ...trusted.params),
  ]);
  const catalog = (products!.results as ProductRow[]).map((p) => ({
    orgId: p.org_id,
    brandId: p.brand_id,
    status: p.status,
    recalledLots: new Set((JSON.parse(p.recalled_lots) as { lot: string }[]).map((l) => l.lot)),
  }));
  const ownedByOrg = new Map<string, OwnedRule[]>();
  for (const rule of (rules!.results as RuleRow[]).map(toRule)) {
    (ownedByOrg.get(rule.orgId) ?? ownedByOrg.set(rule.orgId, []).get(rule.orgId)!).push(rule);
  }
  const rulesByOrg = new Map([...ownedByOrg].map(([orgId, owned]) => [orgId, compileRules(owned)]));
  const owners = (linkOwners!.results as { org_id: string }[]).map((o) => o.org_id);
  return { products: catalog, rulesByOrg, orgIds: new Set([...owners, ...catalog.map((p) => p.orgId)]) };
}

/** The scanned GTIN's catalog entries and candidate rules when the isolate has them fresh (no I/O), else undefined. */
export function cachedGtinRules(gtin: string): GtinRules | undefined {
  return cache.peek(gtin);
}

/** The scanned GTIN's catalog entries and candidate rules, from memory when fresh. */
export function loadGtinRules(db: D1Database, gtin: string): Promise<GtinRules> {
  // A miss may read any replica, never one behind this isolate's own writes.
  return cache.get(gtin, () => load(anyReplica(db), gtin));
}

// One organisation's rules that may apply to a GTIN, disabled ones too, with their names: what the
// scan preview's trace lists beside the rules the resolver evaluated (src/resolver/preview-scan.ts).
const TRACE_RULES_SQL = `SELECT r.name, r.enabled, ${RULE_COLUMNS}
  WHERE r.org_id = ?1 AND (r.gtin = ?2 OR r.scope = 'ORGANIZATION'
    OR (r.scope = 'BRAND' AND r.brand_id IN (SELECT brand_id FROM products WHERE org_id = ?1 AND gtin = ?2)))`;

export interface TraceRules {
  /** The organisation's disabled candidate rules (the resolver never loads them). */
  disabled: OwnedRule[];
  names: ReadonlyMap<string, string>;
}

/** An organisation's candidate rules for a GTIN as stored now (not cached): for the preview's trace only. */
export async function loadTraceRules(db: D1Database, orgId: string, gtin: string): Promise<TraceRules> {
  const { results } = await db
    .prepare(TRACE_RULES_SQL)
    .bind(orgId, gtin)
    .all<RuleRow & { name: string; enabled: number }>();
  return {
    disabled: results.filter((r) => r.enabled !== 1).map(toRule),
    names: new Map(results.map((r) => [r.id, r.name])),
  };
}

/**
 * The GTIN's rules as if `rule` were saved (in place of its stored version, if it has one): the scan
 * preview of a draft. Only an organisation trusted with the GTIN has rules loaded for it, so a
 * draft of any other is left out, as its saved rule would be.
 */
export function withUnsavedRule(entry: GtinRules, rule: OwnedRule): GtinRules {
  if (!entry.orgIds.has(rule.orgId)) return entry;
  const stored = entry.rulesByOrg.get(rule.orgId)?.rules ?? [];
  const rulesByOrg = new Map(entry.rulesByOrg);
  rulesByOrg.set(rule.orgId, compileRules([...stored.filter((r) => r.id !== rule.id), rule]));
  return { ...entry, rulesByOrg };
}

/** An organisation without candidate rules for the GTIN. */
const NO_RULES = compileRules<OwnedRule>([]);

export interface ScanSubject {
  orgId: string;
  product: CatalogEntry | null;
  /** Compiled for evaluation (none: NO_RULES). */
  rules: CompiledRules<OwnedRule>;
}

/**
 * Whose scan it is: the organisation that manages the GTIN's resolver links, else the first to
 * have listed it in its catalog; null when neither exists.
 */
export function scanSubject(entry: GtinRules, linksOrgId: string | null): ScanSubject | null {
  const orgId = linksOrgId ?? entry.products[0]?.orgId ?? null;
  if (orgId === null) return null;
  return {
    orgId,
    product: entry.products.find((p) => p.orgId === orgId) ?? null,
    rules: entry.rulesByOrg.get(orgId) ?? NO_RULES,
  };
}
