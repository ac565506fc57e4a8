// Demo scans served as the resolver would have served them: each generated scan goes through the
// organisation's real rules (the same compiled evaluation), so the rule and outcome breakdowns of
// the demo show what the demo rules do. Also tells the generator which lots are recalled.
import { hostedPageUrl } from '../rules/brand-resolution';
import { PLAIN_SCAN_LINK_TYPE, type ScanContext } from '../rules/evaluate-rules';
import { type GtinRules, loadGtinRules } from '../rules/scan-rules';
import type { DeviceClass } from '../scans/device-class';
import type { ScanEvent } from '../scans/scan-event';

async function rulesOf(db: D1Database, gtins: readonly string[]): Promise<Map<string, GtinRules>> {
  return new Map(await Promise.all(gtins.map(async (g) => [g, await loadGtinRules(db, g)] as const)));
}

/** Each GTIN's recalled lots in the organisation's catalog. */
export async function demoRecalledLots(
  db: D1Database,
  orgId: string,
  gtins: readonly string[],
): Promise<Map<string, string[]>> {
  const rules = await rulesOf(db, gtins);
  return new Map(
    gtins.map((g) => [g, [...(rules.get(g)?.products.find((p) => p.orgId === orgId)?.recalledLots ?? [])]]),
  );
}

/** Sets `ruleId` and `destination` of the events a rule of the organisation answers. */
export async function applyDemoRules(db: D1Database, origin: string, events: ScanEvent[]): Promise<void> {
  const rules = await rulesOf(db, [...new Set(events.map((e) => e.keyValue))]);
  for (const e of events) {
    const entry = rules.get(e.keyValue);
    const compiled = e.orgId ? entry?.rulesByOrg.get(e.orgId) : undefined;
    if (!entry || !compiled) continue;
    const product = entry.products.find((p) => p.orgId === e.orgId) ?? null;
    const lot = e.lot ?? undefined;
    const scan: ScanContext = {
      now: e.occurredAt,
      gtin: e.keyValue,
      lot,
      serial: e.serial ?? undefined,
      brandId: product?.brandId ?? null,
      country: e.country ?? undefined,
      region: e.region ?? undefined,
      city: e.city ?? undefined,
      languages: e.language ? [e.language] : [],
      linkType: e.linkType === 'gs1:recipeInfo' ? e.linkType : PLAIN_SCAN_LINK_TYPE,
      productStatus: product
        ? lot !== undefined && product.recalledLots.has(lot)
          ? 'recalled'
          : product.status
        : null,
      deviceClass: (e.deviceClass ?? 'other') as DeviceClass,
      hostedPageAvailable: product !== null,
    };
    const match = compiled.evaluate(scan);
    if (!match) continue;
    e.ruleId = match.rule.id;
    e.destination =
      match.target.type === 'url'
        ? match.target.url.replaceAll('{gtin}', e.keyValue)
        : hostedPageUrl(origin, e.keyValue, lot);
  }
}
