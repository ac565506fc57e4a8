// Demo catalog and stores (PRODUCT.md C4, C5) for `npm start`: GS1's sample "Dal Giardino"
// products, scored like the API scores them, and four stores with inventory. Fixed ids and
// upserts, so seeding twice changes nothing. Import-free apart from `.ts`-suffixed relative
// modules, so both the Node start script and the tests can load it.
import { sqlText } from '../accounts/bootstrap-sql.ts';
import { completenessScore } from '../catalog/completeness-score.ts';
import type { ProductFields } from '../catalog/product-fields.ts';

interface DemoProduct {
  id: string;
  gtin: string;
  status: 'active' | 'recalled' | 'discontinued';
  fields: ProductFields;
  markets: string[];
  recalledLots: { lot: string; recalledAt: number | null; reason: string | null }[];
}

const brand = <V>(value: V, confidence = 1) => ({ value, source: 'brand' as const, confidence });
const imported = <V>(value: V, confidence: number) => ({ value, source: 'import' as const, confidence });

const PRODUCTS: DemoProduct[] = [
  {
    id: 'prd_demo_risotto',
    gtin: '09506000134352',
    status: 'active',
    fields: {
      name: brand('Dal Giardino Risotto Rice with Mushrooms 411 gr'),
      brand: brand('Dal Giardino'),
      description: brand('Arborio risotto rice with dried porcini mushrooms, ready in 18 minutes.'),
      category: brand('Rice'),
      images: brand(['https://dalgiardino.com/images/risotto-rice-with-mushrooms.jpg']),
      net_content: brand({ value: 411, unit: 'g' as const }),
      country_of_origin: brand('IT'),
      ingredients: brand('Arborio rice (93%), dried porcini mushrooms (5%), salt, parsley'),
      allergens: brand([]),
      nutrition: brand({
        basis: '100g',
        energy_kcal: 354,
        fat_g: 1.1,
        carbohydrate_g: 78,
        protein_g: 7.4,
        salt_g: 1.2,
      }),
      certifications: imported(['EU Organic'], 0.6),
    },
    markets: ['DE', 'FR', 'IT', 'US'],
    recalledLots: [],
  },
  {
    id: 'prd_demo_capsules',
    gtin: '09506000134376',
    status: 'active',
    fields: {
      name: brand('Dal Giardino Medicinal Compound 50 x 200mg Capsules'),
      brand: brand('Dal Giardino'),
      description: imported('Herbal compound in 200 mg capsules, 50 per pack.', 0.5),
      category: brand('Health care'),
      images: brand(['https://dalgiardino.com/images/medicinal-compound.jpg']),
      net_content: brand({ value: 50, unit: 'count' as const }),
      country_of_origin: brand('IT'),
    },
    markets: ['FR', 'IT'],
    recalledLots: [{ lot: 'ABC123', recalledAt: Date.UTC(2026, 1, 10), reason: 'Capsule seal defect' }],
  },
  {
    id: 'prd_demo_olive_oil',
    gtin: '09506000134383',
    status: 'active',
    fields: {
      name: brand('Dal Giardino Extra Virgin Olive Oil 500 ml'),
      brand: brand('Dal Giardino'),
      category: imported('Oils', 0.8),
      net_content: brand({ value: 500, unit: 'ml' as const }),
      ingredients: imported('Extra virgin olive oil', 0.9),
    },
    markets: [],
    recalledLots: [],
  },
  {
    id: 'prd_demo_passata',
    gtin: '09506000134390',
    status: 'discontinued',
    fields: { name: imported('Dal Giardino Tomato Passata 700 g', 0.6), category: imported('Sauces', 0.4) },
    markets: [],
    recalledLots: [],
  },
];

export const LOCATIONS = [
  {
    id: 'loc_demo_paris',
    name: 'Épicerie Demo Paris',
    line1: '12 Rue de Rivoli',
    city: 'Paris',
    postal: '75004',
    country: 'FR',
    lat: 48.8556,
    lon: 2.3581,
    tz: 'Europe/Paris',
    shopify: '24826418',
  },
  {
    id: 'loc_demo_milan',
    name: 'Alimentari Demo Milano',
    line1: 'Via Torino 21',
    city: 'Milano',
    postal: '20123',
    country: 'IT',
    lat: 45.4615,
    lon: 9.1853,
    tz: 'Europe/Rome',
    shopify: null,
  },
  {
    id: 'loc_demo_berlin',
    name: 'Feinkost Demo Berlin',
    line1: 'Oranienburger Str. 50',
    city: 'Berlin',
    postal: '10117',
    country: 'DE',
    lat: 52.5246,
    lon: 13.3934,
    tz: 'Europe/Berlin',
    shopify: null,
  },
  {
    id: 'loc_demo_nyc',
    name: 'Demo Market New York',
    line1: '75 9th Ave',
    city: 'New York',
    postal: '10011',
    country: 'US',
    lat: 40.7424,
    lon: -74.0061,
    tz: 'America/New_York',
    shopify: null,
  },
];

const MINUTE = 60_000;
// [location, GTIN, quantity, price, currency, minutes since the count]: a spread of confidences
// (Confirmed ≤ 1 h, Likely ≤ 24 h, Uncertain) and one store (New York) inactive for over 7 days.
export const INVENTORY: [string, string, number, number, string, number][] = [
  ['loc_demo_paris', '09506000134352', 24, 3.49, 'EUR', 12],
  ['loc_demo_paris', '09506000134376', 6, 12.9, 'EUR', 12],
  ['loc_demo_paris', '09506000134383', 0, 8.99, 'EUR', 45],
  ['loc_demo_milan', '09506000134352', 40, 2.99, 'EUR', 30],
  ['loc_demo_milan', '09506000134383', 15, 7.5, 'EUR', 6 * 60],
  ['loc_demo_berlin', '09506000134352', 8, 3.79, 'EUR', 20 * 60],
  ['loc_demo_berlin', '09506000134376', 3, 13.5, 'EUR', 2 * 24 * 60],
  ['loc_demo_nyc', '09506000134352', 12, 4.99, 'USD', 9 * 24 * 60],
];

const json = (value: unknown) => sqlText(JSON.stringify(value));
const orNull = (value: string | null) => (value === null ? 'NULL' : sqlText(value));

/**
 * `seededAt` is the fixed creation time of every row; `now` places the inventory counts. Counts are
 * inserted once and never refreshed (DO NOTHING), so a second seed leaves them, like everything, as
 * they were; a store's data ages like a real one's.
 */
export function demoCatalogSql(orgId: string, brandId: string, seededAt: number, now: number): string[] {
  const products = PRODUCTS.map((p) => {
    const c = completenessScore(p.fields);
    return `INSERT INTO products (id, org_id, brand_id, gtin, status, fields, authorised_markets, recalled_lots,
        completeness_score, completeness_band, completeness_recommendations, created_at, updated_at)
      VALUES (${sqlText(p.id)}, ${sqlText(orgId)}, ${sqlText(brandId)}, ${sqlText(p.gtin)}, ${sqlText(p.status)}, ${json(p.fields)},
        ${json(p.markets)}, ${json(p.recalledLots)}, ${c.score}, ${sqlText(c.band)}, ${json(c.recommendations)}, ${seededAt}, ${seededAt})
      ON CONFLICT (id) DO UPDATE SET brand_id = excluded.brand_id, status = excluded.status, fields = excluded.fields,
        authorised_markets = excluded.authorised_markets, recalled_lots = excluded.recalled_lots,
        completeness_score = excluded.completeness_score, completeness_band = excluded.completeness_band,
        completeness_recommendations = excluded.completeness_recommendations, updated_at = excluded.updated_at`;
  });
  const locations = LOCATIONS.map(
    (
      l,
    ) => `INSERT INTO locations (id, org_id, name, address_line1, city, postal_code, country, latitude, longitude, timezone,
        shopify_location_id, created_at, updated_at)
      VALUES (${sqlText(l.id)}, ${sqlText(orgId)}, ${sqlText(l.name)}, ${sqlText(l.line1)}, ${sqlText(l.city)}, ${sqlText(l.postal)},
        ${sqlText(l.country)}, ${l.lat}, ${l.lon}, ${sqlText(l.tz)}, ${orNull(l.shopify)}, ${seededAt}, ${seededAt})
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, address_line1 = excluded.address_line1, city = excluded.city,
        postal_code = excluded.postal_code, country = excluded.country, latitude = excluded.latitude,
        longitude = excluded.longitude, timezone = excluded.timezone, shopify_location_id = excluded.shopify_location_id`,
  );
  const inventory = INVENTORY.map(([location, gtin, quantity, price, currency, minutesAgo]) => {
    const syncedAt = now - minutesAgo * MINUTE;
    return `INSERT INTO inventory (location_id, org_id, gtin, quantity, price, currency, status, synced_at, source, updated_at)
      VALUES (${sqlText(location)}, ${sqlText(orgId)}, ${sqlText(gtin)}, ${quantity}, ${price}, ${sqlText(currency)},
        ${sqlText(quantity > 0 ? 'in_stock' : 'out_of_stock')}, ${syncedAt}, 'api', ${syncedAt})
      ON CONFLICT (location_id, gtin) DO NOTHING`;
  });
  // The Paris store's Shopify items, ready for its webhook once a secret is set (README).
  const mappings = [
    ['808950810', '09506000134352'],
    ['808950811', '09506000134376'],
  ].map(
    ([item, gtin]) => `INSERT INTO pos_item_mappings (location_id, platform, pos_item_id, gtin, updated_at)
      VALUES ('loc_demo_paris', 'shopify', ${sqlText(item!)}, ${sqlText(gtin!)}, ${seededAt})
      ON CONFLICT (location_id, platform, pos_item_id) DO UPDATE SET gtin = excluded.gtin`,
  );
  return [...products, ...locations, ...inventory, ...mappings];
}
