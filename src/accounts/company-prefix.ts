// GS1 Company Prefixes: which organisation may publish data for a GS1 key. A GS1 Member
// Organisation licenses a prefix (4–12 digits) to one company, and every key that company
// allocates starts with it (GS1 General Specifications §1.4.2). GTIN-8s are licensed one by one
// (§3.3.2: an 8-digit GTIN holds a GS1-8 Prefix, not a company prefix), so they are granted whole.
// Import-free apart from a .ts-suffixed module, so the operator's Node scripts can load it.
import { hasValidCheckDigit } from '../digital-link/check-digit.ts';

export type GrantKind = 'gcp' | 'gtin8';

export interface PrefixGrant {
  kind: GrantKind;
  /** A company prefix (4–12 digits), or a whole GTIN-8 (8 digits with its check digit). */
  prefix: string;
}

/**
 * Where the company prefix starts in each primary key's value (GS1 General Specifications §2.x,
 * key formats). GTIN, ITIP and SSCC lead with an indicator or extension digit, GRAI with a
 * filler zero; the other keys start with the company prefix itself.
 */
const PREFIX_OFFSET: Record<string, number> = {
  '01': 1, // GTIN-14: indicator digit, then the GTIN-13 body
  '8006': 1, // ITIP: a GTIN-14 first
  '00': 1, // SSCC: extension digit
  '8003': 1, // GRAI: a filler "0"
  '414': 0, // GLN
  '417': 0, // party GLN
  '8004': 0, // GIAI
  '8018': 0, // GSRN (provider)
  '8017': 0, // GSRN (recipient)
  '253': 0, // GDTI
  '255': 0, // GCN
  '401': 0, // GINC
  '402': 0, // GSIN
  '8010': 0, // CPID
  '8013': 0, // GMN
};

/**
 * Number ranges that no company holds (GS1 General Specifications Figure 1.4.2-1): restricted
 * circulation numbers (020–029, 040–049, 200–299), coupons (050–059, 981–984, 99) and refund
 * receipts (980). They are reused inside companies and regions, so granting one would hand a
 * whole market's in-store numbers to one organisation.
 */
const RESTRICTED = [
  { start: '02', what: 'restricted circulation numbers (020–029)' },
  { start: '04', what: 'restricted circulation numbers for use inside a company (040–049)' },
  { start: '05', what: 'coupon numbers (050–059)' },
  { start: '2', what: 'restricted circulation numbers for geographic regions (200–299)' },
  { start: '980', what: 'refund receipt numbers (980)' },
  { start: '981', what: 'coupon numbers (981–984)' },
  { start: '982', what: 'coupon numbers (981–984)' },
  { start: '983', what: 'coupon numbers (981–984)' },
  { start: '984', what: 'coupon numbers (981–984)' },
  { start: '99', what: 'coupon numbers (99)' },
];

/** Why a grant is not a company prefix GS1 could license, or null when it is one. */
export function grantProblem(grant: PrefixGrant): string | null {
  if (grant.kind === 'gtin8') {
    if (!/^\d{8}$/.test(grant.prefix)) return `A GTIN-8 has 8 digits, not "${grant.prefix}"`;
    if (!hasValidCheckDigit(grant.prefix)) return `${grant.prefix} has a wrong check digit`;
    // RCN-8: GTIN-8s that start with 0 or 2 are restricted circulation numbers (§2.1.11.1).
    if (/^[02]/.test(grant.prefix)) return `${grant.prefix} is a restricted circulation number (RCN-8)`;
    return null;
  }
  if (!/^\d{4,12}$/.test(grant.prefix))
    return `A GS1 Company Prefix has 4 to 12 digits, not "${grant.prefix}"`;
  const restricted = RESTRICTED.find((r) => grant.prefix.startsWith(r.start));
  return restricted ? `${grant.prefix} lies in the ${restricted.what}, which no company holds` : null;
}

/**
 * What a key is matched against: the digits a company prefix must start (a `gcp` grant), or the
 * GTIN-8 it is (a `gtin8` grant); null for a key this table does not know (no grant covers it).
 */
export function prefixSubject(keyAi: string, keyValue: string): PrefixGrant | null {
  if ((keyAi === '01' || keyAi === '8006') && keyValue.startsWith('000000')) {
    return { kind: 'gtin8', prefix: keyValue.slice(6, 14) };
  }
  const offset = PREFIX_OFFSET[keyAi];
  return offset === undefined ? null : { kind: 'gcp', prefix: keyValue.slice(offset) };
}

/** Every grant that could cover the key: its 4- to 12-digit starts, or its GTIN-8. */
export function candidateGrants(keyAi: string, keyValue: string): PrefixGrant[] {
  const subject = prefixSubject(keyAi, keyValue);
  if (!subject) return [];
  if (subject.kind === 'gtin8') return [subject];
  const candidates: PrefixGrant[] = [];
  for (let length = 4; length <= Math.min(12, subject.prefix.length); length++) {
    candidates.push({ kind: 'gcp', prefix: subject.prefix.slice(0, length) });
  }
  return candidates;
}

/** Whether `grant` covers the key. */
export function grantCovers(grant: PrefixGrant, keyAi: string, keyValue: string): boolean {
  const subject = prefixSubject(keyAi, keyValue);
  if (!subject || subject.kind !== grant.kind) return false;
  return grant.kind === 'gtin8' ? subject.prefix === grant.prefix : subject.prefix.startsWith(grant.prefix);
}

/** Whether two company-prefix grants could both cover one key (one starts the other). */
export function grantsOverlap(a: PrefixGrant, b: PrefixGrant): boolean {
  return a.kind === b.kind && (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix));
}
