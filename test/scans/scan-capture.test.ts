import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScanCounter } from '../../src/scans/scan-counter';
import { createOrganization, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { count, counter, flush, scan } from '../support/scans';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const INSTAGRAM = `${IPHONE} Instagram 300.0.0.0 (iPhone15,2; iOS 17_4)`;
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const PARIS = {
  country: 'FR',
  region: 'Île-de-France',
  city: 'Paris',
  latitude: '48.8566',
  longitude: '2.3522',
  timezone: 'Europe/Paris',
  colo: 'CDG',
};
const TOKYO = {
  country: 'JP',
  region: 'Tokyo',
  city: 'Tokyo',
  latitude: '35.6762',
  longitude: '139.6503',
  timezone: 'Asia/Tokyo',
  colo: 'NRT',
};

// One GTIN per test, so objects and rows never mix between tests.
const GTINS = [
  '09506000134512',
  '09506000134529',
  '09506000134536',
  '09506000134543',
  '09506000134550',
  '09506000134567',
  '09506000134574',
  '09506000134772',
];
let org: TestOrg;

beforeAll(async () => {
  org = await createOrganization('Scanned Foods');
  const entries = GTINS.map((gtin) => ({
    anchor: `/01/${gtin}`,
    item_description: 'Scanned product',
    links: [
      { link_type: 'gs1:pip', href: `https://scanned.example/${gtin}`, title: 'PIP', hreflang: ['en'] },
    ],
  }));
  expect((await call('POST', '/v1/links/bulk', { key: org.ownerKey, body: { entries } })).status).toBe(200);
});

describe('scan capture', () => {
  it('records one scan as exactly one D1 row after the flush, with edge geography and no raw IP', async () => {
    const gtin = GTINS[0]!;
    const res = await scan(`/01/${gtin}/10/L1/21/S1?17=261231&utm=x`, {
      headers: {
        'user-agent': INSTAGRAM,
        referer: 'https://l.instagram.com/path?user=alice',
        'cf-connecting-ip': '203.0.113.7',
        'accept-language': 'fr-FR',
      },
      cf: PARIS,
    });
    expect(res.status).toBe(307);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(0); // buffered in the object
    expect(await flush('01', gtin)).toBe(true);

    const rows = (await env.DB.prepare('SELECT * FROM scan_events WHERE key_value = ?').bind(gtin).all())
      .results;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      org_id: org.orgId,
      key_ai: '01',
      lot: 'L1',
      serial: 'S1',
      country: 'FR',
      region: 'Île-de-France',
      city: 'Paris',
      latitude: 48.8566,
      longitude: 2.3522,
      timezone: 'Europe/Paris',
      colo: 'CDG',
      referrer: 'https://l.instagram.com',
      app: 'Instagram',
      device_class: 'mobile',
      is_bot: 0,
      outcome: 'redirect',
      link_type: 'gs1:pip',
      destination: `https://scanned.example/${gtin}?17=261231&utm=x`,
      language: 'en',
      shard: 0,
    });
    expect(JSON.parse(row.attributes as string)).toEqual({ '17': '261231' });
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // UUIDv7
    expect(row.scanner_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(row)).not.toContain('203.0.113.7');
    // Nothing left to flush: a second alarm finds nothing and writes nothing new.
    await flush('01', gtin);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(1);
  });

  it('keeps roll-ups equal to the raw events: quarter-hour × country × lot, dimensions, serials, bots apart', async () => {
    const gtin = GTINS[1]!;
    const scans: [string, string, Record<string, unknown>][] = [
      [`/01/${gtin}/10/A/21/1`, IPHONE, PARIS],
      [`/01/${gtin}/10/A/21/1`, IPHONE, PARIS],
      [`/01/${gtin}/10/A/21/2`, INSTAGRAM, TOKYO],
      [`/01/${gtin}/10/B`, IPHONE, TOKYO],
      [`/01/${gtin}`, GOOGLEBOT, {}],
    ];
    for (const [path, ua, cf] of scans) await scan(path, { headers: { 'user-agent': ua }, cf });
    await flush('01', gtin);
    const events = await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin);
    expect(events).toBe(5);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin)).toBe(
      events,
    );
    const hourly = (
      await env.DB.prepare(
        'SELECT country, lot, is_bot, sum(scans) AS scans FROM scan_rollup_hourly WHERE key_value = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
      )
        .bind(gtin)
        .all()
    ).results;
    expect(hourly).toEqual([
      { country: '', lot: '', is_bot: 1, scans: 1 },
      { country: 'FR', lot: 'A', is_bot: 0, scans: 2 },
      { country: 'JP', lot: 'A', is_bot: 0, scans: 1 },
      { country: 'JP', lot: 'B', is_bot: 0, scans: 1 },
    ]);
    const devices = (
      await env.DB.prepare(
        "SELECT value, sum(scans) AS scans FROM scan_rollup_dims WHERE key_value = ? AND dim = 'device' GROUP BY value ORDER BY value",
      )
        .bind(gtin)
        .all()
    ).results;
    expect(devices).toEqual([
      { value: 'bot', scans: 1 },
      { value: 'mobile', scans: 4 },
    ]);
    const apps = (
      await env.DB.prepare(
        "SELECT value, sum(scans) AS scans FROM scan_rollup_dims WHERE key_value = ? AND dim = 'app' AND is_bot = 0 GROUP BY value ORDER BY value",
      )
        .bind(gtin)
        .all()
    ).results;
    expect(apps).toEqual([
      { value: 'Instagram', scans: 1 },
      { value: 'Safari', scans: 3 },
    ]);
    const geo = (
      await env.DB.prepare(
        "SELECT value, scans FROM scan_rollup_dims WHERE key_value = ? AND dim = 'geo' ORDER BY value",
      )
        .bind(gtin)
        .all()
    ).results;
    expect(geo).toEqual([
      { value: '35.6,139.6|Tokyo|Tokyo', scans: 2 },
      { value: '48.8,2.3|Île-de-France|Paris', scans: 2 },
    ]);
    const serials = (
      await env.DB.prepare(
        'SELECT serial, lot, scans FROM scan_rollup_serials WHERE key_value = ? ORDER BY serial',
      )
        .bind(gtin)
        .all()
    ).results;
    expect(serials).toEqual([
      { serial: '1', lot: 'A', scans: 2 },
      { serial: '2', lot: 'A', scans: 1 },
    ]);
  });

  it.each([
    ['D1 fails the flush: nothing lands', 'error'],
    ['D1 applies the flush but its answer is lost', 'lost'],
  ] as const)('%s, and the retry leaves exactly the right rows', async (_name, fault) => {
    const gtin = GTINS[fault === 'error' ? 2 : 7]!;
    for (let i = 0; i < 3; i++)
      await scan(`/01/${gtin}/21/S${i}`, { headers: { 'user-agent': IPHONE }, cf: PARIS });
    const stub = counter('01', gtin);
    await runInDurableObject(stub, (instance: ScanCounter) => {
      const real = instance.db;
      let batches = 0;
      instance.db = new Proxy(real, {
        get(target, prop) {
          if (prop === 'batch') {
            return async (statements: D1PreparedStatement[]) => {
              if (++batches !== 1) return target.batch(statements);
              if (fault === 'lost') await target.batch(statements);
              throw new Error(`D1_ERROR: injected ${fault}`);
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await flush('01', gtin);
    errors.mockRestore();
    // Events and counts travel in one D1 batch (a transaction): all of it landed, or none.
    const landed = fault === 'lost' ? 3 : 0;
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(landed);
    expect(
      await count('SELECT coalesce(sum(scans), 0) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin),
    ).toBe(landed);
    expect((await stub.totals()).pendingFlush).toBe(3); // still buffered: nothing marked as flushed

    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.db = env.DB;
    });
    expect(await flush('01', gtin)).toBe(true); // the retry alarm
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(3);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin)).toBe(3);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_serials WHERE key_value = ?', gtin)).toBe(3);
    expect((await stub.totals()).pendingFlush).toBe(0);
  });

  it('loses nothing when the object is evicted between scans', async () => {
    const gtin = GTINS[3]!;
    await scan(`/01/${gtin}`, { cf: PARIS });
    await evictDurableObject(counter('01', gtin));
    await scan(`/01/${gtin}`, { cf: TOKYO });
    await evictDurableObject(counter('01', gtin));
    await flush('01', gtin);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(2);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin)).toBe(2);
  });

  it('counts a redelivered batch once (batches are remembered)', async () => {
    const gtin = GTINS[4]!;
    await scan(`/01/${gtin}`, { cf: PARIS });
    await flush('01', gtin);
    const event = await env.DB.prepare('SELECT id, occurred_at FROM scan_events WHERE key_value = ?')
      .bind(gtin)
      .first<{ id: string; occurred_at: number }>();
    const redelivered = {
      id: event!.id,
      orgId: org.orgId,
      occurredAt: event!.occurred_at,
      keyAi: '01',
      keyValue: gtin,
      cpv: null,
      lot: null,
      serial: null,
      attributes: {},
      country: 'FR',
      region: null,
      city: null,
      latitude: null,
      longitude: null,
      timezone: null,
      colo: null,
      referrer: null,
      app: null,
      deviceClass: 'mobile',
      isBot: false,
      outcome: 'redirect' as const,
      linkType: 'gs1:pip',
      ruleId: null,
      destination: null,
      language: null,
      scannerHash: 'x',
      shard: 0,
    };
    // The recorder resends a batch unchanged when its RPC fails: that batch is remembered.
    expect(await counter('01', gtin).record([redelivered])).toMatchObject({
      recorded: 0,
      duplicates: 1,
    });
    await flush('01', gtin);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(1);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin)).toBe(1);
  });

  it("records scans of unknown keys and linkset requests too, apart from the brand's", async () => {
    const unknown = '09506000134581';
    const res = await scan(`/01/${unknown}`, { cf: PARIS });
    expect(res.status).toBe(404);
    await flush('01', unknown);
    const row = await env.DB.prepare('SELECT org_id, outcome FROM scan_events WHERE key_value = ?')
      .bind(unknown)
      .first();
    expect(row).toEqual({ org_id: null, outcome: 'not_found' });

    const gtin = GTINS[5]!;
    await scan(`/01/${gtin}?linkType=linkset`);
    await scan(`/01/${gtin}/10/NEW`); // a walk-up
    await flush('01', gtin);
    const outcomes = (
      await env.DB.prepare('SELECT outcome, link_type FROM scan_events WHERE key_value = ? ORDER BY id')
        .bind(gtin)
        .all()
    ).results;
    expect(outcomes).toEqual([
      { outcome: 'linkset', link_type: 'linkset' },
      { outcome: 'redirect', link_type: 'gs1:pip' },
    ]);
  });

  it('does not record a 400: an invalid Digital Link is not a scan of any key', async () => {
    const before = await count('SELECT count(*) AS n FROM scan_events');
    expect((await scan('/01/09506000134353')).status).toBe(400);
    expect(await count('SELECT count(*) AS n FROM scan_events')).toBe(before);
  });
});

describe('live totals', () => {
  it("reads a key's totals from its objects before any flush, for its organisation only", async () => {
    const gtin = GTINS[6]!;
    await scan(`/01/${gtin}`, { cf: PARIS, headers: { 'user-agent': IPHONE } });
    await scan(`/01/${gtin}`, { cf: TOKYO, headers: { 'user-agent': IPHONE } });
    await scan(`/01/${gtin}`, { headers: { 'user-agent': GOOGLEBOT } });
    const res = await call('GET', `/v1/scans/live/01/${gtin}`, { key: org.ownerKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      scans: 3,
      human_scans: 2,
      bot_scans: 1,
      pending_flush: 3,
      by_country: { FR: 1, JP: 1 },
    });
    const other = await createOrganization('Someone else');
    await expectError(
      await call('GET', `/v1/scans/live/01/${gtin}`, { key: other.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('GET', `/v1/scans/live/01/09506000134353`, { key: org.ownerKey }),
      400,
      'invalid_digital_link',
    );
  });
});

describe('storage writes per batch', () => {
  it('writes a few rows per batch, whatever its size: counts travel with the batch', async () => {
    const { scanEvent } = await import('../support/recorded-scans');
    const gtin = '09506000134659';
    const at = Date.parse('2026-11-20T10:15:00Z');
    const one = await counter('01', gtin).record([
      scanEvent({
        orgId: org.orgId,
        keyValue: gtin,
        occurredAt: at,
        country: 'FR',
        city: 'Paris',
        scannerHash: 'same',
      }),
    ]);
    const batch = Array.from({ length: 100 }, (_, i) =>
      scanEvent({
        orgId: org.orgId,
        keyValue: gtin,
        occurredAt: at + i * 1000,
        country: 'FR',
        city: 'Paris',
        region: 'IDF',
        scannerHash: 'same',
      }),
    );
    const many = await counter('01', gtin).record(batch);
    expect(many.recorded).toBe(100);
    // The batch's id, its pending row (events and counts) and one live-total row; the scanner was
    // seen today already. One scan alone also writes its scanner and the object's identity.
    expect(many.rowsWritten).toBeLessThanOrEqual(4);
    expect(one.rowsWritten).toBeLessThanOrEqual(6);
    await flush('01', gtin);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin)).toBe(101);
    expect(
      await count("SELECT sum(scans) AS n FROM scan_rollup_dims WHERE key_value = ? AND dim = 'city'", gtin),
    ).toBe(101);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', gtin)).toBe(101);
  });
});

describe('flush under steady traffic', () => {
  it('sends only what changed since the last flush, even when scans arrive during a flush', async () => {
    const { scanEvent } = await import('../support/recorded-scans');
    const { runInDurableObject } = await import('cloudflare:test');
    const gtin = '09506000134697';
    const stub = counter('01', gtin);
    const at = Date.parse('2026-11-21T10:00:00Z');
    const serials = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        scanEvent({
          orgId: org.orgId,
          keyValue: gtin,
          occurredAt: at,
          serial: `${prefix}${i}`,
          scannerHash: 'h',
        }),
      );
    await stub.record(serials('A', 50));
    const first = await runInDurableObject(stub, async (instance: ScanCounter) => {
      const real = instance.db;
      let arrived = false;
      instance.db = new Proxy(real, {
        get(target, prop) {
          if (prop === 'batch') {
            return async (statements: D1PreparedStatement[]) => {
              if (!arrived) {
                arrived = true;
                await instance.record(serials('B', 5)); // scans arriving while the flush talks to D1
              }
              return target.batch(statements);
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      try {
        return await instance.flush();
      } finally {
        instance.db = real;
      }
    });
    expect(first.events).toBe(50);
    expect(first.remaining).toBe(5);
    const second = await runInDurableObject(stub, (instance: ScanCounter) => instance.flush());
    expect(second.events).toBe(5);
    // The five new serials and the counters they touched — not the fifty serials already sent.
    expect(second.rollupRows).toBeLessThan(20);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_serials WHERE key_value = ?', gtin)).toBe(55);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', gtin)).toBe(55);
  });
});
