// What the hosted product page shows, read from the catalog and the resolver's links: the product
// of the organisation that owns the GTIN (as the resolver decides it, see src/rules/scan-rules.ts),
// its GS1 links for the scanned level, and whether the scanned lot is recalled.

import type { ProductFields } from '../catalog/product-fields';
import type { ProductStatus, RecalledLot } from '../db/schema';
import type { DigitalLink } from '../digital-link';
import vocabulary from '../digital-link/data/gs1-link-types.json';
import { linkTarget } from '../resolver/linkset';
import { matchLevels } from '../resolver/resolve';

export interface HostedLink {
  href: string;
  title: string;
  /** The GS1 link type's name, e.g. "Product information page", or the brand's own type URI. */
  kind: string;
  hreflang: string[];
}

export interface HostedProduct {
  gtin: string;
  lot: string | null;
  name: string | null;
  brand: string | null;
  description: string | null;
  image: string | null;
  status: ProductStatus;
  /** The scanned lot's recall, when it is recalled. */
  recall: RecalledLot | null;
  links: HostedLink[];
}

const TITLES = new Map(vocabulary.map((t) => [t.curie, t.title]));

interface Row {
  status: ProductStatus;
  fields: string;
  recalled_lots: string;
  brand_name: string | null;
}

// The owner of the GTIN's resolver links, when there is one, is whose product the page shows.
const PRODUCT = `WITH owner AS (SELECT org_id FROM dl_entities WHERE key_ai = '01' AND key_value = ?1 LIMIT 1)
  SELECT p.status, p.fields, p.recalled_lots, b.name AS brand_name
  FROM products p LEFT JOIN brands b ON b.id = p.brand_id
  WHERE p.gtin = ?1 AND (NOT EXISTS (SELECT 1 FROM owner) OR p.org_id = (SELECT org_id FROM owner))
  ORDER BY p.created_at, p.id LIMIT 1`;

/** Only absolute http(s) URLs become links or images, whatever the stored data says. */
const webUrl = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

export async function loadHostedProduct(
  db: D1Database,
  gtin: string,
  lot: string | null,
): Promise<HostedProduct | null> {
  const row = await db.prepare(PRODUCT).bind(gtin).first<Row>();
  if (!row) return null;
  const fields = JSON.parse(row.fields) as ProductFields;
  const recalledLots = JSON.parse(row.recalled_lots) as RecalledLot[];
  const link: DigitalLink = {
    primaryKey: { ai: '01', value: gtin },
    qualifiers: lot ? [{ ai: '10', value: lot }] : [],
    attributes: [],
    extraParams: [],
    stem: '',
  };
  const seen = new Set<string>();
  const links: HostedLink[] = [];
  for (const level of await matchLevels(db, link)) {
    for (const l of level.entity.links) {
      const target = linkTarget(l, level.values);
      const href = webUrl(target.href);
      if (!href || seen.has(href)) continue;
      seen.add(href);
      links.push({
        href,
        title: target.title,
        kind: TITLES.get(l.linkType) ?? l.linkType,
        hreflang: l.hreflang,
      });
    }
  }
  return {
    gtin,
    lot,
    name: fields.name?.value ?? null,
    brand: fields.brand?.value ?? row.brand_name,
    description: fields.description?.value ?? null,
    image: webUrl(fields.images?.value[0]),
    status: row.status,
    recall: lot === null ? null : (recalledLots.find((l) => l.lot === lot) ?? null),
    links,
  };
}
