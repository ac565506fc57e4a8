// Location reads shared by the locations, inventory and POS-item routes.
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { type Location, locations } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';

/** Newest synced_at of the location's inventory; served by the (location_id, synced_at) index. */
export const lastSyncedAt = sql<
  number | null
>`(SELECT max(synced_at) FROM inventory WHERE inventory.location_id = ${locations.id})`;

export const locationWithSync = { ...getTableColumns(locations), lastSyncedAt };

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
export function publicOrigin(env: Env, requestUrl: string): string {
  return (env.PUBLIC_BASE_URL || new URL(requestUrl).origin).replace(/\/+$/, '');
}
