// Brand rules for one GTIN scan: the scan's context (time, place, languages, device, product
// status) and the first rule that applies. The resolver (src/resolver/resolve.ts) asks this before
// it falls back to the GS1 default link.
import Negotiator from 'negotiator';
import type { AiValue, DigitalLink } from '../digital-link';
import { pastItsDate } from '../digital-link/gs1-dates';
import { normalizeLinkType } from '../digital-link/link-types';
import type { DeviceClass } from '../scans/device-class';
import { userAgentFacts } from '../scans/user-agent-facts';
import {
  type CompiledRules,
  PLAIN_SCAN_LINK_TYPE,
  type RuleMatch,
  type RuleTarget,
  type ScanContext,
} from './evaluate-rules';
import {
  type CatalogEntry,
  type GtinRules,
  type OwnedRule,
  type ScanSubject,
  scanSubject,
} from './scan-rules';

/**
 * Who scanned, from where and when: the facts of a scan that rules read. The resolver route reads
 * them from the request (`request.cf`, headers: scanClientOf); the scan preview
 * (src/resolver/preview-scan.ts) passes them in. Each is read at most once, and only when a rule asks.
 */
export interface ScanClient {
  /** Epoch ms. */
  readonly now: number;
  readonly country?: string;
  readonly region?: string;
  readonly regionCode?: string;
  readonly city?: string;
  readonly deviceClass: DeviceClass;
  /** An Accept-Language header (RFC 9110): rules read its most preferred language. */
  readonly acceptLanguage?: string | null;
}

/** What a rule evaluation saw and decided, handed to an observer (the preview's trace); the resolver passes none. */
export interface RuleEvaluation {
  /** Whose rules were evaluated (the scan's subject). */
  orgId: string;
  rules: CompiledRules<OwnedRule>;
  scan: ScanContext;
  match: RuleMatch<OwnedRule> | null;
}

export type RuleObserver = (evaluation: RuleEvaluation) => void;

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
  return new Negotiator({ headers: { 'accept-language': acceptLanguage } })
    .languages()
    .filter((l) => l !== '*');
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
 * organisation that manages its links (null when it has none). No I/O. `observe`, when given, is
 * told what was evaluated, even when the subject has no enabled rule (its disabled ones still show).
 */
export function resolveBrandRules(
  gtinRules: GtinRules,
  link: DigitalLink,
  origin: string,
  client: ScanClient,
  linksOrgId: string | null,
  observe?: RuleObserver,
): BrandResolution {
  const gtin = link.primaryKey.value;
  const subject = scanSubject(gtinRules, linksOrgId);
  if (!subject) return { orgId: null, match: null, hostedPage: null };
  const lot = link.qualifiers.find((q) => q.ai === '10')?.value;
  const serial = link.qualifiers.find((q) => q.ai === '21')?.value;
  const hostedPage = subject.product ? hostedPageUrl(origin, gtin, lot) : null;
  const linkType = askedLinkType(link);
  if (linkType === null || (subject.rules.size === 0 && !observe))
    return { orgId: subject.orgId, match: null, hostedPage };

  const context = new ClientScanContext(client, gtin, lot, serial, subject, linkType, link.attributes);
  const found = subject.rules.evaluate(context);
  observe?.({ orgId: subject.orgId, rules: subject.rules, scan: context, match: found });
  return {
    orgId: subject.orgId,
    match: found ? { ruleId: found.rule.id, target: found.target, linkType } : null,
    hostedPage,
  };
}

/**
 * The scan context the evaluator reads: fixed facts of the scan, and the client's place, languages
 * and device class read only when a rule asks (languages and device class cost a parse each, done
 * at most once). A class, not an object literal with getters: V8 defines each getter of such a
 * literal through a runtime call on every evaluation (measured in bench/RESULTS.md).
 */
class ClientScanContext implements ScanContext {
  readonly now: number;
  readonly brandId: string | null;
  readonly productStatus: ScanContext['productStatus'];
  readonly hostedPageAvailable: boolean;
  private parsedLanguages: string[] | undefined;
  private parsedDeviceClass: DeviceClass | undefined;
  private pastDate: boolean | undefined;

  constructor(
    private readonly client: ScanClient,
    readonly gtin: string,
    readonly lot: string | undefined,
    readonly serial: string | undefined,
    subject: ScanSubject,
    readonly linkType: string,
    private readonly attributes: readonly AiValue[],
  ) {
    this.now = client.now;
    this.productStatus = statusOf(subject.product, lot);
    this.brandId = subject.product?.brandId ?? null;
    this.hostedPageAvailable = subject.product !== null;
  }

  get country() {
    return this.client.country;
  }
  get region() {
    return this.client.region;
  }
  get regionCode() {
    return this.client.regionCode;
  }
  get city() {
    return this.client.city;
  }
  get languages() {
    this.parsedLanguages ??= preferredLanguages(this.client.acceptLanguage);
    return this.parsedLanguages;
  }
  get expired() {
    this.pastDate ??= pastItsDate(Object.fromEntries(this.attributes.map((a) => [a.ai, a.value])), this.now);
    return this.pastDate;
  }
  get deviceClass() {
    this.parsedDeviceClass ??= this.client.deviceClass;
    return this.parsedDeviceClass;
  }
}

/**
 * The scan client of a request: Cloudflare's `request.cf` geography and the relevant headers, read
 * on first use. workerd parses `request.cf` from JSON on first access (measured: the costliest
 * step of a plain scan, bench/RESULTS.md), so the geography is read only when a rule's condition
 * asks for it, and each header only when one asks for it (ClientScanContext reads each at most once).
 */
class RequestScanClient implements ScanClient {
  /** null: not read yet. */
  private cf: IncomingRequestCfProperties | undefined | null = null;

  constructor(
    private readonly request: Request,
    readonly now: number,
  ) {}

  private geo(): IncomingRequestCfProperties | undefined {
    if (this.cf === null) this.cf = this.request.cf as IncomingRequestCfProperties | undefined;
    return this.cf;
  }
  get country() {
    return this.geo()?.country ?? undefined;
  }
  get region() {
    return this.geo()?.region ?? undefined;
  }
  get regionCode() {
    return this.geo()?.regionCode ?? undefined;
  }
  get city() {
    return this.geo()?.city ?? undefined;
  }
  // Headers too: most scans meet no rule that asks for a language or a device class.
  get deviceClass() {
    return userAgentFacts(this.request.headers.get('user-agent')).deviceClass;
  }
  get acceptLanguage() {
    return this.request.headers.get('accept-language');
  }
}

export function scanClientOf(request: Request, now: number = Date.now()): ScanClient {
  return new RequestScanClient(request, now);
}
