// `inventory.stale` webhook events (the hourly cron): a store whose stock used to sync has sent
// nothing for a day, past which its figures count as `uncertain` (inventory-confidence.ts), so a
// brand hears that a POS integration broke before shoppers are sent to empty shelves. A store is
// reported once per silence (stale_location_reports remembers the sync it was reported for); one
// silent for more than a week when this first runs is not reported, so a deployment's old
// stores do not flood its endpoints.
import { type PublishEnv, publishEvents } from '../alerts/webhooks/publish-event';
import { newId } from '../db/ids';
import { isoOrNull } from '../time/iso-time';
import { ACTIVE_LOCATION_WITHIN_MS, LIKELY_WITHIN_MS } from './inventory-confidence';

export const STALE_AFTER_MS = LIKELY_WITHIN_MS;
/**
 * Stores reported per run, bounding the run's D1 and queue calls beside the cron's other work; the
 * rest go the next hour.
 */
const MAX_REPORTS_PER_RUN = 50;

interface StaleLocation {
  id: string;
  org_id: string;
  name: string;
  city: string;
  country: string;
  newest_sync: number;
}

// Per store, its newest synced_at through the inventory_location_synced index: one seek per store,
// not a scan of every stock row.
const STALE_LOCATIONS = `
  SELECT l.id, l.org_id, l.name, l.city, l.country,
    (SELECT max(i.synced_at) FROM inventory i WHERE i.location_id = l.id) AS newest_sync
  FROM locations l LEFT JOIN stale_location_reports r ON r.location_id = l.id
  WHERE newest_sync < ?1 AND newest_sync >= ?2 AND (r.last_synced_at IS NULL OR r.last_synced_at <> newest_sync)
  LIMIT ?3`;

const REPORTED = `
  INSERT INTO stale_location_reports (location_id, org_id, last_synced_at, reported_at) VALUES (?1, ?2, ?3, ?4)
  ON CONFLICT (location_id) DO UPDATE SET last_synced_at = excluded.last_synced_at, reported_at = excluded.reported_at`;

/** Reports the stores that fell silent, one publication per organisation; how many were reported. */
export async function reportStaleLocations(env: PublishEnv, now: number): Promise<number> {
  const { results } = await env.DB.prepare(STALE_LOCATIONS)
    .bind(now - STALE_AFTER_MS, now - ACTIVE_LOCATION_WITHIN_MS, MAX_REPORTS_PER_RUN)
    .all<StaleLocation>();
  const byOrg = new Map<string, StaleLocation[]>();
  for (const store of results) byOrg.set(store.org_id, [...(byOrg.get(store.org_id) ?? []), store]);
  let reported = 0;
  for (const [orgId, stores] of byOrg) {
    try {
      await publishEvents(
        env,
        orgId,
        stores.map((store) => ({
          id: newId('evt'),
          type: 'inventory.stale',
          at: now,
          data: {
            location: { id: store.id, name: store.name, city: store.city, country: store.country },
            last_synced_at: isoOrNull(store.newest_sync),
            stale_after_hours: STALE_AFTER_MS / 3_600_000,
          },
        })),
      );
      // After publishing: a failure before this batch reports the stores again next hour (at least once).
      const statement = env.DB.prepare(REPORTED);
      await env.DB.batch(stores.map((store) => statement.bind(store.id, orgId, store.newest_sync, now)));
      reported += stores.length;
    } catch (err) {
      console.error('inventory.stale not reported', { orgId, error: String(err) });
    }
  }
  return reported;
}
