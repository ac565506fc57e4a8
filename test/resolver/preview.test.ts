// POST /v1/resolver/preview through the Worker: what a scan would get, with the trace of the
// brand rules, and nothing recorded.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { addProduct, orgWithBrand, postRule, testGtin } from '../support/rules';
import { count, counter, flush } from '../support/scans';

// This file's GTINs: testGtin(60_000 + n).
const gtin = (n: number) => testGtin(60_000 + n);
const DEFAULT = (g: string) => `https://gs1.example/${g}`;

interface TraceStep {
  rule_id: string;
  name: string;
  outcome: string;
  reason: string;
}
interface Preview {
  status: number;
  location: string | null;
  destination: string | null;
  message: string | null;
  digital_link: string;
  rule: { id: string; name: string } | null;
  link: Record<string, unknown> | null;
  trace: TraceStep[];
  scan: Record<string, unknown>;
}

let org: TestOrg & { brandId: string };

beforeAll(async () => {
  org = await orgWithBrand('Preview Foods');
});

afterEach(() => {
  vi.useRealTimers();
});

async function preview(body: Record<string, unknown>, key = org.ownerKey): Promise<Preview> {
  const res = await call('POST', '/v1/resolver/preview', { key, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`preview: ${res.status} ${text}`);
  return JSON.parse(text) as Preview;
}

async function productWithRules(
  n: number,
  rules: Record<string, unknown>[],
): Promise<{ g: string; ids: string[] }> {
  const g = gtin(n);
  await addProduct(org.ownerKey, { gtin: g, brandId: org.brandId, defaultLink: DEFAULT(g) });
  const ids: string[] = [];
  for (const [i, rule] of rules.entries())
    ids.push((await postRule(org.ownerKey, { name: `rule ${i}`, scope: 'PRODUCT', gtin: g, ...rule })).id);
  return { g, ids };
}

const to = (url: string) => ({ destination: { type: 'url', url } });

describe('POST /v1/resolver/preview', () => {
  it('countries: the rule answers a scan from Canada, not one from Japan, and says why', async () => {
    const { g, ids } = await productWithRules(1, [
      { conditions: { countries: ['CA'] }, ...to('https://brand.example/ca') },
    ]);
    const ca = await preview({ digital_link: `https://id.example.com/01/${g}`, country: 'CA' });
    expect(ca).toMatchObject({
      status: 307,
      location: 'https://brand.example/ca',
      destination: 'rule_url',
      rule: { id: ids[0], name: 'rule 0' },
      link: null,
      trace: [{ rule_id: ids[0], name: 'rule 0', outcome: 'matched', reason: 'matched' }],
    });
    const jp = await preview({ digital_link: `/01/${g}`, country: 'jp' });
    expect(jp).toMatchObject({
      status: 307,
      location: DEFAULT(g),
      destination: 'gs1_link',
      rule: null,
      link: { link_type: 'gs1:pip', href: DEFAULT(g), anchor: `/01/${g}`, default: true },
      trace: [{ rule_id: ids[0], outcome: 'skipped', reason: 'countries: CA, scan from JP' }],
    });
  });

  it('records nothing: no scan event, no roll-up, no ScanCounter total, no audit entry', async () => {
    const { g } = await productWithRules(2, []);
    await preview({ digital_link: `/01/${g}`, country: 'FR' });
    await flush('01', g);
    expect((await counter('01', g).totals()).scans).toBe(0);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', g)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM scan_rollup_hourly WHERE key_value = ?', g)).toBe(0);
    expect(
      await count(
        "SELECT count(*) AS n FROM audit_log WHERE org_id = ? AND route LIKE '%preview%'",
        org.orgId,
      ),
    ).toBe(0);
  });

  it('an unknown GTIN is a 404 in the body, not of the preview', async () => {
    const body = await preview({ digital_link: `/01/${gtin(99)}` });
    expect(body).toMatchObject({ status: 404, location: null, rule: null, link: null, trace: [] });
  });

  it('a bad Digital Link is a 400', async () => {
    const res = await call('POST', '/v1/resolver/preview', {
      key: org.ownerKey,
      body: { digital_link: '/01/123' },
    });
    await expectError(res, 400, 'invalid_digital_link');
  });
});
