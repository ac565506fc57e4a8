// Brand rules for the demo organisation, one or more for each kind of condition, written through
// `POST /v1/rules/bulk` by `npm start`. Every rule has a client_key and an explicit order_index, so
// a second start finds them unchanged and writes nothing. Import-free, so the Node start script
// and the benchmarks load it as it is (the API validates the rules; test/rules/demo-rules.test.ts).

/** A rule as `POST /v1/rules/bulk` takes it (see README "Resolution rules"). */
export interface RuleInput {
  client_key: string;
  name: string;
  scope: 'SERIAL' | 'BATCH' | 'PRODUCT' | 'BRAND' | 'ORGANIZATION';
  gtin?: string;
  lot?: string;
  serial?: string;
  brand_id?: string;
  order_index: number;
  enabled?: boolean;
  conditions?: Record<string, unknown>;
  destination: { type: 'url'; url: string; forward_query?: boolean } | { type: 'hosted_page' };
  dead_url_policy?: 'skip_rule' | 'hosted_page';
}

const RISOTTO = '09506000134352'; // GS1's sample GTIN, with GS1's sample links
const CAPSULES = '09506000134376'; // lot ABC123 is recalled in the demo catalog
const OLIVE_OIL = '09506000134383'; // in the catalog, no GS1 links: the hosted page is its fallback
const DEMO_BRAND = 'brd_demo';
const SITE = 'https://dalgiardino.com';

export const DEMO_RULES: RuleInput[] = [
  {
    client_key: 'demo-recalled-lot',
    name: 'Recalled lots show the recall notice',
    scope: 'PRODUCT',
    gtin: CAPSULES,
    order_index: 0,
    conditions: { product_statuses: ['recalled'] },
    destination: { type: 'hosted_page' },
  },
  {
    client_key: 'demo-french-canada',
    name: 'French page for Canada',
    scope: 'PRODUCT',
    gtin: RISOTTO,
    order_index: 0,
    conditions: { countries: ['CA'], languages: ['fr'] },
    destination: { type: 'url', url: `${SITE}/risotto-rice-with-mushrooms/index.html.fr?gtin={gtin}` },
    dead_url_policy: 'skip_rule',
  },
  {
    client_key: 'demo-quebec-stores',
    name: 'Where to buy in Quebec',
    scope: 'PRODUCT',
    gtin: RISOTTO,
    order_index: 1,
    conditions: { regions: ['Quebec', 'QC'] },
    destination: { type: 'url', url: `${SITE}/where-to-buy/quebec/` },
  },
  {
    client_key: 'demo-milan-stores',
    name: 'Where to buy in Milan',
    scope: 'PRODUCT',
    gtin: RISOTTO,
    order_index: 2,
    conditions: { countries: ['IT'], cities: ['Milano', 'Milan'] },
    destination: { type: 'url', url: `${SITE}/where-to-buy/milano/` },
  },
  {
    client_key: 'demo-holiday-recipes',
    name: 'Holiday recipes, 15 December to 6 January (Rome time)',
    scope: 'BRAND',
    brand_id: DEMO_BRAND,
    order_index: 0,
    conditions: { annual_window: { start: '12-15', end: '01-06' }, timezone: 'Europe/Rome' },
    destination: { type: 'url', url: `${SITE}/mushroom-squash-risotto/?season=holidays&gtin={gtin}` },
    dead_url_policy: 'hosted_page',
  },
  {
    client_key: 'demo-weekday-lunch-mobile',
    name: 'Quick lunch recipes on phones, weekdays 11:30–14:00 (Rome time)',
    scope: 'BRAND',
    brand_id: DEMO_BRAND,
    order_index: 1,
    conditions: {
      days_of_week: ['mon', 'tue', 'wed', 'thu', 'fri'],
      time_of_day: { start: '11:30', end: '14:00' },
      timezone: 'Europe/Rome',
      device_classes: ['mobile'],
    },
    destination: { type: 'url', url: `${SITE}/quick-lunch/?gtin={gtin}` },
  },
  {
    client_key: 'demo-recipe-videos-tablets',
    name: 'Recipe videos for tablets asking for recipes (?linkType=gs1:recipeInfo)',
    scope: 'ORGANIZATION',
    order_index: 0,
    conditions: { link_types: ['gs1:recipeInfo'], device_classes: ['tablet'] },
    destination: { type: 'url', url: `${SITE}/recipes/videos/{gtin}` },
  },
  {
    client_key: 'demo-discontinued',
    name: 'Discontinued products point to their successor',
    scope: 'ORGANIZATION',
    order_index: 1,
    conditions: { product_statuses: ['discontinued'] },
    destination: { type: 'url', url: `${SITE}/successors/{gtin}` },
    dead_url_policy: 'hosted_page',
  },
  {
    client_key: 'demo-olive-oil-launch',
    name: 'Launch campaign, March 2027',
    scope: 'PRODUCT',
    gtin: OLIVE_OIL,
    order_index: 0,
    conditions: { starts_at: '2027-03-01T00:00:00+01:00', ends_at: '2027-04-01T00:00:00+02:00' },
    destination: { type: 'url', url: `${SITE}/olive-oil-launch/` },
    dead_url_policy: 'hosted_page',
  },
];

/**
 * `count` PRODUCT rules for `gtin` (client keys `bench-<gtin>-<i>`) for `POST /v1/rules/bulk`,
 * as the resolve benchmark needs: every kind of condition, none of which a benchmark request
 * meets (no such country, language, device or time), so each scan evaluates all of them and
 * ends on the GS1 default link. With `matchLast`, the last rule has no condition and answers.
 * Their order_index starts at `firstOrderIndex` (100), after the demo rules of the same product.
 */
export function benchmarkRules(
  gtin: string,
  count: number,
  options: { matchLast?: boolean; firstOrderIndex?: number } = {},
): RuleInput[] {
  const first = options.firstOrderIndex ?? 100;
  const misses: Record<string, unknown>[] = [
    { countries: ['AQ'] },
    { languages: ['tlh'] },
    { device_classes: ['tablet'], countries: ['FR', 'DE'] },
    { regions: ['Nowhere'], cities: ['Atlantis'] },
    { starts_at: '2001-01-01T00:00:00Z', ends_at: '2001-12-31T00:00:00Z' },
    { annual_window: { start: '02-29', end: '02-29' }, timezone: 'Pacific/Kiritimati', countries: ['KI'] },
    {
      days_of_week: ['sun'],
      time_of_day: { start: '03:00', end: '03:01' },
      timezone: 'America/New_York',
      countries: ['US'],
    },
    { product_statuses: ['discontinued'] },
    { link_types: ['gs1:recipeInfo'] },
  ];
  return Array.from({ length: count }, (_, i): RuleInput => {
    const last = options.matchLast && i === count - 1;
    return {
      client_key: `bench-${gtin}-${i}`,
      name: `Benchmark rule ${i}`,
      scope: 'PRODUCT',
      gtin,
      order_index: first + i,
      conditions: last ? {} : misses[i % misses.length],
      destination: { type: 'url', url: `https://bench.example/rule/${i}?gtin={gtin}` },
    };
  });
}
