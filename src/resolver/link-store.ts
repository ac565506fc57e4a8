// Reads and writes of resolver entities and their links in D1 for the links API. Writes of any
// size are one D1 batch (one transaction): all of it lands, or none of it.
import { and, asc, eq, getTableColumns, gt, inArray, ne, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { chunks } from '../db/chunks';
import { type Db, database } from '../db/client';
import { errorMentions, isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import { type DlEntityRow, type DlLinkRow, dlEntities, dlLinks } from '../db/schema';
import { ApiError } from '../http/api-error';
import { invalidateResolverKey } from './entity-store';
import type { NormalizedEntity } from './link-input';

export type { DlLinkRow } from '../db/schema';

// D1 binds at most 100 parameters per statement.
const MAX_BOUND_PARAMETERS = 100;
const ENTITY_ROWS_PER_INSERT = Math.floor(
  MAX_BOUND_PARAMETERS / Object.keys(getTableColumns(dlEntities)).length,
);
const LINK_ROWS_PER_INSERT = Math.floor(MAX_BOUND_PARAMETERS / Object.keys(getTableColumns(dlLinks)).length);
const IDS_PER_STATEMENT = 90;

export interface StoredEntity {
  entity: DlEntityRow;
  links: DlLinkRow[];
}

const anchorOf = (e: { keyAi: string; keyValue: string; qualifierTemplate: string }) =>
  `/${e.keyAi}/${e.keyValue}${e.qualifierTemplate}`;

async function existingEntities(db: Db, entities: NormalizedEntity[]): Promise<DlEntityRow[]> {
  const found: DlEntityRow[] = [];
  for (const group of chunks(entities, 30)) {
    const tuples = sql.join(
      group.map((e) => sql`(${e.primaryKey.ai}, ${e.primaryKey.value}, ${e.qualifierPath})`),
      sql`, `,
    );
    found.push(
      ...(await db
        .select()
        .from(dlEntities)
        .where(
          sql`(${dlEntities.keyAi}, ${dlEntities.keyValue}, ${dlEntities.qualifierPath}) IN (VALUES ${tuples})`,
        )
        .all()),
    );
  }
  return found;
}

async function keysOwnedByOthers(db: Db, orgId: string, entities: NormalizedEntity[]): Promise<string[]> {
  const owned: string[] = [];
  const keys = [
    ...new Map(entities.map((e) => [`${e.primaryKey.ai}/${e.primaryKey.value}`, e.primaryKey])).values(),
  ];
  for (const group of chunks(keys, 45)) {
    const tuples = sql.join(
      group.map((k) => sql`(${k.ai}, ${k.value})`),
      sql`, `,
    );
    const rows = await db
      .selectDistinct({ ai: dlEntities.keyAi, value: dlEntities.keyValue })
      .from(dlEntities)
      .where(
        and(
          ne(dlEntities.orgId, orgId),
          sql`(${dlEntities.keyAi}, ${dlEntities.keyValue}) IN (VALUES ${tuples})`,
        ),
      )
      .all();
    owned.push(...rows.map((r) => `/${r.ai}/${r.value}`));
  }
  return owned;
}

const ownedElsewhere = (keys: string[]) =>
  new ApiError(
    'conflict',
    `Another organisation manages ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ' …' : ''}`,
    { keys },
  );

/**
 * Creates or replaces entities (matched by primary key + qualifier path) with exactly the given
 * links. Returns each stored entity and whether it was new.
 */
export async function upsertEntities(
  d1: D1Database,
  orgId: string,
  entities: NormalizedEntity[],
): Promise<{ stored: StoredEntity; created: boolean; changed: boolean }[]> {
  const db = database(d1);
  const seen = new Set<string>();
  for (const e of entities) {
    const key = `${e.primaryKey.ai}/${e.primaryKey.value}${e.qualifierPath}`;
    if (seen.has(key))
      throw new ApiError('validation_failed', `The anchor /${key} appears twice in one request`);
    seen.add(key);
  }
  const others = await keysOwnedByOthers(db, orgId, entities);
  if (others.length > 0) throw ownedElsewhere(others);
  const existing = new Map(
    (await existingEntities(db, entities)).map((row) => [
      `${row.keyAi}/${row.keyValue}${row.qualifierPath}`,
      row,
    ]),
  );
  const existingLinks = await linksOf(
    db,
    [...existing.values()].map((row) => row.id),
  );
  // Writing what is already stored changes nothing (not even updated_at): PUT is idempotent, and
  // the demo seed can run on every start.
  const unchanged = new Set<string>();
  for (const e of entities) {
    const before = existing.get(`${e.primaryKey.ai}/${e.primaryKey.value}${e.qualifierPath}`);
    if (before && sameContent(before, existingLinks.get(before.id) ?? [], e)) unchanged.add(before.id);
  }

  const now = Date.now();
  const rows: DlEntityRow[] = entities.map((e) => {
    const before = existing.get(`${e.primaryKey.ai}/${e.primaryKey.value}${e.qualifierPath}`);
    return {
      id: before?.id ?? newId('ent'),
      orgId,
      keyAi: e.primaryKey.ai,
      keyValue: e.primaryKey.value,
      qualifierPath: e.qualifierPath,
      qualifierTemplate: e.qualifierTemplate,
      itemDescription: e.itemDescription,
      matchesPrefix: e.matchesPrefix,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
  });
  const links: DlLinkRow[] = entities.flatMap((e, i) =>
    e.links.map((l, position) => ({
      id: newId('lnk'),
      entityId: rows[i]!.id,
      orgId,
      position,
      linkType: l.linkType,
      href: l.href,
      title: l.title,
      hreflang: JSON.stringify(l.hreflang),
      context: JSON.stringify(l.context),
      mediaType: l.mediaType,
      isDefault: l.isDefault,
      forwardQuery: l.forwardQuery,
    })),
  );

  const changedRows = rows.filter((r) => !unchanged.has(r.id));
  const changedLinks = links.filter((l) => !unchanged.has(l.entityId));
  const statements: BatchItem<'sqlite'>[] = [];
  for (const group of chunks(changedRows, ENTITY_ROWS_PER_INSERT)) {
    statements.push(
      db
        .insert(dlEntities)
        .values(group)
        .onConflictDoUpdate({
          target: [dlEntities.keyAi, dlEntities.keyValue, dlEntities.qualifierPath],
          set: {
            qualifierTemplate: sql`excluded.qualifier_template`,
            itemDescription: sql`excluded.item_description`,
            matchesPrefix: sql`excluded.matches_prefix`,
            updatedAt: sql`excluded.updated_at`,
          },
          // Never touch another organisation's row, even if it appeared since the check above.
          setWhere: sql`${dlEntities.orgId} = excluded.org_id`,
        }),
    );
  }
  for (const group of chunks(
    changedRows.filter((r) => existing.has(`${r.keyAi}/${r.keyValue}${r.qualifierPath}`)),
    IDS_PER_STATEMENT,
  )) {
    statements.push(
      db.delete(dlLinks).where(
        inArray(
          dlLinks.entityId,
          group.map((r) => r.id),
        ),
      ),
    );
  }
  for (const group of chunks(changedLinks, LINK_ROWS_PER_INSERT))
    statements.push(db.insert(dlLinks).values(group));

  if (statements.length > 0) await writeBatch(db, statements, entities);
  for (const row of changedRows) invalidateResolverKey(row.keyAi, row.keyValue);

  return rows.map((entity) => ({
    stored: unchanged.has(entity.id)
      ? {
          entity: [...existing.values()].find((e) => e.id === entity.id)!,
          links: existingLinks.get(entity.id)!,
        }
      : { entity, links: links.filter((l) => l.entityId === entity.id) },
    created: !existing.has(`${entity.keyAi}/${entity.keyValue}${entity.qualifierPath}`),
    /** False when the request stored exactly what was there: nothing was written. */
    changed: !unchanged.has(entity.id),
  }));
}

async function linksOf(db: Db, entityIds: string[]): Promise<Map<string, DlLinkRow[]>> {
  const byEntity = new Map<string, DlLinkRow[]>();
  for (const group of chunks(entityIds, IDS_PER_STATEMENT)) {
    const rows = await db
      .select()
      .from(dlLinks)
      .where(inArray(dlLinks.entityId, group))
      .orderBy(asc(dlLinks.position))
      .all();
    for (const row of rows)
      (byEntity.get(row.entityId) ?? byEntity.set(row.entityId, []).get(row.entityId)!).push(row);
  }
  return byEntity;
}

function sameContent(before: DlEntityRow, beforeLinks: DlLinkRow[], after: NormalizedEntity): boolean {
  if (
    before.itemDescription !== after.itemDescription ||
    before.qualifierTemplate !== after.qualifierTemplate
  )
    return false;
  if (beforeLinks.length !== after.links.length) return false;
  return after.links.every((l, i) => {
    const b = beforeLinks[i]!;
    return (
      b.linkType === l.linkType &&
      b.href === l.href &&
      b.title === l.title &&
      b.hreflang === JSON.stringify(l.hreflang) &&
      b.context === JSON.stringify(l.context) &&
      b.mediaType === l.mediaType &&
      b.isDefault === l.isDefault &&
      b.forwardQuery === l.forwardQuery
    );
  });
}

/** The whole upsert as one D1 batch; the ownership trigger's refusal and races become 409s. */
async function writeBatch(
  db: Db,
  statements: BatchItem<'sqlite'>[],
  entities: NormalizedEntity[],
): Promise<void> {
  try {
    await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  } catch (err) {
    if (errorMentions(err, 'dl_key_owned_by_another_organisation')) {
      throw ownedElsewhere(entities.map((e) => `/${e.primaryKey.ai}/${e.primaryKey.value}`));
    }
    if (isUniqueViolation(err))
      throw new ApiError('conflict', 'Another write changed these anchors at the same time; retry');
    throw err;
  }
}

export async function findEntity(d1: D1Database, orgId: string, id: string): Promise<StoredEntity> {
  const db = database(d1);
  const entity = await db.query.dlEntities.findFirst({
    where: and(eq(dlEntities.id, id), eq(dlEntities.orgId, orgId)),
  });
  if (!entity) throw new ApiError('not_found', 'Link entity not found');
  const links = await db
    .select()
    .from(dlLinks)
    .where(eq(dlLinks.entityId, id))
    .orderBy(asc(dlLinks.position))
    .all();
  return { entity, links };
}

export interface ListFilter {
  keyAi?: string;
  keyValue?: string;
  after?: string;
  limit: number;
}

export async function listEntities(
  d1: D1Database,
  orgId: string,
  filter: ListFilter,
): Promise<StoredEntity[]> {
  const db = database(d1);
  const conditions = [eq(dlEntities.orgId, orgId)];
  if (filter.keyAi) conditions.push(eq(dlEntities.keyAi, filter.keyAi));
  if (filter.keyValue) conditions.push(eq(dlEntities.keyValue, filter.keyValue));
  if (filter.after) conditions.push(gt(dlEntities.id, filter.after));
  const entities = await db
    .select()
    .from(dlEntities)
    .where(and(...conditions))
    .orderBy(asc(dlEntities.id))
    .limit(filter.limit)
    .all();
  const links = entities.length
    ? await db
        .select()
        .from(dlLinks)
        .where(
          inArray(
            dlLinks.entityId,
            entities.map((e) => e.id),
          ),
        )
        .orderBy(asc(dlLinks.position))
        .all()
    : [];
  return entities.map((entity) => ({ entity, links: links.filter((l) => l.entityId === entity.id) }));
}

export async function deleteEntity(d1: D1Database, orgId: string, id: string): Promise<DlEntityRow> {
  const { entity } = await findEntity(d1, orgId, id);
  const db = database(d1);
  await db.batch([
    db.delete(dlLinks).where(eq(dlLinks.entityId, id)),
    db.delete(dlEntities).where(and(eq(dlEntities.id, id), eq(dlEntities.orgId, orgId))),
  ]);
  invalidateResolverKey(entity.keyAi, entity.keyValue);
  return entity;
}

export { anchorOf };
