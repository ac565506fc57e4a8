// Locations in D1: the locations API's reads and writes, and the lookups the inventory, POS-item
// and POS-webhook routes share.
import { and, asc, eq, getTableColumns, gte, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { type Location, locations } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import { ACTIVE_LOCATION_WITHIN_MS } from './inventory-confidence';

export type { Location } from '../db/schema';

/** Newest synced_at of the location's inventory; served by the (location_id, synced_at) index. */
const lastSyncedAt = sql<
  number | null
>`(SELECT max(synced_at) FROM inventory WHERE inventory.location_id = ${locations.id})`;

const locationWithSync = { ...getTableColumns(locations), lastSyncedAt };

export interface LocationFilter {
  country?: string;
  /** true: inventory synced within ACTIVE_LOCATION_WITHIN_MS of `now`; false: the others. */
  active?: boolean;
  /** Keyset: the (name, id) of the last row of the previous page. */
  after?: [string, string];
  limit: number;
}

/** In (name, id) order; `limit + 1` rows so the caller can tell whether another page follows. */
export async function listLocations(
  d1: D1Database,
  orgId: string,
  f: LocationFilter,
  now: number,
): Promise<(Location & { lastSyncedAt: number | null })[]> {
  const activeSince = now - ACTIVE_LOCATION_WITHIN_MS;
  const filters: (SQL | undefined)[] = [
    eq(locations.orgId, orgId),
    f.country ? eq(locations.country, f.country) : undefined,
    f.active === true ? gte(lastSyncedAt, activeSince) : undefined,
    f.active === false ? or(isNull(lastSyncedAt), lt(lastSyncedAt, activeSince)) : undefined,
    f.after && sql`(${locations.name}, ${locations.id}) > (${f.after[0]}, ${f.after[1]})`,
  ];
  return database(d1)
    .select(locationWithSync)
    .from(locations)
    .where(and(...filters))
    .orderBy(asc(locations.name), asc(locations.id))
    .limit(f.limit + 1)
    .all();
}

export async function findLocation(
  d1: D1Database,
  orgId: string,
  id: string,
): Promise<Location & { lastSyncedAt: number | null }> {
  const row = await database(d1)
    .select(locationWithSync)
    .from(locations)
    .where(and(eq(locations.id, id), eq(locations.orgId, orgId)))
    .get();
  if (!row) throw notFound('Location');
  return row;
}

/** Any organisation's location: the POS webhooks know only the id in their URL. */
export async function locationById(d1: D1Database, id: string): Promise<Location | undefined> {
  return database(d1).query.locations.findFirst({ where: eq(locations.id, id) });
}

export async function insertLocation(d1: D1Database, row: Location): Promise<void> {
  await database(d1).insert(locations).values(row).run();
}

/** Writes every column of `row` but its id, organisation and creation time. */
export async function updateLocation(d1: D1Database, orgId: string, row: Location): Promise<void> {
  const { id, orgId: _org, createdAt: _created, ...changes } = row;
  await database(d1)
    .update(locations)
    .set(changes)
    .where(and(eq(locations.id, id), eq(locations.orgId, orgId)))
    .run();
}

/** Its inventory and POS item mappings go with it (ON DELETE CASCADE). */
export async function deleteLocation(d1: D1Database, orgId: string, id: string): Promise<void> {
  await database(d1)
    .delete(locations)
    .where(and(eq(locations.id, id), eq(locations.orgId, orgId)))
    .run();
}

/** 404 naming every location id that is not one of the organisation's. */
export async function assertLocationsExist(d1: D1Database, orgId: string, ids: Iterable<string>) {
  const wanted = [...new Set(ids)];
  const { results } = await d1
    .prepare('SELECT id FROM locations WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2))')
    .bind(orgId, JSON.stringify(wanted))
    .all<{ id: string }>();
  const found = new Set(results.map((r) => r.id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError(
      'not_found',
      `Location ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''} not found`,
      {
        location_ids: missing,
      },
    );
  }
}

/** Where POS platforms reach this Worker: PUBLIC_BASE_URL when set, else the request's origin. */
