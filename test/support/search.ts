// Public search through the Worker's own fetch handler, waiting for its waitUntil work (the
// impression log), plus fixtures: each test builds its own products and stores, through the API,
// around a random place with made-up words, so tests sharing the database never see each other.
import { randomBase32 } from '../../src/db/ids';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { KM_PER_DEGREE, type Point } from '../../src/search/great-circle';
import { createOrganization } from './accounts';
import { call, fetchAndSettle, ORIGIN } from './http';

export interface SearchOptions {
  /** CF-Connecting-IP; a fresh random address (its own rate-limit bucket) unless given. */
  ip?: string;
  /** Overrides of the Worker's vars, e.g. a small SEARCH_RATE_LIMIT; SEARCH_LOG_BATCH_MS is 0 unless given. */
  vars?: Partial<Env>;
  /** GET unless given; OPTIONS is sent as a CORS preflight. */
  method?: 'GET' | 'HEAD' | 'OPTIONS';
}

export const randomIp = () =>
  `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

export async function get(path: string, options: SearchOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'cf-connecting-ip': options.ip ?? randomIp() };
  if (options.method === 'OPTIONS')
    Object.assign(headers, { origin: 'https://app.example', 'access-control-request-method': 'GET' });
  const request = new Request(`${ORIGIN}${path}`, {
    method: options.method ?? 'GET',
    headers,
    redirect: 'manual',
  });
  return fetchAndSettle(request, { SEARCH_LOG_BATCH_MS: '0', ...options.vars });
}

export function searchPath(params: Record<string, string | number | boolean>): string {
  return `/search?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;
}

export interface StoreBody {
  name: string;
  address: { line1: string; city: string; postal_code: string | null; country: string };
  latitude: number;
  longitude: number;
  distance_km: number;
  price: number | null;
  currency: string | null;
  stock_status: string;
  confidence: string;
  synced_at: string;
}

export interface ResultBody {
  position: number;
  gtin: string;
  name: string | null;
  brand: string | null;
  category: string | null;
  image: string | null;
  available_nearby: boolean;
  nearest_store_km: number | null;
  stores: StoreBody[];
  click_url: string;
}

export interface SearchBody {
  search_id: string;
  query: { words?: string[]; gtin?: string };
  radius_km: number;
  total: number;
  data: ResultBody[];
  next_cursor: string | null;
}

export async function search(
  params: Record<string, string | number | boolean>,
  options: SearchOptions = {},
): Promise<SearchBody> {
  const res = await get(searchPath(params), options);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`search ${JSON.stringify(params)} → ${res.status} ${text}`);
  return JSON.parse(text) as SearchBody;
}

/** A word no other test uses: letters only, so the index keeps it as one token. */
export const uniqueWord = () => `zq${randomBase32(10).replace(/[^a-z]/g, 'x')}`;

/** A random GTIN-13 (in-store prefix 2), stored as 14 digits with a leading 0. */
export const randomGtin = () =>
  withCheckDigit(`2${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`);

/** Somewhere on land or sea away from the poles and the antimeridian, different for every test. */
export const randomPlace = (): Point => ({ lat: Math.random() * 100 - 50, lng: Math.random() * 300 - 150 });

/** The point `northKm` north and `eastKm` east of `p` (flat-earth: fine for tens of km). */
export function move(p: Point, northKm: number, eastKm: number): Point {
  return {
    lat: p.lat + northKm / KM_PER_DEGREE,
    lng: p.lng + eastKm / (KM_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180)),
  };
}

export interface ProductSpec {
  gtin?: string;
  name: string;
  brand?: string;
  description?: string;
  category?: string;
  image?: string;
  status?: 'active' | 'recalled' | 'discontinued';
}

export interface StockSpec {
  store: string;
  gtin: string;
  quantity: number;
  price?: number;
  /** How long ago the POS counted it. */
  minutesAgo?: number;
  status?: 'in_stock' | 'low_stock' | 'out_of_stock';
}

export class Catalog {
  private constructor(
    readonly orgId: string,
    readonly key: string,
  ) {}

  static async create(name = 'Search Test Foods'): Promise<Catalog> {
    const org = await createOrganization(name);
    return new Catalog(org.orgId, org.ownerKey);
  }

  /** Creates the products; returns their GTINs (14 digits) in order. */
  async products(specs: ProductSpec[]): Promise<string[]> {
    const items = specs.map((s) => ({
      gtin: s.gtin ?? randomGtin(),
      status: s.status ?? 'active',
      fields: {
        name: { value: s.name },
        ...(s.brand && { brand: { value: s.brand } }),
        ...(s.description && { description: { value: s.description } }),
        ...(s.category && { category: { value: s.category } }),
        ...(s.image && { images: { value: [s.image] } }),
      },
    }));
    const res = await call('POST', '/v1/products/bulk', { key: this.key, body: { items } });
    if (res.status !== 200) throw new Error(`products not created: ${res.status} ${await res.text()}`);
    return items.map((i) => i.gtin.padStart(14, '0'));
  }

  /** A store at `at`; returns its id. */
  async store(name: string, at: Point): Promise<string> {
    const res = await call('POST', '/v1/locations', {
      key: this.key,
      body: {
        name,
        address: { line1: `1 ${name} Street`, city: 'Testville', postal_code: '12345', country: 'FR' },
        latitude: Number(at.lat.toFixed(6)),
        longitude: Number(at.lng.toFixed(6)),
        timezone: 'Europe/Paris',
      },
    });
    if (res.status !== 201) throw new Error(`store not created: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }

  async stock(rows: StockSpec[]): Promise<void> {
    const now = Date.now();
    const items = rows.map((r) => ({
      location_id: r.store,
      gtin: r.gtin,
      quantity: r.quantity,
      ...(r.price !== undefined && { price: r.price, currency: 'EUR' }),
      ...(r.status && { status: r.status }),
      synced_at: new Date(now - (r.minutesAgo ?? 5) * 60_000).toISOString(),
    }));
    const res = await call('POST', '/v1/inventory/bulk', { key: this.key, body: { items } });
    if (res.status !== 200) throw new Error(`inventory not written: ${res.status} ${await res.text()}`);
  }
}
