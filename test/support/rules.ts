// Organisations with products, links and brand rules for the rules tests, all through the API.
import { expect } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization, type TestOrg } from './accounts';
import { call } from './http';

/** A valid GTIN-14 of a made-up company prefix; each test file takes its own range of `n`. */
export function testGtin(n: number): string {
  return withCheckDigit(`07612340${String(n).padStart(5, '0')}`);
}

export interface RuleBody {
  id: string;
  client_key: string | null;
  name: string;
  scope: string;
  gtin?: string;
  lot?: string;
  serial?: string;
  brand_id?: string;
  order_index: number;
  enabled: boolean;
  conditions: Record<string, unknown>;
  destination: {
    type: string;
    url?: string;
    forward_query?: boolean;
    health?: { dead: boolean; consecutive_failures: number; checked_url: string };
  };
  dead_url_policy: string;
  created_at: string;
  updated_at: string;
}

export async function postRule(key: string, body: Record<string, unknown>): Promise<RuleBody> {
  const res = await call('POST', '/v1/rules', { key, body });
  if (res.status !== 201) throw new Error(`rule not created: ${res.status} ${await res.text()}`);
  return res.json<RuleBody>();
}

export const urlRule = (gtin: string, url: string, extra: Record<string, unknown> = {}) => ({
  scope: 'PRODUCT',
  gtin,
  destination: { type: 'url', url },
  ...extra,
});

export interface ProductSpec {
  gtin: string;
  name?: string;
  brandId?: string;
  status?: 'active' | 'recalled' | 'discontinued';
  recalledLots?: { lot: string; reason?: string; recalled_at?: string }[];
  /** A GS1 default link for the GTIN (the links API), so the resolver has something to fall back on. */
  defaultLink?: string;
  description?: string;
  image?: string;
}

export async function addProduct(key: string, spec: ProductSpec): Promise<void> {
  const fields: Record<string, { value: unknown }> = { name: { value: spec.name ?? `Product ${spec.gtin}` } };
  if (spec.description) fields.description = { value: spec.description };
  if (spec.image) fields.images = { value: [spec.image] };
  const res = await call('POST', '/v1/products', {
    key,
    body: {
      gtin: spec.gtin,
      ...(spec.brandId ? { brand_id: spec.brandId } : {}),
      status: spec.status ?? 'active',
      fields,
      recalled_lots: spec.recalledLots ?? [],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  if (spec.defaultLink) await addDefaultLink(key, spec.gtin, spec.defaultLink);
}

export async function addDefaultLink(
  key: string,
  gtin: string,
  href: string,
  anchorSuffix = '',
): Promise<void> {
  const res = await call('PUT', '/v1/links', {
    key,
    body: {
      anchor: `/01/${gtin}${anchorSuffix}`,
      item_description: 'Test product',
      links: [{ link_type: 'gs1:pip', href, title: 'Product page', default: true }],
    },
  });
  expect([200, 201], await res.clone().text()).toContain(res.status);
}

export async function addBrand(key: string, name: string): Promise<string> {
  const res = await call('POST', '/v1/brands', { key, body: { name } });
  expect(res.status).toBe(201);
  return (await res.json<{ id: string }>()).id;
}

export async function orgWithBrand(name = 'Rules Foods'): Promise<TestOrg & { brandId: string }> {
  const org = await createOrganization(name);
  return { ...org, brandId: await addBrand(org.ownerKey, `${name} brand`) };
}

/** The Location of a scan, asserting it is a 307. */
export async function scanLocation(path: string, options: Parameters<typeof call>[2] = {}): Promise<string> {
  const res = await call('GET', path, options);
  const text = await res.text();
  if (res.status !== 307) throw new Error(`expected 307 for ${path}, got ${res.status}: ${text}`);
  return res.headers.get('location')!;
}
