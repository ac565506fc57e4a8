// `npm run bench:search`: public search (GET /search) over a catalog of 100,000 products and 1,000
// stores, as throughput and latency beside the bare 307 route measured in the same run.
//
// The catalog goes straight into the served Worker's local D1 (products as JSON chunks expanded by
// json_each, which also fills the FTS5 index through its triggers; inventory generated in SQL),
// because loading it through the API would measure the bulk routes instead. Every search runs the
// whole path: the per-client RateLimiter object (one client here, limit raised so none is
// refused), the D1 query, ranking, and the impression log written after the response.
//
// Settings: BENCH_DURATION_S (10), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3), BENCH_ROUNDS (1),
// BENCH_LOAD_TOOL (wrk|autocannon); catalog size: BENCH_SEARCH_PRODUCTS (100000),
// BENCH_SEARCH_STORES (1000), BENCH_SEARCH_STOCK_PER_STORE (1000).
import { organizationBootstrapSql } from '../src/accounts/bootstrap-sql.ts';
import { jsonChunks } from '../src/db/json-chunks.ts';
import { seededRandom } from '../src/demo/seeded-random.ts';
import { withCheckDigit } from '../src/digital-link/check-digit.ts';
import { workerBundle } from './lib/build-worker.ts';
import {
  BARE_REDIRECT,
  loadSettingsFromEnv,
  measureScenarios,
  type ScenarioSpec,
} from './lib/measure-scenario.ts';
import { printTable, saveRun, startRun } from './lib/report.ts';
import { serveWorker } from './lib/serve-worker.ts';

const PRODUCTS = Number(process.env.BENCH_SEARCH_PRODUCTS ?? 100_000);
const STORES = Number(process.env.BENCH_SEARCH_STORES ?? 1_000);
const STOCK_PER_STORE = Number(process.env.BENCH_SEARCH_STOCK_PER_STORE ?? 1_000);
/** Half of each store's range comes from these best sellers, so popular products are stocked widely. */
const POPULAR = Math.min(5_000, PRODUCTS);
const PATHS = 1_000;
const ORG = 'org_bench';

const ADJECTIVES = [
  'organic',
  'classic',
  'smoked',
  'spicy',
  'sweet',
  'dark',
  'light',
  'crunchy',
  'creamy',
  'fresh',
  'roasted',
  'wholegrain',
  'salted',
  'unsalted',
  'vanilla',
  'lemon',
  'garlic',
  'honey',
  'chili',
  'herbal',
  'mild',
  'extra',
  'premium',
  'rustic',
  'golden',
  'wild',
  'green',
  'red',
  'black',
  'white',
];
const FOODS = [
  'rice',
  'pasta',
  'tea',
  'coffee',
  'chocolate',
  'biscuits',
  'cereal',
  'oats',
  'jam',
  'peanut butter',
  'olive oil',
  'vinegar',
  'mustard',
  'ketchup',
  'mayonnaise',
  'soup',
  'beans',
  'lentils',
  'chickpeas',
  'tuna',
  'sardines',
  'salmon',
  'crackers',
  'crisps',
  'popcorn',
  'nuts',
  'almonds',
  'raisins',
  'flour',
  'sugar',
  'salt',
  'pepper',
  'paprika',
  'curry',
  'noodles',
  'couscous',
  'quinoa',
  'granola',
  'muesli',
  'yogurt',
  'cheese',
  'butter',
  'milk',
  'juice',
  'lemonade',
  'cola',
  'water',
  'wine',
  'beer',
  'cider',
  'bread',
  'wraps',
  'pizza',
  'sauce',
  'pesto',
  'passata',
  'olives',
  'pickles',
  'honeycomb',
  'marmalade',
];
const CATEGORIES = [
  'Pantry',
  'Breakfast',
  'Snacks',
  'Drinks',
  'Dairy',
  'Condiments',
  'Canned food',
  'Baking',
  'Spices',
  'Bakery',
];
const SYLLABLES = [
  'bel',
  'nor',
  'ta',
  'vi',
  'ko',
  'ra',
  'mi',
  'lu',
  'san',
  'do',
  'ver',
  'al',
  'po',
  'ri',
  'ze',
  'ga',
  'fi',
  'mo',
  'ne',
  'cas',
];
const BRANDS = SYLLABLES.flatMap((a) =>
  SYLLABLES.slice(0, 10).map((b) => `${a}${b}`[0]!.toUpperCase() + `${a}${b}`.slice(1)),
);
const CITIES: [string, string, number, number, string][] = [
  ['Paris', 'FR', 48.8566, 2.3522, 'Europe/Paris'],
  ['Lyon', 'FR', 45.764, 4.8357, 'Europe/Paris'],
  ['Berlin', 'DE', 52.52, 13.405, 'Europe/Berlin'],
  ['Munich', 'DE', 48.1351, 11.582, 'Europe/Berlin'],
  ['Milano', 'IT', 45.4642, 9.19, 'Europe/Rome'],
  ['Roma', 'IT', 41.9028, 12.4964, 'Europe/Rome'],
  ['Madrid', 'ES', 40.4168, -3.7038, 'Europe/Madrid'],
  ['Barcelona', 'ES', 41.3874, 2.1686, 'Europe/Madrid'],
  ['London', 'GB', 51.5072, -0.1276, 'Europe/London'],
  ['Manchester', 'GB', 53.4808, -2.2426, 'Europe/London'],
  ['Amsterdam', 'NL', 52.3676, 4.9041, 'Europe/Amsterdam'],
  ['Brussels', 'BE', 50.8503, 4.3517, 'Europe/Brussels'],
  ['Vienna', 'AT', 48.2082, 16.3738, 'Europe/Vienna'],
  ['Warsaw', 'PL', 52.2297, 21.0122, 'Europe/Warsaw'],
  ['Stockholm', 'SE', 59.3293, 18.0686, 'Europe/Stockholm'],
  ['New York', 'US', 40.7128, -74.006, 'America/New_York'],
  ['Chicago', 'US', 41.8781, -87.6298, 'America/Chicago'],
  ['Los Angeles', 'US', 34.0522, -118.2437, 'America/Los_Angeles'],
  ['Toronto', 'CA', 43.6532, -79.3832, 'America/Toronto'],
  ['Mexico City', 'MX', 19.4326, -99.1332, 'America/Mexico_City'],
  ['São Paulo', 'BR', -23.5558, -46.6396, 'America/Sao_Paulo'],
  ['Tokyo', 'JP', 35.6762, 139.6503, 'Asia/Tokyo'],
  ['Singapore', 'SG', 1.3521, 103.8198, 'Asia/Singapore'],
  ['Sydney', 'AU', -33.8688, 151.2093, 'Australia/Sydney'],
  ['Cape Town', 'ZA', -33.9249, 18.4241, 'Africa/Johannesburg'],
];

const next = seededRandom(7);
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
const gtinOf = (n: number) => withCheckDigit(`2${String(n).padStart(12, '0')}`);
/** A point within `km` of `center`, uniform over the disc. */
function near(lat: number, lng: number, km: number): [number, number] {
  const r = km * Math.sqrt(next());
  const θ = next() * 2 * Math.PI;
  return [
    lat + (r * Math.cos(θ)) / 111.2,
    lng + (r * Math.sin(θ)) / (111.2 * Math.cos((lat * Math.PI) / 180)),
  ];
}

function productRow(n: number): [string, string, unknown] {
  const food = FOODS[Math.floor(n / ADJECTIVES.length) % FOODS.length]!;
  const adjective = ADJECTIVES[n % ADJECTIVES.length]!;
  const brand = BRANDS[(n * 7) % BRANDS.length]!;
  const field = (value: unknown) => ({ value, source: 'brand', confidence: 1 });
  return [
    `prd_b${n}`,
    gtinOf(n),
    {
      name: field(`${brand} ${adjective} ${food} ${100 + (n % 9) * 50} g`),
      brand: field(brand),
      description: field(
        `${adjective[0]!.toUpperCase()}${adjective.slice(1)} ${food} from ${brand}, made with care. Store in a cool, dry place.`,
      ),
      category: field(CATEGORIES[FOODS.indexOf(food) % CATEGORIES.length]),
      images: field([`https://cdn.example.com/products/${n}.jpg`]),
    },
  ];
}

const INSERT_PRODUCTS = `INSERT INTO products (id, org_id, brand_id, gtin, status, fields, authorised_markets, recalled_lots,
    completeness_score, completeness_band, completeness_recommendations, created_at, updated_at)
  SELECT value ->> 0, '${ORG}', NULL, value ->> 1, 'active', value -> 2, '[]', '[]', 60, 'needs_attention', '[]', ?2, ?2
  FROM json_each(?1)`;

const INSERT_STORES = `INSERT INTO locations (id, org_id, name, address_line1, city, country, latitude, longitude, timezone, created_at, updated_at)
  SELECT value ->> 0, '${ORG}', value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, ?2, ?2
  FROM json_each(?1)`;

// Stores ?1–?2 each get ?3 products: every other one a best seller (the first ?4 products), the
// rest from the whole catalog (?5 products); counted up to three days ago (?6 = now), 1 in 12 sold
// out. D1 binds JavaScript numbers as REAL: cast, or 'loc_b' || 0 would read 'loc_b0.0'.
const INSERT_STOCK = `WITH RECURSIVE s(k) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT k + 1 FROM s WHERE k < ?2),
  j(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM j WHERE n < ?3 - 1)
  INSERT OR IGNORE INTO inventory (location_id, org_id, gtin, quantity, price, currency, status, synced_at, source, updated_at)
  SELECT 'loc_b' || s.k, '${ORG}', p.gtin, (s.k + j.n) % 12, 0.99 + ((s.k * 13 + j.n) % 900) / 100.0, 'EUR',
    CASE WHEN (s.k + j.n) % 12 = 0 THEN 'out_of_stock' ELSE 'in_stock' END, ?6 - ((s.k * 31 + j.n * 17) % 4320) * 60000, 'api', ?6
  FROM s, j JOIN products p ON p.id = 'prd_b' || (CASE WHEN j.n % 2 = 0 THEN (s.k * 7919 + j.n * 104729) % CAST(?4 AS INTEGER)
    ELSE (s.k * 15485863 + j.n * 32452843) % CAST(?5 AS INTEGER) END)`;

async function loadCatalog(
  d1: Awaited<ReturnType<Awaited<ReturnType<typeof serveWorker>>['mf']['getD1Database']>>,
): Promise<void> {
  const now = Date.now();
  let started = performance.now();
  const products = Array.from({ length: PRODUCTS }, (_, n) => productRow(n));
  for (const chunk of jsonChunks(products)) await d1.prepare(INSERT_PRODUCTS).bind(chunk, now).run();
  console.log(
    `${PRODUCTS.toLocaleString('en-US')} products (and their FTS5 index) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  started = performance.now();
  const stores = Array.from({ length: STORES }, (_, k) => {
    const [city, country, lat, lng, tz] = CITIES[k % CITIES.length]!;
    const [sLat, sLng] = near(lat, lng, 15);
    return [`loc_b${k}`, `${city} store ${k}`, `${k} High Street`, city, country, sLat, sLng, tz];
  });
  await d1.prepare(INSERT_STORES).bind(JSON.stringify(stores), now).run();
  for (let k = 0; k < STORES; k += 50) {
    await d1
      .prepare(INSERT_STOCK)
      .bind(k, Math.min(k + 49, STORES - 1), STOCK_PER_STORE, POPULAR, PRODUCTS, now)
      .run();
  }
  const rows = await d1.prepare('SELECT count(*) AS n FROM inventory').first<number>('n');
  console.log(
    `${STORES.toLocaleString('en-US')} stores in ${CITIES.length} cities, ${rows?.toLocaleString('en-US')} inventory rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Where searches come from: mostly around a city with stores, some where there are none. */
function searchPlace(): { lat: string; lng: string } {
  const [lat, lng] =
    next() < 0.85
      ? near(...(pick(CITIES).slice(2, 4) as [number, number]), 10)
      : [next() * 110 - 50, next() * 360 - 180];
  return { lat: lat.toFixed(4), lng: lng.toFixed(4) };
}

function searchPath(q: string): string {
  const params = new URLSearchParams({ q, ...searchPlace() });
  const r = next();
  if (r < 0.2) params.set('radius_km', '25');
  else if (r < 0.3) params.set('radius_km', '50');
  if (next() < 0.2) params.set('in_stock', 'true');
  return `/search?${params}`;
}

/** One word (a food: about 1,700 matches of 100,000), two words (about 55), or a brand (500). */
function textQuery(): string {
  const r = next();
  if (r < 0.6) return pick(FOODS);
  if (r < 0.85) return `${pick(ADJECTIVES)} ${pick(FOODS)}`;
  return pick(BRANDS);
}

const gtinQuery = () =>
  `gtin:${gtinOf(next() < 0.5 ? Math.floor(next() * POPULAR) : Math.floor(next() * PRODUCTS))}`;

const settings = loadSettingsFromEnv();
const run = startRun('search', 'npm run bench:search', settings.warmupS);
const seedSql = organizationBootstrapSql({
  orgId: ORG,
  orgName: 'Bench Foods',
  keyId: 'key_bench',
  keyName: 'bench',
  keyPrefix: 'dle_bench',
  keyHash: 'x',
  createdAt: Date.now(),
});
// One client (every request from 127.0.0.1) with a limit it never reaches: the limiter's RPC is
// measured, its refusals are not.
const worker = await serveWorker({
  scriptPath: workerBundle(),
  seedSql,
  vars: { SEARCH_RATE_LIMIT: '1000000000' },
});
try {
  const d1 = await worker.mf.getD1Database('DB');
  await loadCatalog(d1);
  const text = Array.from({ length: PATHS }, () => searchPath(textQuery()));
  const gtin = Array.from({ length: PATHS }, () => searchPath(gtinQuery()));
  const mix = Array.from({ length: PATHS }, (_, i) => (i % 5 < 3 ? text[i]! : gtin[i]!));
  const scenarios: ScenarioSpec[] = [
    BARE_REDIRECT,
    { scenario: `search: text (${PATHS} queries)`, paths: text, expectStatus: 200 },
    { scenario: `search: gtin (${PATHS} queries)`, paths: gtin, expectStatus: 200 },
    { scenario: 'search: mix 60 % text, 40 % gtin', paths: mix, expectStatus: 200 },
  ];
  run.scenarios = await measureScenarios(worker, scenarios, settings);

  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the last impression logs
  const logged = await d1
    .prepare(
      'SELECT (SELECT count(*) FROM searches) AS searches, (SELECT count(*) FROM search_impressions) AS impressions',
    )
    .first<{ searches: number; impressions: number }>();
  const served = run.scenarios.filter((s) => !s.baseline).reduce((n, s) => n + s.requests, 0);
  console.log(
    `Logged ${logged?.searches.toLocaleString('en-US')} searches and ${logged?.impressions.toLocaleString('en-US')} impressions ` +
      `(${served.toLocaleString('en-US')} measured searches, plus warm-ups and status checks).`,
  );
} finally {
  await worker.dispose();
}
printTable(run);
saveRun(run);
