// A synthetic but realistic scan history for one organisation (bench/dashboard.ts): a few hundred
// GTINs with a Zipf skew, ~20 countries, lots by production week, serials, in-app browsers, ~5 %
// bots, daily and weekly rhythms. Deterministic for a seed (a small PRNG), generated hour by hour
// in time order, so events stream out without holding the whole history in memory.
//
// Alongside the events it aggregates the roll-up rows the ScanCounter objects would have flushed
// for them, with the ScanCounter's own functions (src/scans/scan-dimensions.ts: 15-minute bucket,
// dimension values) and its rules (src/scans/scan-counter.ts `record`: '' for no country or lot, a serial's
// lot is the one its latest scan carried, scanners are distinct per UTC day and bot flag).

import { seededRandom } from '../../src/demo/seeded-random.ts';
import { bucketOf, dimensionValues, HOUR_MS, hourOf, utcDay } from '../../src/scans/scan-dimensions.ts';
import type { ScanEvent } from '../../src/scans/scan-event-shape.ts';

export interface DatasetOptions {
  orgId: string;
  events: number;
  /** The history spans this many days ending at `endMs` (exclusive). */
  days: number;
  endMs: number;
  gtins?: number;
  seed?: number;
}

/** One row per table, in the column order of `INSERT_SQL` in scan-dataset-writer.ts. */
export interface DatasetSink {
  event(row: unknown[]): void;
  hourly(row: unknown[]): void;
  dims(row: unknown[]): void;
  serials(row: unknown[]): void;
  scanners(row: unknown[]): void;
  /** Called after every hour of history: where a writer sends what it has and waits for room. */
  drain(): Promise<void>;
}

export interface DatasetSummary {
  events: number;
  bots: number;
  fromMs: number;
  toMs: number;
  gtins: number;
  countries: number;
  rows: { hourly: number; dims: number; serials: number; scanners: number };
}

interface Place {
  country: string;
  region: string;
  city: string;
  lat: number;
  lon: number;
  timezone: string;
  colo: string;
  language: string;
  weight: number;
}

const place = (
  country: string,
  region: string,
  city: string,
  lat: number,
  lon: number,
  timezone: string,
  colo: string,
  language: string,
  weight: number,
): Place => ({
  country,
  region,
  city,
  lat,
  lon,
  timezone,
  colo,
  language,
  weight,
});

/** 20 countries, for a brand that sells mostly in Europe and North America. */
const PLACES: Place[] = [
  place('FR', 'Île-de-France', 'Paris', 48.8566, 2.3522, 'Europe/Paris', 'CDG', 'fr', 160),
  place('FR', 'Auvergne-Rhône-Alpes', 'Lyon', 45.764, 4.8357, 'Europe/Paris', 'LYS', 'fr', 50),
  place('FR', "Provence-Alpes-Côte d'Azur", 'Marseille', 43.2965, 5.3698, 'Europe/Paris', 'MRS', 'fr', 40),
  place('IT', 'Lombardy', 'Milan', 45.4642, 9.19, 'Europe/Rome', 'MXP', 'it', 90),
  place('IT', 'Lazio', 'Rome', 41.9028, 12.4964, 'Europe/Rome', 'FCO', 'it', 60),
  place('DE', 'Berlin', 'Berlin', 52.52, 13.405, 'Europe/Berlin', 'TXL', 'de', 70),
  place('DE', 'Bavaria', 'Munich', 48.1351, 11.582, 'Europe/Berlin', 'MUC', 'de', 50),
  place('DE', 'Hamburg', 'Hamburg', 53.5511, 9.9937, 'Europe/Berlin', 'HAM', 'de', 30),
  place('US', 'New York', 'New York', 40.7128, -74.006, 'America/New_York', 'EWR', 'en', 60),
  place('US', 'California', 'Los Angeles', 34.0522, -118.2437, 'America/Los_Angeles', 'LAX', 'en', 40),
  place('US', 'Illinois', 'Chicago', 41.8781, -87.6298, 'America/Chicago', 'ORD', 'en', 25),
  place('GB', 'England', 'London', 51.5074, -0.1278, 'Europe/London', 'LHR', 'en', 60),
  place('GB', 'England', 'Manchester', 53.4808, -2.2426, 'Europe/London', 'MAN', 'en', 20),
  place('ES', 'Community of Madrid', 'Madrid', 40.4168, -3.7038, 'Europe/Madrid', 'MAD', 'es', 40),
  place('ES', 'Catalonia', 'Barcelona', 41.3874, 2.1686, 'Europe/Madrid', 'BCN', 'es', 30),
  place('BE', 'Brussels', 'Brussels', 50.8503, 4.3517, 'Europe/Brussels', 'BRU', 'fr', 25),
  place('NL', 'North Holland', 'Amsterdam', 52.3676, 4.9041, 'Europe/Amsterdam', 'AMS', 'nl', 25),
  place('CH', 'Zurich', 'Zurich', 47.3769, 8.5417, 'Europe/Zurich', 'ZRH', 'de', 20),
  place('CA', 'Quebec', 'Montreal', 45.5017, -73.5673, 'America/Toronto', 'YUL', 'fr', 20),
  place('CA', 'Ontario', 'Toronto', 43.6532, -79.3832, 'America/Toronto', 'YYZ', 'en', 15),
  place('PL', 'Masovia', 'Warsaw', 52.2297, 21.0122, 'Europe/Warsaw', 'WAW', 'pl', 15),
  place('PT', 'Lisbon', 'Lisbon', 38.7223, -9.1393, 'Europe/Lisbon', 'LIS', 'pt', 12),
  place('AT', 'Vienna', 'Vienna', 48.2082, 16.3738, 'Europe/Vienna', 'VIE', 'de', 12),
  place('SE', 'Stockholm', 'Stockholm', 59.3293, 18.0686, 'Europe/Stockholm', 'ARN', 'sv', 10),
  place('IE', 'Leinster', 'Dublin', 53.3498, -6.2603, 'Europe/Dublin', 'DUB', 'en', 10),
  place('DK', 'Capital Region', 'Copenhagen', 55.6761, 12.5683, 'Europe/Copenhagen', 'CPH', 'da', 8),
  place('NO', 'Oslo', 'Oslo', 59.9139, 10.7522, 'Europe/Oslo', 'OSL', 'no', 6),
  place('JP', 'Tokyo', 'Tokyo', 35.6762, 139.6503, 'Asia/Tokyo', 'NRT', 'ja', 10),
  place('BR', 'São Paulo', 'São Paulo', -23.5505, -46.6333, 'America/Sao_Paulo', 'GRU', 'pt', 8),
  place('AU', 'New South Wales', 'Sydney', -33.8688, 151.2093, 'Australia/Sydney', 'SYD', 'en', 6),
];

/** [app, device class, weight] of human scans; bots have no app (scan-event.ts). */
const APPS: [string, string, number][] = [
  ['Safari', 'mobile', 38],
  ['Chrome', 'mobile', 28],
  ['Instagram', 'mobile', 7],
  ['Samsung Internet', 'mobile', 6],
  ['Google app', 'mobile', 5],
  ['Facebook', 'mobile', 3],
  ['TikTok', 'mobile', 2],
  ['WeChat', 'mobile', 1],
  ['Safari', 'tablet', 4],
  ['Chrome', 'desktop', 4],
  ['Firefox', 'desktop', 1],
  ['Edge', 'desktop', 1],
];

const REFERRERS: [string | null, number][] = [
  [null, 85],
  ['https://www.instagram.com', 6],
  ['https://www.facebook.com', 3],
  ['https://www.tiktok.com', 2],
  ['https://www.google.com', 4],
];

/** [outcome, link type, weight]: mostly product pages, a few other link types, linksets and misses. */
const OUTCOMES: [ScanEvent['outcome'], string | null, number][] = [
  ['redirect', 'gs1:pip', 70],
  ['redirect', 'gs1:recipeInfo', 8],
  ['redirect', 'gs1:certificationInfo', 5],
  ['redirect', 'gs1:instructions', 4],
  ['redirect', 'gs1:defaultLink', 8],
  ['linkset', 'linkset', 3],
  ['not_found', null, 2],
];

const RULES = [
  'rul_bench_fr_promo',
  'rul_bench_recall',
  'rul_bench_de_lang',
  'rul_bench_instagram',
  'rul_bench_weekend',
];

/** Share of scans per UTC hour: quiet nights, a European lunch and evening peak, an American tail. */
const HOUR_WEIGHTS_UTC = [3, 2, 1.5, 1, 1, 1.5, 3, 5, 7, 8, 9, 10, 11, 10, 9, 9, 10, 12, 14, 14, 12, 9, 6, 4];

/** Picks from `items` by cumulative weight with a binary search. */
function picker<T>(items: T[], weight: (t: T) => number): (r: number) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weight(item);
    cumulative.push(total);
  }
  return (r) => {
    const x = r * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** A GTIN-14 with its GS1 check digit (mod 10, weights 3 and 1 from the right). */
export function gtin14(first13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(first13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${first13}${(10 - (sum % 10)) % 10}`;
}

/** 32 hex digits, like a real scanner hash (src/scans/scanner-hash.ts), from two FNV-1a variants. */
function hex32(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  const h = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${h(a)}${h(b)}${h(a ^ b ^ 0x9e3779b9)}${h(Math.imul(a, b))}`;
}

/** A UUIDv7 (time-ordered, as the capture path makes them) from the instant and a counter. */
function uuidV7(ms: number, n: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const c = n.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6, 15)}000`;
}

/** Exactly `total` hours' worth of counts, proportional to `weights` (largest remainders). */
function apportion(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, c) => a + c, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

const SEP = '\u0001';
const byKey = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Generates the history into `sink`: events in time order, roll-ups per 15-minute bucket (as
 * the ScanCounter counts) after each hour, scanner counts after each UTC day, serials at the end.
 */
export async function generateDataset(o: DatasetOptions, sink: DatasetSink): Promise<DatasetSummary> {
  const random = seededRandom(o.seed ?? 20261127);
  const gtinCount = o.gtins ?? 300;
  const toMs = hourOf(o.endMs - 1) + HOUR_MS;
  const fromMs = toMs - o.days * 86_400_000;
  const gtins = Array.from({ length: gtinCount }, (_, i) =>
    gtin14(`0950601${String(100_000 + i * 7).slice(-6)}`),
  );
  const gtinShare = gtins.map((_, i) => 1 / (i + 1) ** 1.07); // Zipf: a few best sellers, a long tail
  const shareSum = gtinShare.reduce((a, s) => a + s, 0);
  const gtinIndex = picker(
    gtins.map((_, i) => i),
    (i) => gtinShare[i]!,
  );
  // Serial numbers per GTIN: about as many as its serialised scans, so most serials are scanned once or
  // twice.
  const serialSpace = gtinShare.map((s) => Math.max(50, Math.round((o.events * 0.35 * s) / shareSum)));
  const pickPlace = picker(PLACES, (p) => p.weight);
  const pickApp = picker(APPS, (a) => a[2]);
  const pickReferrer = picker(REFERRERS, (r) => r[1]);
  const pickOutcome = picker(OUTCOMES, (x) => x[2]);
  const people = Math.max(100, Math.round(o.events / 3));

  const hours = Array.from({ length: (toMs - fromMs) / HOUR_MS }, (_, i) => fromMs + i * HOUR_MS);
  const weights = hours.map((h) => {
    const d = new Date(h);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1.3 : 1;
    const trend = 0.8 + (0.4 * (h - fromMs)) / (toMs - fromMs); // a brand growing over the quarter
    return HOUR_WEIGHTS_UTC[d.getUTCHours()]! * weekend * trend;
  });
  const perHour = apportion(weights, o.events);

  const summary: DatasetSummary = {
    events: 0,
    bots: 0,
    fromMs,
    toMs,
    gtins: gtinCount,
    countries: new Set(PLACES.map((p) => p.country)).size,
    rows: { hourly: 0, dims: 0, serials: 0, scanners: 0 },
  };
  const serials = new Map<
    string,
    { gtin: string; serial: string; lot: string; scans: number; first: number; last: number }
  >();
  let scannersDay = utcDay(fromMs);
  let scanners = new Map<string, Set<string>>();
  const flushScanners = () => {
    for (const [key, set] of scanners) {
      const [gtin, bot] = key.split(SEP);
      sink.scanners([gtin, scannersDay, Number(bot), set.size]);
      summary.rows.scanners++;
    }
    scanners = new Map();
  };

  for (const [h, hour] of hours.entries()) {
    if (utcDay(hour) !== scannersDay) {
      flushScanners();
      scannersDay = utcDay(hour);
    }
    const hourly = new Map<string, number>();
    const dims = new Map<string, number>();
    const offsets = Float64Array.from({ length: perHour[h]! }, () => Math.floor(random() * HOUR_MS)).sort();
    for (const offset of offsets) {
      const occurredAt = hour + offset;
      const day = utcDay(occurredAt);
      const g = gtinIndex(random());
      const gtin = gtins[g]!;
      const isBot = random() < 0.05;
      const here = isBot && random() < 0.6 ? PLACES[8]! : pickPlace(random()); // crawlers mostly from US data centres
      const unknownPlace = !isBot && random() < 0.01;
      const geo = !unknownPlace && random() < 0.97;
      const [app, deviceClass] = isBot ? [null, 'bot'] : pickApp(random());
      const shape = random(); // a plain GTIN, a lot, or a lot and a serial
      // Lots by production week (two lines, A and B); scans mostly of the last few weeks' lots.
      const lotWeek = Math.floor(day / 7) - Math.floor(-Math.log(1 - random()) * 2.5);
      const lot = shape < 0.25 ? null : `W${lotWeek}${random() < 0.6 ? 'A' : 'B'}`;
      const serial =
        shape < 0.65 || lot === null
          ? null
          : `${Math.floor(random() * serialSpace[g]!)
              .toString(36)
              .toUpperCase()
              .padStart(6, '0')}`;
      const [outcome, linkType] = pickOutcome(random());
      const ruleId =
        outcome === 'redirect' && random() < 0.15 ? RULES[Math.floor(random() * RULES.length)]! : null;
      const person = isBot ? `bot${Math.floor(random() * 40)}` : `p${Math.floor(random() * people)}`;
      const event: ScanEvent = {
        id: uuidV7(occurredAt, summary.events),
        orgId: o.orgId,
        occurredAt,
        keyAi: '01',
        keyValue: gtin,
        cpv: null,
        lot,
        serial,
        attributes:
          random() < 0.05 ? { '17': `${27 + (g % 2)}${String(1 + (g % 12)).padStart(2, '0')}28` } : {},
        country: unknownPlace ? null : here.country,
        region: unknownPlace ? null : here.region,
        city: unknownPlace ? null : here.city,
        latitude: geo ? Math.round((here.lat + (random() - 0.5) * 0.3) * 1e4) / 1e4 : null,
        longitude: geo ? Math.round((here.lon + (random() - 0.5) * 0.3) * 1e4) / 1e4 : null,
        timezone: unknownPlace ? null : here.timezone,
        colo: here.colo,
        referrer: isBot ? null : pickReferrer(random())[0],
        app,
        deviceClass,
        isBot,
        outcome,
        linkType,
        ruleId,
        destination:
          outcome === 'redirect'
            ? `https://brand.example/${linkType === 'gs1:pip' ? 'p' : 'info'}/${gtin}`
            : null,
        language: here.language,
        scannerHash: hex32(`${day}|${person}`),
      };
      summary.events++;
      if (isBot) summary.bots++;
      sink.event([
        event.id,
        event.occurredAt,
        event.keyValue,
        event.cpv,
        event.lot,
        event.serial,
        JSON.stringify(event.attributes),
        event.country,
        event.region,
        event.city,
        event.latitude,
        event.longitude,
        event.timezone,
        event.colo,
        event.referrer,
        event.app,
        event.deviceClass,
        isBot ? 1 : 0,
        event.outcome,
        event.linkType,
        event.ruleId,
        event.destination,
        event.language,
        event.scannerHash,
      ]);

      // What ScanCounter.record does with the event, per table.
      const bot = isBot ? 1 : 0;
      const country = event.country ?? '';
      const bucket = bucketOf(occurredAt);
      const hourlyKey = [gtin, bucket, country, event.lot ?? '', bot].join(SEP);
      hourly.set(hourlyKey, (hourly.get(hourlyKey) ?? 0) + 1);
      for (const [dim, value] of dimensionValues(event)) {
        const key = [gtin, bucket, dim, value, country, bot].join(SEP);
        dims.set(key, (dims.get(key) ?? 0) + 1);
      }
      if (event.serial !== null) {
        const key = `${gtin}${SEP}${event.serial}`;
        const s = serials.get(key);
        if (s) {
          s.scans++;
          s.first = Math.min(s.first, occurredAt);
          s.last = Math.max(s.last, occurredAt);
          s.lot = event.lot ?? '';
        } else {
          serials.set(key, {
            gtin,
            serial: event.serial,
            lot: event.lot ?? '',
            scans: 1,
            first: occurredAt,
            last: occurredAt,
          });
        }
      }
      const scannerKey = `${gtin}${SEP}${bot}`;
      (scanners.get(scannerKey) ?? scanners.set(scannerKey, new Set()).get(scannerKey)!).add(
        event.scannerHash,
      );
    }
    // In key order (GTIN first, as the tables' primary keys): consecutive inserts land on the same B-tree
    // pages.
    for (const [key, scans] of [...hourly].sort(byKey)) {
      const [gtin, bucket, country, lot, bot] = key.split(SEP);
      sink.hourly([gtin, Number(bucket), country, lot, Number(bot), scans]);
    }
    for (const [key, scans] of [...dims].sort(byKey)) {
      const [gtin, bucket, dim, value, country, bot] = key.split(SEP);
      sink.dims([gtin, Number(bucket), dim, value, country, Number(bot), scans]);
    }
    summary.rows.hourly += hourly.size;
    summary.rows.dims += dims.size;
    await sink.drain();
  }
  flushScanners();
  for (const s of serials.values()) sink.serials([s.gtin, s.serial, s.lot, s.scans, s.first, s.last]);
  summary.rows.serials = serials.size;
  return summary;
}
