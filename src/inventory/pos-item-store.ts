// POS item → GTIN mappings of one location: the list and writes of the pos-items API, and the
// lookup the POS webhooks translate counts with.
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { jsonChunks } from '../db/json-chunks';
import { type PosItemMapping, type PosPlatform, posItemMappings } from '../db/schema';

export { POS_PLATFORMS, type PosItemMapping, type PosPlatform } from '../db/schema';

export interface PosItemFilter {
  platform?: PosPlatform;
  /** Keyset: the (platform, pos_item_id) of the last row of the previous page. */
  after?: [PosPlatform, string];
  limit: number;
}

/** In (platform, pos_item_id) order; `limit + 1` rows so the caller can tell whether another page follows. */
export async function listPosItems(
  d1: D1Database,
  locationId: string,
  f: PosItemFilter,
): Promise<PosItemMapping[]> {
  const filters: (SQL | undefined)[] = [
    eq(posItemMappings.locationId, locationId),
    f.platform && eq(posItemMappings.platform, f.platform),
    f.after &&
      sql`(${posItemMappings.platform}, ${posItemMappings.posItemId}) > (${f.after[0]}, ${f.after[1]})`,
  ];
  return database(d1)
    .select()
    .from(posItemMappings)
    .where(and(...filters))
    .orderBy(asc(posItemMappings.platform), asc(posItemMappings.posItemId))
    .limit(f.limit + 1)
    .all();
}

const UPSERT_MAPPINGS = `
  INSERT INTO pos_item_mappings (location_id, platform, pos_item_id, gtin, updated_at)
  SELECT ?1, ?2, value ->> 'pos_item_id', value ->> 'gtin', ?3 FROM json_each(?4) WHERE true
  ON CONFLICT (location_id, platform, pos_item_id) DO UPDATE SET gtin = excluded.gtin, updated_at = excluded.updated_at`;

/** Creates or replaces the mappings in one D1 batch (one transaction: all or nothing). */
export async function upsertPosItems(
  d1: D1Database,
  locationId: string,
  platform: PosPlatform,
  items: { pos_item_id: string; gtin: string }[],
  now: number,
): Promise<void> {
  const statement = d1.prepare(UPSERT_MAPPINGS);
  await d1.batch(jsonChunks(items).map((chunk) => statement.bind(locationId, platform, now, chunk)));
}

export async function deletePosItem(
  d1: D1Database,
  locationId: string,
  platform: PosPlatform,
  posItemId: string,
): Promise<void> {
  await database(d1)
    .delete(posItemMappings)
    .where(
      and(
        eq(posItemMappings.locationId, locationId),
        eq(posItemMappings.platform, platform),
        eq(posItemMappings.posItemId, posItemId),
      ),
    )
    .run();
}

/** The GTIN mapped to each of `posItemIds` at the location; unmapped items are absent. */
export async function mappedGtins(
  d1: D1Database,
  locationId: string,
  platform: PosPlatform,
  posItemIds: string[],
): Promise<Map<string, string>> {
  const { results } = await d1
    .prepare(
      'SELECT pos_item_id, gtin FROM pos_item_mappings WHERE location_id = ?1 AND platform = ?2 AND pos_item_id IN (SELECT value FROM json_each(?3))',
    )
    .bind(locationId, platform, JSON.stringify(posItemIds))
    .all<{ pos_item_id: string; gtin: string }>();
  return new Map(results.map((m) => [m.pos_item_id, m.gtin]));
}
