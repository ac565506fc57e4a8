// Dashboard reads of the organisation's products: recalled lots and catalogue completeness (C7).
import type { RecalledLot } from '../db/schema/catalog';

export interface ProductRecall extends RecalledLot {
  gtin: string;
  name: string | null;
}

/** Every recalled lot of the organisation's products, by GTIN. */
export async function recalledLots(db: D1Database, orgId: string): Promise<ProductRecall[]> {
  const { results } = await db
    .prepare(
      `SELECT gtin, name, recalled_lots FROM products WHERE org_id = ? AND recalled_lots <> '[]' ORDER BY gtin`,
    )
    .bind(orgId)
    .all<{ gtin: string; name: string | null; recalled_lots: string }>();
  return results.flatMap((p) =>
    (JSON.parse(p.recalled_lots) as RecalledLot[]).map((r) => ({ ...r, gtin: p.gtin, name: p.name })),
  );
}

/** A product's completeness columns as D1 returns them (recommendations still JSON text). */
export interface CompletenessRow {
  gtin: string;
  name: string | null;
  completeness_score: number;
  completeness_band: string;
  completeness_recommendations: string;
}

export interface CompletenessSummary {
  /** Products per band; bands without products are absent. */
  bands: Map<string, number>;
  /** The lowest scores first. */
  weakest: CompletenessRow[];
}

/** The band distribution and the weakest products, in one round trip. */
export async function completenessSummary(
  db: D1Database,
  orgId: string,
  limit: number,
): Promise<CompletenessSummary> {
  const [bands, products] = await db.batch([
    db
      .prepare(
        'SELECT completeness_band AS band, count(*) AS products FROM products WHERE org_id = ? GROUP BY completeness_band',
      )
      .bind(orgId),
    db
      .prepare(
        'SELECT gtin, name, completeness_score, completeness_band, completeness_recommendations FROM products WHERE org_id = ? ORDER BY completeness_score, gtin LIMIT ?',
      )
      .bind(orgId, limit),
  ]);
  return {
    bands: new Map((bands!.results as { band: string; products: number }[]).map((b) => [b.band, b.products])),
    weakest: products!.results as CompletenessRow[],
  };
}
