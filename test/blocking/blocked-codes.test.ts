// Blocked codes through the Worker: the API (create, list, get, delete, every bad input, scoping,
// roles), the resolver's 307 to the warning page, the page itself, the recorded scan and its alert.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { alertsOf } from '../support/alerts';
import { call, expectError } from '../support/http';
import { addBrand, addProduct, postRule, testGtin } from '../support/rules';
import { flush, scan } from '../support/scans';

const gtin = (n: number) => testGtin(60_000 + n); // this file: 60_000–60_999
const DEST = (g: string) => `https://brand.example/${g}`;
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const DAY = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const WARNING = (id: string) => `https://dl.example.test/p/blocked/${id}`;

let org: TestOrg;
beforeAll(async () => {
  org = await createOrganization('Blocking Foods');
});
afterEach(() => {
  vi.useRealTimers();
});

interface BlockJson {
  id: string;
  gtin: string;
  lot: string | null;
  serial: string | null;
  level: string;
  digital_link: string;
  reason: string;
  source: string;
  alert_id: string | null;
  created_at: string;
}

const block = (key: string, body: unknown) => call('POST', '/v1/blocked-codes', { key, body });

async function blockCode(digitalLink: string, reason = 'Copied codes seen in a raid'): Promise<BlockJson> {
  const res = await block(org.ownerKey, { digital_link: digitalLink, reason });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

async function productWithLink(n: number): Promise<string> {
  const g = gtin(n);
  await addProduct(org.ownerKey, { gtin: g, defaultLink: DEST(g) });
  return g;
}

describe('blocked codes API', () => {
  it('blocks a serial, a lot and a whole GTIN, lists, shows and deletes them', async () => {
    const g = await productWithLink(1);
    const serial = await blockCode(`https://id.gs1.org/01/${g}/21/S%2F1`);
    expect(serial).toMatchObject({
      gtin: g,
      lot: null,
      serial: 'S/1',
      level: 'serial',
      digital_link: `https://id.gs1.org/01/${g}/21/S%2F1`,
      reason: 'Copied codes seen in a raid',
      source: 'api',
      alert_id: null,
    });
    expect(serial.id).toMatch(/^blk_/);
    // Any host; a GTIN-13 is the same GTIN; the lot of a serial's URI is not part of its block.
    const lot = await blockCode(`https://brand.example/01/${g.slice(1)}/10/L1`);
    expect(lot).toMatchObject({ gtin: g, lot: 'L1', serial: null, level: 'lot' });
    const serial2 = await blockCode(`https://id.gs1.org/01/${g}/10/L9/21/S2`);
    expect(serial2).toMatchObject({ lot: null, serial: 'S2', level: 'serial' });
    const whole = await blockCode(`https://id.gs1.org/01/${g}`, '  Whole run counterfeit  ');
    expect(whole).toMatchObject({ level: 'gtin', lot: null, serial: null, reason: 'Whole run counterfeit' });

    const stored = await env.DB.prepare(
      'SELECT org_id, gtin, lot, serial, source FROM blocked_codes WHERE id = ?',
    )
      .bind(lot.id)
      .first();
    expect(stored).toEqual({ org_id: org.orgId, gtin: g, lot: 'L1', serial: '', source: 'api' });

    const listed = await call('GET', `/v1/blocked-codes?gtin=${g}`, { key: org.ownerKey });
    expect(listed.status).toBe(200);
    const { data, next_cursor } = await listed.json<{ data: BlockJson[]; next_cursor: string | null }>();
    expect(data.map((b) => b.id).sort()).toEqual([serial.id, lot.id, serial2.id, whole.id].sort());
    expect(next_cursor).toBeNull();

    // Pages by cursor, newest first, nothing twice.
    const first = await (
      await call('GET', `/v1/blocked-codes?gtin=${g}&limit=3`, { key: org.ownerKey })
    ).json<{ data: BlockJson[]; next_cursor: string }>();
    expect(first.data).toHaveLength(3);
    const second = await (
      await call('GET', `/v1/blocked-codes?gtin=${g}&limit=3&cursor=${first.next_cursor}`, {
        key: org.ownerKey,
      })
    ).json<{ data: BlockJson[]; next_cursor: string | null }>();
    expect(second.data).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((b) => b.id)).size).toBe(4);

    const one = await call('GET', `/v1/blocked-codes/${lot.id}`, { key: org.ownerKey });
    expect(await one.json()).toEqual(lot);

    expect((await call('DELETE', `/v1/blocked-codes/${lot.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(
      await call('GET', `/v1/blocked-codes/${lot.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('DELETE', `/v1/blocked-codes/${lot.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
  });

  it('refuses every bad input with a clear 400', async () => {
    const g = gtin(2);
    const bad = async (body: unknown, text: RegExp) => {
      const error = await expectError(await block(org.ownerKey, body), 400, 'validation_failed');
      expect(JSON.stringify(error.details)).toMatch(text);
    };
    await bad({ digital_link: 'not a uri', reason: 'x' }, /not a valid GS1 Digital Link URI/);
    await bad(
      { digital_link: `https://id.gs1.org/01/${g.slice(0, 13)}${(Number(g[13]) + 1) % 10}`, reason: 'x' },
      /check digit/,
    );
    await bad(
      { digital_link: `https://id.gs1.org/414/${withCheckDigit('950600000000')}`, reason: 'x' },
      /only GTINs \(01\) can be blocked/,
    );
    await bad({ digital_link: `https://id.gs1.org/01/${g}/22/A1`, reason: 'x' }, /\(22\) qualifier/);
    await bad({ digital_link: `https://id.gs1.org/01/${g}?17=261231`, reason: 'x' }, /data attributes/);
    await bad({ digital_link: `https://id.gs1.org/01/${g}` }, /reason/);
    await bad({ digital_link: `https://id.gs1.org/01/${g}`, reason: '   ' }, /reason/);
    await bad({ digital_link: `https://id.gs1.org/01/${g}`, reason: 'x'.repeat(501) }, /reason/);
    await bad({ reason: 'x' }, /digital_link/);
    await bad({ digital_link: `https://id.gs1.org/01/${g}`, reason: 'x', extra: 1 }, /extra/);
    await expectError(
      await call('POST', '/v1/blocked-codes', { key: org.ownerKey, body: '{' }),
      400,
      'invalid_json',
    );
    const cursor = await call('GET', '/v1/blocked-codes?cursor=nonsense', { key: org.ownerKey });
    await expectError(cursor, 400, 'validation_failed');
    await expectError(
      await call('GET', '/v1/blocked-codes?gtin=123', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('GET', '/v1/blocked-codes?limit=0', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
  });

  it('answers a duplicate with 409 naming the existing block', async () => {
    const g = gtin(3);
    const first = await blockCode(`https://id.gs1.org/01/${g}/21/DUP`);
    const again = await block(org.ownerKey, {
      digital_link: `https://x.example/01/${g}/10/L5/21/DUP`,
      reason: 'y',
    });
    const error = await expectError(again, 409, 'conflict');
    expect(error.details).toEqual({ id: first.id });
  });

  it('caps a GTIN at 10,000 blocks', async () => {
    const g = gtin(4);
    const rows = Array.from({ length: 10_000 }, (_, i) => [`blk_cap${i}`, `C${i}`]);
    for (let i = 0; i < rows.length; i += 500) {
      await env.DB.prepare(
        `INSERT INTO blocked_codes (id, org_id, gtin, lot, serial, reason, source, created_at)
         SELECT value ->> 0, ?1, ?2, '', value ->> 1, 'bulk', 'api', 1 FROM json_each(?3)`,
      )
        .bind(org.orgId, g, JSON.stringify(rows.slice(i, i + 500)))
        .run();
    }
    const error = await expectError(
      await block(org.ownerKey, { digital_link: `https://id.gs1.org/01/${g}/21/ONE-MORE`, reason: 'x' }),
      409,
      'conflict',
    );
    expect(error.message).toContain('10000 blocked codes');
  });

  it('needs an editor to write; any key reads', async () => {
    const g = gtin(5);
    const reader = await insertKey(org.orgId, 'readonly');
    const editor = await insertKey(org.orgId, 'editor');
    await expectError(
      await block(reader.key, { digital_link: `https://id.gs1.org/01/${g}`, reason: 'x' }),
      403,
      'forbidden',
    );
    const res = await block(editor.key, { digital_link: `https://id.gs1.org/01/${g}`, reason: 'x' });
    expect(res.status).toBe(201);
    const { id } = await res.json<BlockJson>();
    expect((await call('GET', `/v1/blocked-codes/${id}`, { key: reader.key })).status).toBe(200);
    await expectError(await call('DELETE', `/v1/blocked-codes/${id}`, { key: reader.key }), 403, 'forbidden');
    expect((await call('DELETE', `/v1/blocked-codes/${id}`, { key: editor.key })).status).toBe(204);
    await expectError(await call('GET', '/v1/blocked-codes'), 401, 'unauthorized');
  });

  it("refuses a GTIN under another organisation's prefix (403) and hides other organisations' blocks (404)", async () => {
    const holder = await createOrganization('Prefix Holder B', { prefixes: ['9531234'] });
    const theirs = withCheckDigit('0953123400001');
    const error = await expectError(
      await block(org.ownerKey, { digital_link: `https://id.gs1.org/01/${theirs}`, reason: 'x' }),
      403,
      'forbidden',
    );
    expect(error.message).toContain('another organisation holds');
    const narrow = await createOrganization('Narrow Foods', { prefixes: ['9531235'] });
    await expectError(
      await block(narrow.ownerKey, { digital_link: `https://id.gs1.org/01/${theirs}`, reason: 'x' }),
      403,
      'forbidden',
    );
    const res = await block(holder.ownerKey, {
      digital_link: `https://id.gs1.org/01/${theirs}/21/X`,
      reason: 'x',
    });
    expect(res.status).toBe(201);
    const { id } = await res.json<BlockJson>();
    await expectError(await call('GET', `/v1/blocked-codes/${id}`, { key: org.ownerKey }), 404, 'not_found');
    await expectError(
      await call('DELETE', `/v1/blocked-codes/${id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
    const listed = await (await call('GET', '/v1/blocked-codes?limit=200', { key: org.ownerKey })).json<{
      data: BlockJson[];
    }>();
    expect(listed.data.map((b) => b.id)).not.toContain(id);
    expect((await call('GET', `/v1/blocked-codes/${id}`, { key: holder.ownerKey })).status).toBe(200);
  });
});

describe('resolving a blocked code', () => {
  it('sends a blocked serial, lot or whole GTIN to the warning page, and lets other codes through', async () => {
    const g = await productWithLink(10);
    // A rule would send the scan elsewhere: a block wins over rules and links alike.
    await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      destination: { type: 'url', url: 'https://rule.example/' },
    });
    const serial = await blockCode(`https://id.gs1.org/01/${g}/21/BAD1`);
    const lot = await blockCode(`https://id.gs1.org/01/${g}/10/BADLOT`);
    const location = async (path: string, headers: Record<string, string> = {}) => {
      const res = await call('GET', path, { headers });
      expect(res.status, path).toBe(307);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return res.headers.get('location');
    };
    expect(await location(`/01/${g}/21/BAD1`)).toBe(WARNING(serial.id));
    expect(await location(`/01/${g}/10/OTHER/21/BAD1`)).toBe(WARNING(serial.id)); // the serial in any lot
    expect(await location(`/01/${g}/10/BADLOT`)).toBe(WARNING(lot.id));
    expect(await location(`/01/${g}/10/BADLOT/21/GOOD`)).toBe(WARNING(lot.id));
    // Linkset requests too: their links are what the block withholds.
    expect(await location(`/01/${g}/21/BAD1?linkType=all`)).toBe(WARNING(serial.id));
    expect(await location(`/01/${g}/21/BAD1`, { accept: 'application/linkset+json' })).toBe(
      WARNING(serial.id),
    );
    // An unblocked serial of the GTIN (in another lot) is not blocked.
    expect(await location(`/01/${g}/10/FINE/21/GOOD`)).toBe('https://rule.example/');
    expect(await location(`/01/${g}/21/GOOD`)).toBe('https://rule.example/');

    const whole = await blockCode(`https://id.gs1.org/01/${g}`);
    expect(await location(`/01/${g}/21/GOOD`)).toBe(WARNING(whole.id));
    expect(await location(`/01/${g}`)).toBe(WARNING(whole.id));
    expect(await location(`/01/${g}/21/BAD1`)).toBe(WARNING(serial.id)); // the most specific block
    // Unblocking is effective at once in the writing isolate.
    await call('DELETE', `/v1/blocked-codes/${whole.id}`, { key: org.ownerKey });
    expect(await location(`/01/${g}/21/GOOD`)).toBe('https://rule.example/');
  });

  it('blocks a GTIN without any link or product: the warning page, not a 404', async () => {
    const g = gtin(11);
    const whole = await blockCode(`https://id.gs1.org/01/${g}`);
    const res = await call('GET', `/01/${g}/21/ANY`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(WARNING(whole.id));
  });

  it('applies a block added while the code is warm: at once here, within the TTL from elsewhere', async () => {
    const g = await productWithLink(12);
    expect((await call('GET', `/01/${g}/21/W1`)).headers.get('location')).toBe(DEST(g)); // warm now
    const here = await blockCode(`https://id.gs1.org/01/${g}/21/W1`);
    expect((await call('GET', `/01/${g}/21/W1`)).headers.get('location')).toBe(WARNING(here.id));

    // Another isolate's write (straight to D1: nothing invalidates this isolate's entry).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date());
    expect((await call('GET', `/01/${g}/21/W2`)).headers.get('location')).toBe(DEST(g)); // entry read now
    await env.DB.prepare(
      `INSERT INTO blocked_codes (id, org_id, gtin, lot, serial, reason, source, created_at)
       VALUES ('blk_elsewhere12', ?, ?, '', 'W2', 'elsewhere', 'api', 1)`,
    )
      .bind(org.orgId, g)
      .run();
    vi.setSystemTime(Date.now() + 59_000);
    expect((await call('GET', `/01/${g}/21/W2`)).headers.get('location')).toBe(DEST(g)); // still cached
    vi.setSystemTime(Date.now() + 1_000); // RESOLVER_CACHE_TTL_SECONDS = 60
    expect((await call('GET', `/01/${g}/21/W2`)).headers.get('location')).toBe(WARNING('blk_elsewhere12'));
  });

  it('records the scan with outcome blocked and opens one high blocked_code_scanned alert', async () => {
    const g = await productWithLink(13);
    const serial = await blockCode(`https://id.gs1.org/01/${g}/21/REC1`, 'Internal case #4411');
    const cf = { country: 'FR', city: 'Paris', latitude: '48.8566', longitude: '2.3522' };
    expect((await scan(`/01/${g}/21/REC1`, { cf, headers: { 'user-agent': PHONE } })).status).toBe(307);
    expect((await scan(`/01/${g}/21/REC1`, { cf, headers: { 'user-agent': ANDROID } })).status).toBe(307);
    expect((await scan(`/01/${g}/21/FINE`, { cf, headers: { 'user-agent': PHONE } })).status).toBe(307);
    await flush('01', g);
    const { results } = await env.DB.prepare(
      'SELECT serial, outcome, destination, org_id, link_type FROM scan_events WHERE key_value = ? ORDER BY serial',
    )
      .bind(g)
      .all();
    expect(results).toEqual([
      { serial: 'FINE', outcome: 'redirect', destination: DEST(g), org_id: org.orgId, link_type: 'gs1:pip' },
      {
        serial: 'REC1',
        outcome: 'blocked',
        destination: WARNING(serial.id),
        org_id: org.orgId,
        link_type: null,
      },
      {
        serial: 'REC1',
        outcome: 'blocked',
        destination: WARNING(serial.id),
        org_id: org.orgId,
        link_type: null,
      },
    ]);
    const alerts = await alertsOf(org.ownerKey, g);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'blocked_code_scanned',
      severity: 'high',
      status: 'open',
      serial: 'REC1',
      occurrences: 2,
    });
    expect(alerts[0]!.evidence).toMatchObject({ block_id: serial.id });
    expect(alerts[0]!.evidence.scans[0]).toMatchObject({ country: 'FR', city: 'Paris', serial: 'REC1' });
    expect(JSON.stringify(alerts[0])).not.toContain('Internal case');

    // Breakdowns by outcome and the CSV export take the new outcome.
    const breakdown = await call(
      'GET',
      `/v1/analytics/scans/breakdown?by=outcome&gtin=${g}&from=${DAY(-1)}&to=${DAY(1)}`,
      {
        key: org.ownerKey,
      },
    );
    const body = await breakdown.text();
    expect(breakdown.status, body).toBe(200);
    expect(body).toContain('"blocked"');
    const csv = await call('GET', `/v1/exports/scans.csv?gtin=${g}&from=${DAY(-1)}&to=${DAY(1)}`, {
      key: org.ownerKey,
    });
    const text = await csv.text();
    expect(csv.status, text).toBe(200);
    expect(text.split('\n').filter((line) => line.includes(',blocked,'))).toHaveLength(2);
  });
});

describe('the warning page', () => {
  it("says the code was reported, with the brand's contact, locked down, and never the reason", async () => {
    const g = gtin(20);
    const brandId = await addBrand(org.ownerKey, 'Warning Brand');
    const patched = await call('PATCH', `/v1/brands/${brandId}`, {
      key: org.ownerKey,
      body: { contact: 'care@brand.example' },
    });
    expect(await patched.json()).toMatchObject({ name: 'Warning Brand', contact: 'care@brand.example' });
    await addProduct(org.ownerKey, { gtin: g, brandId, name: '<b>Olive Oil</b>' });
    const blocked = await blockCode(`https://id.gs1.org/01/${g}/21/P1`, 'Supplier X leak, case 17');
    const res = await call('GET', `/p/blocked/${blocked.id}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('This code has been reported.');
    expect(html).toContain('The product may not be genuine.');
    expect(html).toContain('href="mailto:care@brand.example"');
    expect(html).toContain('&lt;b&gt;Olive Oil&lt;/b&gt;');
    expect(html).toContain(`GTIN ${g} · serial P1`);
    expect(html).not.toContain('Supplier X');
    expect(html).not.toContain('<script');

    await call('PATCH', `/v1/brands/${brandId}`, {
      key: org.ownerKey,
      body: { contact: 'https://brand.example/help' },
    });
    expect(await (await call('GET', `/p/blocked/${blocked.id}`)).text()).toContain(
      'href="https://brand.example/help"',
    );
    await expectError(await call('GET', '/p/blocked/blk_nosuchblock'), 404, 'not_found');
  });

  it('validates the brand contact: an email address or an https URL, or null', async () => {
    const created = await call('POST', '/v1/brands', {
      key: org.ownerKey,
      body: { name: 'Contact Brand', contact: 'https://contact.example/' },
    });
    expect(created.status).toBe(201);
    const brand = await created.json<{ id: string; contact: string }>();
    expect(brand.contact).toBe('https://contact.example/');
    for (const contact of [
      'javascript:alert(1)',
      'http://plain.example/',
      'not an address',
      'x'.repeat(321),
      5,
    ]) {
      await expectError(
        await call('PATCH', `/v1/brands/${brand.id}`, { key: org.ownerKey, body: { contact } }),
        400,
        'validation_failed',
      );
    }
    await expectError(
      await call('PATCH', `/v1/brands/${brand.id}`, { key: org.ownerKey, body: {} }),
      400,
      'validation_failed',
    );
    const cleared = await call('PATCH', `/v1/brands/${brand.id}`, {
      key: org.ownerKey,
      body: { contact: null },
    });
    expect(await cleared.json()).toMatchObject({ name: 'Contact Brand', contact: null });
  });
});

describe('the warning page without a brand contact', () => {
  it('still tells the consumer what to do', async () => {
    const g = gtin(21);
    const blocked = await blockCode(`https://id.gs1.org/01/${g}`);
    const html = await (await call('GET', `/p/blocked/${blocked.id}`)).text();
    expect(html).toContain('contact the brand');
    expect(html).not.toContain('mailto:');
  });
});
