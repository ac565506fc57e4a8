// What the blocked-code warning page shows, read from D1 when a consumer lands on it (consumers
// sent there are few; the scan itself read nothing): the code, the product's name and its brand's
// contact. Never the block's reason, which is the brand's internal note.
import type { ProductFields } from '../catalog/product-fields';

export interface WarningPageFacts {
  gtin: string;
  lot: string | null;
  serial: string | null;
  productName: string | null;
  brandName: string | null;
  /** An email address or an https URL (validated when the brand set it). */
  contact: string | null;
}

interface Row {
  gtin: string;
  lot: string;
  serial: string;
  fields: string | null;
  brand_name: string | null;
  contact: string | null;
}

// The product of the block's own organisation, and the brand that product names.
const FACTS = `SELECT k.gtin, k.lot, k.serial, p.fields, b.name AS brand_name, b.contact
  FROM blocked_codes k
  LEFT JOIN products p ON p.org_id = k.org_id AND p.gtin = k.gtin
  LEFT JOIN brands b ON b.id = p.brand_id AND b.org_id = k.org_id
  WHERE k.id = ? LIMIT 1`;

export async function loadWarningPage(db: D1Database, blockId: string): Promise<WarningPageFacts | null> {
  const row = await db.prepare(FACTS).bind(blockId).first<Row>();
  if (!row) return null;
  const fields = row.fields ? (JSON.parse(row.fields) as ProductFields) : null;
  return {
    gtin: row.gtin,
    lot: row.lot === '' ? null : row.lot,
    serial: row.serial === '' ? null : row.serial,
    productName: fields?.name?.value ?? null,
    brandName: fields?.brand?.value ?? row.brand_name,
    contact: row.contact,
  };
}
