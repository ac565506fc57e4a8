// Four months of public searches for the demo, as long as its scans so that the overview's
// previous period has some (PRODUCT.md C6, read by the dashboard's search performance):
// consumers near the demo stores searching for the demo products, the results they were shown
// and some of their clicks. Made by a fixed pseudo-random sequence with fixed ids and
// inserted with DO NOTHING, so seeding twice changes nothing (times stay those of the first
// seed, like the inventory counts). Import-free apart from `.ts`-suffixed relative modules.
import { sqlText } from '../accounts/bootstrap-sql.ts';
import { jsonChunks } from '../db/json-chunks.ts';
import { haversineKm } from '../search/great-circle.ts';
import { INVENTORY, LOCATIONS } from './demo-catalog.ts';
import { seededRandom } from './seeded-random.ts';

const SEARCHES = 720;
const DAYS = 120;
const RADIUS_KM = 10;
const RISOTTO = '09506000134352';
const CAPSULES = '09506000134376';
const OLIVE_OIL = '09506000134383';

/** What people typed, and the active demo products each query matches (best match first). */
const QUERIES: { query: string; kind: 'text' | 'gtin'; gtins: string[]; weight: number }[] = [
  { query: 'risotto', kind: 'text', gtins: [RISOTTO], weight: 6 },
  { query: 'risotto rice', kind: 'text', gtins: [RISOTTO], weight: 3 },
  { query: 'porcini', kind: 'text', gtins: [RISOTTO], weight: 2 },
  { query: 'dal giardino', kind: 'text', gtins: [RISOTTO, OLIVE_OIL, CAPSULES], weight: 4 },
  { query: 'olive oil', kind: 'text', gtins: [OLIVE_OIL], weight: 4 },
  { query: 'capsules', kind: 'text', gtins: [CAPSULES], weight: 2 },
  { query: `gtin:${RISOTTO}`, kind: 'gtin', gtins: [RISOTTO], weight: 2 },
  { query: 'pasta', kind: 'text', gtins: [], weight: 1 },
];

const round2 = (v: number) => Math.round(v * 100) / 100;

export function demoSearchHistorySql(orgId: string, now: number): string[] {
  const next = seededRandom(20261101);
  const pick = <T extends { weight: number }>(items: T[]) => {
    let r = next() * items.reduce((n, i) => n + i.weight, 0);
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  };
  const searches: unknown[][] = [];
  const impressions: unknown[][] = [];
  const clicks: unknown[][] = [];
  for (let n = 0; n < SEARCHES; n++) {
    const id = `srch_demo_${String(n + 1).padStart(4, '0')}`;
    const at = Math.round(now - ((SEARCHES - n) / SEARCHES) * DAYS * 86_400_000 + next() * 3_600_000);
    const store = LOCATIONS[Math.floor(next() * LOCATIONS.length)]!;
    // Within about 5 km of the store, rounded to 0.01° as search logs store it.
    const lat = round2(store.lat + (next() - 0.5) * 0.08);
    const lng = round2(store.lon + (next() - 0.5) * 0.08);
    const distanceKm =
      Math.round(haversineKm({ lat, lng }, { lat: store.lat, lng: store.lon }) * 1000) / 1000;
    const { query, kind, gtins } = pick(QUERIES);
    const stocked = (gtin: string) => INVENTORY.find(([location, g]) => location === store.id && g === gtin);
    // As search ranks them: in stock at the nearby store first, then the rest by relevance.
    const shown = [...gtins].sort(
      (a, b) => Number((stocked(b)?.[2] ?? 0) > 0) - Number((stocked(a)?.[2] ?? 0) > 0),
    );
    searches.push([id, query, kind, shown.length, shown.length, lat, lng, RADIUS_KM, 0, at]);
    shown.forEach((gtin, i) => {
      const row = stocked(gtin);
      impressions.push([
        id,
        i + 1,
        gtin,
        query,
        lat,
        lng,
        row ? distanceKm : null,
        row && row[2] > 0 ? 1 : 0,
        at,
      ]);
      // About a third click their first result, fewer the ones below it.
      if (next() < 0.35 / (i + 1))
        clicks.push([id, i + 1, gtin, query, at, at + Math.round(5_000 + next() * 55_000)]);
    });
  }
  const insert = (
    table: string,
    columns: string[],
    conflict: string,
    rows: unknown[][],
    extra: Record<string, string> = {},
  ) =>
    jsonChunks(rows, 50_000).map((chunk) => {
      let i = 0;
      const values = columns.map((c) => extra[c] ?? `json_extract(value, '$[${i++}]')`);
      return `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM json_each(${sqlText(chunk)}) WHERE true
        ON CONFLICT (${conflict}) DO NOTHING`;
    });
  const org = { org_id: sqlText(orgId) };
  return [
    ...insert(
      'searches',
      [
        'id',
        'query',
        'query_kind',
        'result_count',
        'shown_count',
        'latitude',
        'longitude',
        'radius_km',
        'in_stock_only',
        'searched_at',
      ],
      'id',
      searches,
    ),
    ...insert(
      'search_impressions',
      [
        'search_id',
        'position',
        'gtin',
        'org_id',
        'query',
        'latitude',
        'longitude',
        'nearest_store_km',
        'in_stock_nearby',
        'shown_at',
      ],
      'search_id, position',
      impressions,
      org,
    ),
    ...insert(
      'search_clicks',
      ['search_id', 'position', 'gtin', 'org_id', 'query', 'shown_at', 'clicked_at'],
      'search_id, position',
      clicks,
      org,
    ),
  ];
}
