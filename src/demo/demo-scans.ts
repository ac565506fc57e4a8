// A realistic spread of past scans for the demo brand: months of them, countries and cities, lots
// and serials, scanner apps, a few bots; a weekly rhythm (weekends busiest), evenings, a campaign
// peak, and the recalled lot still scanned after its recall. Deterministic for a given seed (a
// small PRNG), so the demo looks the same on every machine.
import type { ScanEvent } from '../scans/scan-event';
import { seededRandom } from './seeded-random.ts';

interface Place {
  country: string;
  region: string;
  city: string;
  lat: number;
  lon: number;
  timezone: string;
  colo: string;
  weight: number;
}

const PLACES: Place[] = [
  {
    country: 'FR',
    region: 'Île-de-France',
    city: 'Paris',
    lat: 48.8566,
    lon: 2.3522,
    timezone: 'Europe/Paris',
    colo: 'CDG',
    weight: 30,
  },
  {
    country: 'FR',
    region: 'Auvergne-Rhône-Alpes',
    city: 'Lyon',
    lat: 45.764,
    lon: 4.8357,
    timezone: 'Europe/Paris',
    colo: 'LYS',
    weight: 8,
  },
  {
    country: 'IT',
    region: 'Lombardy',
    city: 'Milan',
    lat: 45.4642,
    lon: 9.19,
    timezone: 'Europe/Rome',
    colo: 'MXP',
    weight: 18,
  },
  {
    country: 'IT',
    region: 'Lazio',
    city: 'Rome',
    lat: 41.9028,
    lon: 12.4964,
    timezone: 'Europe/Rome',
    colo: 'FCO',
    weight: 9,
  },
  {
    country: 'DE',
    region: 'Berlin',
    city: 'Berlin',
    lat: 52.52,
    lon: 13.405,
    timezone: 'Europe/Berlin',
    colo: 'TXL',
    weight: 12,
  },
  {
    country: 'US',
    region: 'New York',
    city: 'New York',
    lat: 40.7128,
    lon: -74.006,
    timezone: 'America/New_York',
    colo: 'EWR',
    weight: 10,
  },
  {
    country: 'GB',
    region: 'England',
    city: 'London',
    lat: 51.5074,
    lon: -0.1278,
    timezone: 'Europe/London',
    colo: 'LHR',
    weight: 7,
  },
  {
    country: 'CA',
    region: 'Quebec',
    city: 'Montreal',
    lat: 45.5017,
    lon: -73.5673,
    timezone: 'America/Toronto',
    colo: 'YUL',
    weight: 4,
  },
  {
    country: 'JP',
    region: 'Tokyo',
    city: 'Tokyo',
    lat: 35.6762,
    lon: 139.6503,
    timezone: 'Asia/Tokyo',
    colo: 'NRT',
    weight: 2,
  },
];

const APPS: [string, string, number][] = [
  ['Safari', 'mobile', 40],
  ['Chrome', 'mobile', 30],
  ['Instagram', 'mobile', 8],
  ['WeChat', 'mobile', 3],
  ['Samsung Internet', 'mobile', 6],
  ['Safari', 'tablet', 4],
  ['Chrome', 'desktop', 4],
];

function weighted<T>(items: T[], weight: (t: T) => number, r: number): T {
  const total = items.reduce((a, t) => a + weight(t), 0);
  let x = r * total;
  for (const t of items) {
    x -= weight(t);
    if (x < 0) return t;
  }
  return items[items.length - 1]!;
}

export interface DemoScanOptions {
  orgId: string;
  gtins: string[];
  /** Scans in all; spread over `days` ending at `endMs`. */
  count: number;
  days: number;
  endMs: number;
  seed?: number;
  /** Lots recalled per GTIN: a share of that GTIN's scans are of them (people still hold the stock). */
  recalledLots?: ReadonlyMap<string, readonly string[]>;
}

const DAY_MS = 86_400_000;
/** Relative scans per UTC weekday, Sunday first: shoppers scan most at weekends. */
const WEEKDAY_WEIGHT = [1.5, 0.8, 0.8, 0.9, 1, 1.2, 1.6];
/** A campaign in the middle of the last month, as a brand would run one: scans more than double. */
const CAMPAIGN = { fromDaysAgo: 20, days: 8, weight: 2.5 };
const MAX_WEIGHT = Math.max(...WEEKDAY_WEIGHT) * CAMPAIGN.weight * 1.5;

/** Relative scan rate at `at`: weekly rhythm, the campaign, and growth from 0.5 to 1.5 over the span. */
function rate(at: number, start: number, end: number): number {
  const daysAgo = (end - at) / DAY_MS;
  const campaign = daysAgo >= CAMPAIGN.fromDaysAgo - CAMPAIGN.days && daysAgo < CAMPAIGN.fromDaysAgo;
  const growth = 0.5 + (at - start) / (end - start);
  return WEEKDAY_WEIGHT[new Date(at).getUTCDay()]! * (campaign ? CAMPAIGN.weight : 1) * growth;
}

export function demoScans(o: DemoScanOptions): ScanEvent[] {
  const random = seededRandom(o.seed ?? 20261127);
  const events: ScanEvent[] = [];
  const start = o.endMs - o.days * DAY_MS;
  for (let i = 0; i < o.count; i++) {
    // Drawn in proportion to the rate (rejection sampling), then moved towards the evening.
    let at = start + random() * (o.endMs - start);
    while (random() * MAX_WEIGHT > rate(at, start, o.endMs)) at = start + random() * (o.endMs - start);
    const hour = new Date(at).getUTCHours();
    if (hour < 7 && random() < 0.6) at += 12 * 3_600_000;
    at = Math.min(at, o.endMs - 1);
    const place = weighted(PLACES, (p) => p.weight, random());
    const gtin = o.gtins[Math.floor(random() ** 1.5 * o.gtins.length)]!; // the first GTINs are scanned most
    const bot = random() < 0.05;
    const [app, device] = bot ? [null, 'bot'] : weighted(APPS, (a) => a[2], random());
    const recalled = o.recalledLots?.get(gtin) ?? [];
    const lot =
      recalled.length > 0 && !bot && random() < 0.25
        ? recalled[Math.floor(random() * recalled.length)]!
        : `LOT${26 + Math.floor(random() * 4)}${String.fromCharCode(65 + Math.floor(random() * 3))}`;
    const serialised = random() < 0.4;
    const jitter = () => (random() - 0.5) * 0.2;
    events.push({
      id: `demo-${String(i).padStart(6, '0')}`,
      orgId: o.orgId,
      occurredAt: Math.floor(at),
      keyAi: '01',
      keyValue: gtin,
      cpv: null,
      lot,
      serial: serialised ? `SN${String(Math.floor(random() * 5000)).padStart(5, '0')}` : null,
      attributes: {},
      country: place.country,
      region: place.region,
      city: place.city,
      latitude: Number((place.lat + jitter()).toFixed(4)),
      longitude: Number((place.lon + jitter()).toFixed(4)),
      timezone: place.timezone,
      colo: place.colo,
      referrer: random() < 0.1 ? 'https://www.instagram.com' : null,
      app,
      deviceClass: device,
      isBot: bot,
      outcome: 'redirect',
      // Some apps ask for recipes (?linkType=gs1:recipeInfo), as the demo's tablet rule expects.
      linkType: random() < 0.08 ? 'gs1:recipeInfo' : 'gs1:pip',
      ruleId: null,
      destination: null,
      language:
        place.country === 'FR' || place.country === 'CA' ? 'fr' : place.country === 'IT' ? 'it' : 'en',
      scannerHash: `demo${Math.floor(random() * 2000).toString(16)}`,
    });
  }
  return events;
}
