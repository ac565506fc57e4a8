// Search analytics reads (PRODUCT.md C7: impressions, position, click-through, distance).
import type { Filters } from './analytics-filters';

export async function searchImpressionCount(db: D1Database, f: Filters): Promise<number> {
  const gtin = f.gtin ? ' AND gtin = ?' : '';
  const row = await db
    .prepare(
      `SELECT count(*) AS n FROM search_impressions WHERE org_id = ? AND shown_at >= ? AND shown_at < ?${gtin}`,
    )
    .bind(f.orgId, f.fromMs, f.toMs, ...(f.gtin ? [f.gtin] : []))
    .first<number>('n');
  return row ?? 0;
}

export interface SearchPerformanceRow {
  value: string;
  impressions: number;
  average_position: number;
  clicks: number;
  click_through_rate: number;
  average_distance_km: number | null;
}

/** Per product (GTIN) or per query: impressions, average position, clicks and CTR, distance to the nearest store. */
export async function searchPerformance(
  db: D1Database,
  f: Filters,
  by: 'product' | 'query',
  limit: number,
): Promise<SearchPerformanceRow[]> {
  const column = by === 'product' ? 'i.gtin' : 'i.query';
  const gtin = f.gtin ? ' AND i.gtin = ?' : '';
  const { results } = await db
    .prepare(
      `SELECT ${column} AS value, count(*) AS impressions, avg(i.position) AS average_position, count(c.search_id) AS clicks,
         avg(i.nearest_store_km) AS average_distance_km
       FROM search_impressions i LEFT JOIN search_clicks c ON c.search_id = i.search_id AND c.position = i.position
       WHERE i.org_id = ? AND i.shown_at >= ? AND i.shown_at < ?${gtin}
       GROUP BY ${column} ORDER BY impressions DESC, value LIMIT ?`,
    )
    .bind(f.orgId, f.fromMs, f.toMs, ...(f.gtin ? [f.gtin] : []), limit)
    .all<Omit<SearchPerformanceRow, 'click_through_rate'>>();
  const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
  return results.map((r) => ({
    value: r.value,
    impressions: r.impressions,
    average_position: round(r.average_position, 2),
    clicks: r.clicks,
    click_through_rate: round(r.clicks / r.impressions, 4),
    average_distance_km: r.average_distance_km === null ? null : round(r.average_distance_km, 2),
  }));
}
