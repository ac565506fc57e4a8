// Reads and writes of brand rules in D1 for the rules API. Multi-statement writes are one D1 batch
// (one transaction). Every write forgets the organisation's rules in this isolate's resolver
// cache, so the change is live here at once and everywhere within the cache's TTL.
import { and, asc, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { assertBrandsExist } from '../catalog/product-store';
import { chunks } from '../db/chunks';
import { type Db, database } from '../db/client';
import { errorMentions, isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import {
  type ResolutionRule,
  type RuleScope,
  resolutionRules,
  type UrlHealth,
  urlHealth,
} from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import { SCOPE_RANK } from './evaluate-rules';
import { type RuleDraft, scopeKey } from './rule-input';
import { ruleRow, sameRule } from './rule-record';
import { invalidateOrganizationRules } from './scan-rules';

export { RULE_SCOPES } from '../db/schema';

// D1 binds at most 100 parameters per statement.
const IDS_PER_STATEMENT = 90;
const ROWS_PER_INSERT = Math.floor(100 / Object.keys(getTableColumns(resolutionRules)).length);

function conflictFor(err: unknown): ApiError | undefined {
  if (!isUniqueViolation(err)) return undefined;
  // D1's message names the constraint's columns ("UNIQUE constraint failed: resolution_rules.org_id,
  // resolution_rules.client_key"); drizzle's wrapper quotes the whole statement, so match the former.
  if (errorMentions(err, 'resolution_rules.client_key')) {
    return new ApiError('conflict', 'Another rule of this organisation already has that client_key');
  }
  return new ApiError(
    'conflict',
    'That order_index is already taken in this scope; pick another, or move rules with POST /v1/rules/reorder',
  );
}

async function write<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw conflictFor(err) ?? err;
  }
}

/**
 * What the drafts point at must exist and be the caller's: a BRAND rule's brand (else 404), and a
 * GTIN whose resolver links another organisation manages is not theirs to steer (409), as in the
 * links API.
 */
async function checkTargets(d1: D1Database, orgId: string, drafts: readonly RuleDraft[]): Promise<void> {
  await assertBrandsExist(
    d1,
    orgId,
    drafts.map((d) => d.brandId),
  );
  const gtins = [...new Set(drafts.flatMap((d) => (d.gtin ? [d.gtin] : [])))];
  const taken: string[] = [];
  for (const group of chunks(gtins, IDS_PER_STATEMENT)) {
    const { results } = await d1
      .prepare(
        `SELECT DISTINCT key_value FROM dl_entities WHERE key_ai = '01' AND org_id <> ?1 AND key_value IN (SELECT value FROM json_each(?2))`,
      )
      .bind(orgId, JSON.stringify(group))
      .all<{ key_value: string }>();
    taken.push(...results.map((r) => r.key_value));
  }
  if (taken.length > 0) {
    throw new ApiError(
      'conflict',
      `Another organisation manages the resolver links of GTIN ${taken.slice(0, 5).join(', ')}`,
      { gtins: taken },
    );
  }
}

/** The next free order_index at the end of each scope key of the drafts. */
async function nextIndexes(
  db: Db,
  orgId: string,
  drafts: readonly RuleDraft[],
): Promise<Map<string, number>> {
  const next = new Map<string, number>();
  const keys = [...new Map(drafts.map((d) => [`${SCOPE_RANK[d.scope]}|${scopeKey(d)}`, d])).values()];
  for (const group of chunks(keys, 45)) {
    const tuples = sql.join(
      group.map((d) => sql`(${SCOPE_RANK[d.scope]}, ${scopeKey(d)})`),
      sql`, `,
    );
    const rows = await db
      .select({
        rank: resolutionRules.scopeRank,
        key: resolutionRules.scopeKey,
        max: sql<number>`max(${resolutionRules.orderIndex})`,
      })
      .from(resolutionRules)
      .where(
        and(
          eq(resolutionRules.orgId, orgId),
          sql`(${resolutionRules.scopeRank}, ${resolutionRules.scopeKey}) IN (VALUES ${tuples})`,
        ),
      )
      .groupBy(resolutionRules.scopeRank, resolutionRules.scopeKey)
      .all();
    for (const r of rows) next.set(`${r.rank}|${r.key}`, r.max + 1);
  }
  return next;
}

function allocator(next: Map<string, number>) {
  return (draft: RuleDraft) => {
    const key = `${SCOPE_RANK[draft.scope]}|${scopeKey(draft)}`;
    const index = next.get(key) ?? 0;
    next.set(key, index + 1);
    return index;
  };
}

export async function createRule(d1: D1Database, orgId: string, draft: RuleDraft): Promise<ResolutionRule> {
  await checkTargets(d1, orgId, [draft]);
  const db = database(d1);
  const now = Date.now();
  const orderIndex = draft.orderIndex ?? allocator(await nextIndexes(db, orgId, [draft]))(draft);
  const row = ruleRow(orgId, draft, { id: newId('rul'), orderIndex, createdAt: now }, now);
  await write(() => db.insert(resolutionRules).values(row).run());
  invalidateOrganizationRules(orgId);
  return row;
}

/**
 * The order_index a draft would take if saved, after the same checks of what it points at as a
 * save (createRule when `replacing` is null, else updateRule): for the scan preview, which writes nothing.
 */
export async function placeUnsavedRule(
  d1: D1Database,
  orgId: string,
  draft: RuleDraft,
  replacing: ResolutionRule | null,
): Promise<number> {
  await checkTargets(d1, orgId, [draft]);
  if (draft.orderIndex !== undefined) return draft.orderIndex;
  const sameTarget =
    replacing !== null &&
    SCOPE_RANK[draft.scope] === replacing.scopeRank &&
    scopeKey(draft) === replacing.scopeKey;
  if (sameTarget) return replacing.orderIndex;
  return allocator(await nextIndexes(database(d1), orgId, [draft]))(draft);
}

export async function findRule(d1: D1Database, orgId: string, id: string): Promise<ResolutionRule> {
  const row = await database(d1).query.resolutionRules.findFirst({
    where: and(eq(resolutionRules.id, id), eq(resolutionRules.orgId, orgId)),
  });
  if (!row) throw notFound('Rule');
  return row;
}

export async function healthOf(
  d1: D1Database,
  rows: readonly ResolutionRule[],
): Promise<Map<string, UrlHealth>> {
  const urls = [...new Set(rows.flatMap((r) => (r.healthUrl ? [r.healthUrl] : [])))];
  const out = new Map<string, UrlHealth>();
  for (const group of chunks(urls, IDS_PER_STATEMENT)) {
    for (const h of await database(d1).select().from(urlHealth).where(inArray(urlHealth.url, group)).all())
      out.set(h.url, h);
  }
  return out;
}

export async function updateRule(
  d1: D1Database,
  orgId: string,
  row: ResolutionRule,
  draft: RuleDraft,
): Promise<ResolutionRule> {
  await checkTargets(d1, orgId, [draft]);
  const db = database(d1);
  const sameTarget = SCOPE_RANK[draft.scope] === row.scopeRank && scopeKey(draft) === row.scopeKey;
  const orderIndex =
    draft.orderIndex ??
    (sameTarget ? row.orderIndex : allocator(await nextIndexes(db, orgId, [draft]))(draft));
  if (sameRule(row, draft, orderIndex)) return row;
  const updated = ruleRow(orgId, draft, { id: row.id, orderIndex, createdAt: row.createdAt }, Date.now());
  const { id, orgId: _org, createdAt: _created, ...changes } = updated;
  await write(() =>
    db
      .update(resolutionRules)
      .set(changes)
      .where(and(eq(resolutionRules.id, id), eq(resolutionRules.orgId, orgId)))
      .run(),
  );
  invalidateOrganizationRules(orgId);
  return updated;
}

export async function deleteRule(d1: D1Database, orgId: string, id: string): Promise<void> {
  const row = await findRule(d1, orgId, id);
  await database(d1)
    .delete(resolutionRules)
    .where(and(eq(resolutionRules.id, row.id), eq(resolutionRules.orgId, orgId)))
    .run();
  invalidateOrganizationRules(orgId);
}

export interface RuleListFilter {
  scope?: RuleScope;
  enabled?: boolean;
  gtin?: string;
  brandId?: string;
  /** The last row's (scope_rank, scope_key, order_index) of the previous page. */
  after?: [number, string, number];
  limit: number;
}

/** Rules in evaluation order: scope (most specific first), scope target, order_index. */
export async function listRules(d1: D1Database, orgId: string, f: RuleListFilter): Promise<ResolutionRule[]> {
  const r = resolutionRules;
  const filters: (SQL | undefined)[] = [
    eq(r.orgId, orgId),
    f.scope ? eq(r.scopeRank, SCOPE_RANK[f.scope]) : undefined,
    f.enabled !== undefined ? eq(r.enabled, f.enabled) : undefined,
    f.gtin ? eq(r.gtin, f.gtin) : undefined,
    f.brandId ? eq(r.brandId, f.brandId) : undefined,
    f.after
      ? sql`(${r.scopeRank}, ${r.scopeKey}, ${r.orderIndex}) > (${f.after[0]}, ${f.after[1]}, ${f.after[2]})`
      : undefined,
  ];
  return database(d1)
    .select()
    .from(r)
    .where(and(...filters))
    .orderBy(asc(r.scopeRank), asc(r.scopeKey), asc(r.orderIndex))
    .limit(f.limit + 1)
    .all();
}

/**
 * A block of rules of one scope target, in their new order: they take the order_index slots they
 * already hold, lowest first for the first id. Rules outside the block keep theirs. One batch:
 * the rules step aside to negative indexes, then land in their slots, so no unique check trips
 * half-way and the whole reorder lands or nothing does.
 */
export async function reorderRules(
  d1: D1Database,
  orgId: string,
  ids: readonly string[],
): Promise<ResolutionRule[]> {
  const db = database(d1);
  const rows: ResolutionRule[] = [];
  for (const group of chunks(ids, IDS_PER_STATEMENT)) {
    rows.push(
      ...(await db
        .select()
        .from(resolutionRules)
        .where(and(eq(resolutionRules.orgId, orgId), inArray(resolutionRules.id, group)))
        .all()),
    );
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0)
    throw new ApiError('not_found', `Rule ${missing.slice(0, 5).join(', ')} not found`, {
      rule_ids: missing,
    });
  const targets = new Set(rows.map((row) => `${row.scopeRank}|${row.scopeKey}`));
  if (targets.size > 1) {
    throw new ApiError('validation_failed', 'The request body is not valid', [
      {
        path: 'rule_ids',
        message:
          'a reorder moves rules of one scope target (same scope and GTIN, lot, serial or brand) at a time',
      },
    ]);
  }
  const slots = rows.map((row) => row.orderIndex).sort((a, b) => a - b);
  const now = Date.now();
  const moves = ids.map((id, i) => ({ id, from: byId.get(id)!.orderIndex, to: slots[i]! }));
  const changed = moves.filter((m) => m.from !== m.to);
  if (changed.length > 0) {
    const where = (id: string) => and(eq(resolutionRules.id, id), eq(resolutionRules.orgId, orgId));
    const statements: BatchItem<'sqlite'>[] = [
      ...changed.map((m, i) =>
        db
          .update(resolutionRules)
          .set({ orderIndex: -1 - i })
          .where(where(m.id)),
      ),
      ...changed.map((m) =>
        db.update(resolutionRules).set({ orderIndex: m.to, updatedAt: now }).where(where(m.id)),
      ),
    ];
    await write(() => db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]));
    invalidateOrganizationRules(orgId);
  }
  const moved = new Map(changed.map((m) => [m.id, m.to]));
  return ids.map((id) => {
    const row = byId.get(id)!;
    return moved.has(id) ? { ...row, orderIndex: moved.get(id)!, updatedAt: now } : row;
  });
}

/**
 * Creates or replaces rules matched by client_key, all in one batch. Replaced rules keep their id;
 * a rule written with exactly what is stored is not touched (not even updated_at), so a seed can
 * run on every start. Rules that change place step aside to negative indexes first, so a set of
 * rules can swap places in one call.
 */
export async function upsertRules(
  d1: D1Database,
  orgId: string,
  drafts: readonly RuleDraft[],
): Promise<{ row: ResolutionRule; created: boolean }[]> {
  await checkTargets(d1, orgId, drafts);
  const db = database(d1);
  const keys = drafts.map((d) => d.clientKey!);
  const existing = new Map<string, ResolutionRule>();
  for (const group of chunks(keys, IDS_PER_STATEMENT)) {
    const rows = await db
      .select()
      .from(resolutionRules)
      .where(and(eq(resolutionRules.orgId, orgId), inArray(resolutionRules.clientKey, group)))
      .all();
    for (const row of rows) existing.set(row.clientKey!, row);
  }
  const allocate = allocator(
    await nextIndexes(
      db,
      orgId,
      drafts.filter((d) => d.orderIndex === undefined),
    ),
  );
  const now = Date.now();
  const results = drafts.map((draft) => {
    const before = existing.get(draft.clientKey!);
    const sameTarget =
      before && SCOPE_RANK[draft.scope] === before.scopeRank && scopeKey(draft) === before.scopeKey;
    const orderIndex = draft.orderIndex ?? (sameTarget ? before.orderIndex : allocate(draft));
    if (before && sameRule(before, draft, orderIndex)) return { row: before, created: false, changed: false };
    const row = ruleRow(
      orgId,
      draft,
      { id: before?.id ?? newId('rul'), orderIndex, createdAt: before?.createdAt ?? now },
      now,
    );
    return { row, created: !before, changed: true };
  });
  const changed = results.filter((r) => r.changed);
  if (changed.length > 0) {
    const statements: BatchItem<'sqlite'>[] = [];
    const replaced = changed.filter((r) => !r.created);
    replaced.forEach((r, i) => {
      statements.push(
        db
          .update(resolutionRules)
          .set({ orderIndex: -1 - i })
          .where(and(eq(resolutionRules.id, r.row.id), eq(resolutionRules.orgId, orgId))),
      );
    });
    for (const { row } of replaced) {
      const { id, orgId: _org, createdAt: _created, ...changes } = row;
      statements.push(
        db
          .update(resolutionRules)
          .set(changes)
          .where(and(eq(resolutionRules.id, id), eq(resolutionRules.orgId, orgId))),
      );
    }
    for (const group of chunks(
      changed.filter((r) => r.created).map((r) => r.row),
      ROWS_PER_INSERT,
    )) {
      statements.push(db.insert(resolutionRules).values(group));
    }
    await write(() => db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]));
    invalidateOrganizationRules(orgId);
  }
  return results.map(({ row, created }) => ({ row, created }));
}
