// What the detectors of one ScanCounter need to know about its GTIN beyond the scans: the
// product's authorised markets and recalls, the serials the brand registered as issued, and the
// organisation's thresholds. Read from D1 lazily and kept in the object's memory for at most
// REFERENCE_TTL_MS, so a busy counter reads D1 a few times a minute, never once per scan. A brand's
// change (markets, recalls, thresholds, registrations) reaches detection within that TTL.
import type { RecalledLot } from '../db/schema/catalog';
import type { AlertSettingsInput } from './alert-settings';
import { type AlertSettings, effectiveSettings } from './alert-settings';
import type { RecallFacts } from './detectors/recalled-lot';
import type { IssuedSerialRegistry } from './detectors/serial-not-issued';
import type { StockingStore } from './detectors/unexpected-location';

/** Stores kept per GTIN for unexpected_location: beyond this many, the nearest are not worth the memory. */
export const MAX_STOCKING_STORES = 5_000;

export const REFERENCE_TTL_MS = 30_000;

export interface DetectionReference {
  settings: AlertSettings;
  /** ISO country codes; empty = no restriction (or no product row). */
  authorisedMarkets: string[];
  recall: RecallFacts;
  registry: IssuedSerialRegistry;
  /** The organisation's stores with the GTIN in stock (quantity > 0), read with the rest (same TTL). */
  stores: StockingStore[];
}

interface Registration {
  id: string;
  kind: 'range' | 'list';
  range_first: string | null;
  range_last: string | null;
}

interface Entry {
  key: string;
  loadedAt: number;
  value: DetectionReference;
}

export class DetectionReferenceCache {
  private entry: Entry | undefined;
  /** One load at a time for all concurrent callers (single flight). */
  private loading: { key: string; startedAt: number; value: Promise<DetectionReference> } | undefined;
  /** List registrations are immutable: their serials are kept by id for as long as they exist. */
  private readonly lists = new Map<string, readonly string[]>();
  private registry: { ids: string; value: IssuedSerialRegistry } | undefined;

  constructor(
    private readonly ttlMs = REFERENCE_TTL_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The fresh reference data of (org, GTIN); on a failed refresh, the last one read (if any). */
  async get(db: D1Database, orgId: string, gtin: string): Promise<DetectionReference> {
    const key = `${orgId}/${gtin}`;
    const entry = this.entry;
    if (entry?.key === key && this.now() - entry.loadedAt < this.ttlMs) return entry.value;
    if (this.loading?.key !== key) {
      const flight = { key, startedAt: this.now(), value: this.load(db, orgId, gtin) };
      this.loading = flight;
      void flight.value
        .finally(() => {
          if (this.loading === flight) this.loading = undefined;
        })
        .catch(() => {});
    }
    const flight = this.loading!;
    try {
      const value = await flight.value;
      // Staleness counts from when the read started, not from when it returned.
      if (this.entry?.key !== key || this.entry.loadedAt < flight.startedAt)
        this.entry = { key, loadedAt: flight.startedAt, value };
      return value;
    } catch (err) {
      if (entry?.key === key) {
        console.warn('alert reference data refresh failed; using the last copy', { key, error: String(err) });
        return entry.value;
      }
      throw err;
    }
  }

  private async load(db: D1Database, orgId: string, gtin: string): Promise<DetectionReference> {
    const [product, settings, brandSettings, registrations, stores] = await db.batch([
      db
        .prepare(
          'SELECT status, authorised_markets, recalled_lots FROM products WHERE org_id = ?1 AND gtin = ?2',
        )
        .bind(orgId, gtin),
      db.prepare('SELECT settings FROM alert_settings WHERE org_id = ?1').bind(orgId),
      // The thresholds of the brand the GTIN's product names, over the organisation's.
      db
        .prepare(
          `SELECT b.settings FROM products p JOIN brand_alert_settings b ON b.brand_id = p.brand_id
           WHERE p.org_id = ?1 AND p.gtin = ?2 AND b.org_id = ?1`,
        )
        .bind(orgId, gtin),
      db
        .prepare(
          'SELECT id, kind, range_first, range_last FROM issued_serials WHERE org_id = ?1 AND gtin = ?2 ORDER BY id',
        )
        .bind(orgId, gtin),
      // inventory_org_gtin, then each store by its primary key.
      db
        .prepare(
          `SELECT l.id, l.name, l.country, l.latitude, l.longitude FROM inventory i JOIN locations l ON l.id = i.location_id
           WHERE i.org_id = ?1 AND i.gtin = ?2 AND i.quantity > 0 AND l.org_id = ?1 LIMIT ?3`,
        )
        .bind(orgId, gtin, MAX_STOCKING_STORES),
    ]);
    const productRow = product!.results[0] as
      | { status: string; authorised_markets: string; recalled_lots: string }
      | undefined;
    const stored = (r: D1Result | undefined) => {
      const row = r?.results[0] as { settings: string } | undefined;
      return row ? (JSON.parse(row.settings) as AlertSettingsInput) : null;
    };
    return {
      settings: effectiveSettings(stored(settings), stored(brandSettings)),
      authorisedMarkets: productRow ? (JSON.parse(productRow.authorised_markets) as string[]) : [],
      recall: {
        productRecalled: productRow?.status === 'recalled',
        recalledLots: productRow ? (JSON.parse(productRow.recalled_lots) as RecalledLot[]) : [],
      },
      registry: await this.registryOf(db, registrations!.results as unknown as Registration[]),
      stores: stores!.results as unknown as StockingStore[],
    };
  }

  private async registryOf(db: D1Database, registrations: Registration[]): Promise<IssuedSerialRegistry> {
    const ids = registrations.map((r) => r.id).join(',');
    if (this.registry?.ids === ids) return this.registry.value;
    const listIds = registrations.filter((r) => r.kind === 'list').map((r) => r.id);
    const missing = listIds.filter((id) => !this.lists.has(id));
    if (missing.length > 0) {
      const { results } = await db
        .prepare('SELECT id, serials FROM issued_serials WHERE id IN (SELECT value FROM json_each(?1))')
        .bind(JSON.stringify(missing))
        .all<{ id: string; serials: string }>();
      for (const row of results) this.lists.set(row.id, JSON.parse(row.serials) as string[]);
    }
    for (const id of this.lists.keys()) if (!listIds.includes(id)) this.lists.delete(id);
    const value: IssuedSerialRegistry = {
      ranges: registrations
        .filter((r) => r.kind === 'range' && r.range_first !== null && r.range_last !== null)
        .map((r) => [BigInt(r.range_first!), BigInt(r.range_last!)] as const),
      listed: new Set(listIds.flatMap((id) => this.lists.get(id) ?? [])),
    };
    this.registry = { ids, value };
    return value;
  }
}
