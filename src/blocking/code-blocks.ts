// The blocks of one GTIN as the resolver holds them in memory (loaded with the key's entities,
// src/resolver/entity-store.ts), and which of them a scan hits. Pure.
//
// A serial block matches its serial whatever the lot: with a GTIN, AI (21) identifies one item
// (GS1 General Specifications 3.6.2), so a copied serial printed on another lot is still that item.

/** Every resolver isolate holds a warm GTIN's blocks in memory: this bounds what one GTIN costs. */
export const MAX_BLOCKS_PER_GTIN = 10_000;

export interface BlockRow {
  id: string;
  org_id: string;
  /** '' when not of one lot. */
  lot: string;
  /** '' when not of one serial. */
  serial: string;
}

export interface BlockHit {
  id: string;
  orgId: string;
}

export class CodeBlocks {
  private readonly whole: BlockHit | undefined;
  private readonly lots = new Map<string, BlockHit>();
  private readonly serials = new Map<string, BlockHit>();

  constructor(rows: readonly BlockRow[]) {
    let whole: BlockHit | undefined;
    for (const row of rows) {
      const hit = { id: row.id, orgId: row.org_id };
      if (row.serial !== '') this.serials.set(row.serial, hit);
      else if (row.lot !== '') this.lots.set(row.lot, hit);
      else whole = hit;
    }
    this.whole = whole;
  }

  get size(): number {
    return this.serials.size + this.lots.size + (this.whole ? 1 : 0);
  }

  /** The most specific block the scan hits (serial, then lot, then the whole GTIN), or null. */
  hit(lot: string | null, serial: string | null): BlockHit | null {
    if (this.size === 0) return null;
    return (
      (serial !== null ? this.serials.get(serial) : undefined) ??
      (lot !== null ? this.lots.get(lot) : undefined) ??
      this.whole ??
      null
    );
  }
}

/** What keys other than GTINs hold: nothing is blocked. */
export const NO_BLOCKS = new CodeBlocks([]);
