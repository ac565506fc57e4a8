// Brand rules for one GTIN scan: the scan's context (time, place, languages, device, product
// status) and the first rule that applies. The resolver (src/resolver/resolve.ts) asks this before
// it falls back to the GS1 default link.
import Negotiator from 'negotiator';
import type { DigitalLink } from '../digital-link';
import { normalizeLinkType } from '../resolver/link-types';
import type { DeviceClass } from '../scans/device-class';
import { userAgentFacts } from '../scans/user-agent-facts';
import { evaluateRules, PLAIN_SCAN_LINK_TYPE, type RuleTarget, type ScanContext } from './evaluate-rules';
import { scanSubject, type CatalogEntry, type GtinRules } from './scan-rules';

/** Who scanned, from where and when: read from the request (`request.cf`, headers) by the resolver route. */
export interface ScanClient {
  /** Epoch ms. */
  now: number;
  country?: string;
  region?: string;
  regionCode?: string;
  city?: string;
  userAgent?: string | null;
  acceptLanguage?: string | null;
}

export interface BrandResolution {
  /** Whose scan it is (see scanSubject); null when the GTIN has neither links nor a catalog entry. */
  orgId: string | null;
  /** The rule that applies, where it sends the scan, and the link type it answers; null when none does. */
  match: { ruleId: string; target: RuleTarget; linkType: string } | null;
  /** The hosted product page of this scan (with the lot, for a recall notice); null when the product is not in the catalog. */
  hostedPage: string | null;
}

/** The client's languages, most preferred first (RFC 9110 q-values; `*` and q=0 dropped). */
export function preferredLanguages(acceptLanguage: string | null | undefined): string[] {
  if (!acceptLanguage?.trim()) return [];
  return new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages().filter((l) => l !== '*');
}

/** The hosted page of a GTIN, and of a lot of it (where a recalled lot shows its notice). */
export function hostedPageUrl(origin: string, gtin: string, lot?: string): string {
  return `${origin}/p/01/${gtin}${lot !== undefined ? `/10/${encodeURIComponent(lot)}` : ''}`;
}

function statusOf(product: CatalogEntry | null, lot: string | undefined): ScanContext['productStatus'] {
  if (!product) return null;
  return lot !== undefined && product.recalledLots.has(lot) ? 'recalled' : product.status;
}

/** Rules apply to plain scans and to `?linkType=` requests for a type a rule names; never to linksets. */
function askedLinkType(link: DigitalLink): string | null {
  if (link.linkType === undefined) return PLAIN_SCAN_LINK_TYPE;
  const normalized = normalizeLinkType(link.linkType);
  return normalized.ok ? normalized.linkType : null;
}

/**
 * The brand rules' answer for a GTIN scan, from what `loadGtinRules` read for the GTIN and the
 * organisation that manages its links (null when it has none). No I/O.
 */
export function resolveBrandRules(
  gtinRules: GtinRules,
  link: DigitalLink,
  origin: string,
  client: ScanClient,
  linksOrgId: string | null,
): BrandResolution {
  const gtin = link.primaryKey.value;
  const subject = scanSubject(gtinRules, linksOrgId);
  if (!subject) return { orgId: null, match: null, hostedPage: null };
  const lot = link.qualifiers.find((q) => q.ai === '10')?.value;
  const serial = link.qualifiers.find((q) => q.ai === '21')?.value;
  const hostedPage = subject.product ? hostedPageUrl(origin, gtin, lot) : null;
  const linkType = askedLinkType(link);
  if (subject.rules.length === 0 || linkType === null) return { orgId: subject.orgId, match: null, hostedPage };

  // Languages and device class cost a parse each: worked out only if a rule asks, at most once.
  let languages: string[] | undefined;
  let deviceClass: DeviceClass | undefined;
  const context: ScanContext = {
    now: client.now,
    gtin,
    lot,
    serial,
    brandId: subject.product?.brandId ?? null,
    // Geography is read from request.cf only when a rule asks (see scanClientOf).
    get country() {
      return client.country;
    },
    get region() {
      return client.region;
    },
    get regionCode() {
      return client.regionCode;
    },
    get city() {
      return client.city;
    },
    get languages() {
      return (languages ??= preferredLanguages(client.acceptLanguage));
    },
    linkType,
    productStatus: statusOf(subject.product, lot),
    get deviceClass() {
      return (deviceClass ??= userAgentFacts(client.userAgent).deviceClass);
    },
    hostedPageAvailable: subject.product !== null,
  };
  const found = evaluateRules(subject.rules, context);
  return { orgId: subject.orgId, match: found ? { ruleId: found.rule.id, target: found.target, linkType } : null, hostedPage };
}

/**
 * The scan client of a request: Cloudflare's `request.cf` geography and the relevant headers.
 * workerd parses `request.cf` from JSON on first access (measured: the costliest step of a plain
 * scan, bench/RESULTS.md), so the geography is read only when a rule's condition asks for it, and
 * each header only when one asks for it (brand-resolution reads each at most once).
 */
export function scanClientOf(request: Request, now: number = Date.now()): ScanClient {
  let cf: IncomingRequestCfProperties | undefined | null = null;
  const geo = () => (cf === null ? (cf = request.cf as IncomingRequestCfProperties | undefined) : cf);
  return {
    now,
    get country() {
      return geo()?.country ?? undefined;
    },
    get region() {
      return geo()?.region ?? undefined;
    },
    get regionCode() {
      return geo()?.regionCode ?? undefined;
    },
    get city() {
      return geo()?.city ?? undefined;
    },
    // Headers too: most scans meet no rule that asks for a language or a device class.
    get userAgent() {
      return request.headers.get('user-agent');
    },
    get acceptLanguage() {
      return request.headers.get('accept-language');
    },
  };
}
