// Secrets never appear in responses, in D1 as plaintext, or in logs. The secrets: API keys (shown
// once at creation; only their SHA-256 is stored), webhook signing secrets (shown once at creation
// or rotation; stored sealed under SECRETS_KEY), POS webhook secrets (set by the brand, never shown
// back; stored sealed), and the SECRETS_KEY and SCANNER_HASH_SECRET values themselves.
//
// One organisation gets one of everything through the API (keys, a webhook with a rotated secret,
// a store with Shopify and Square secrets, inventory from a signed POS webhook, scans, an alert, a
// failed delivery, a search); then every GET route the router lists is read back with real ids,
// so a route added later is swept too (and fails here until the sweep knows its ids).

import { env } from 'cloudflare:workers';
import { inspect } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashApiKey } from '../../src/accounts/api-key-secret';
import { openWebhookSecret } from '../../src/alerts/webhooks/webhook-secret';
import { openSecret } from '../../src/crypto/sealed-secret';
import { secretContext } from '../../src/inventory/location-record';
import { orgPrefix } from '../../src/storage/archive-layout';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import {
  type AlertJson,
  addAlertProduct,
  alertsOf,
  capturingQueue,
  createWebhook,
  deliveryMessage,
  runAlertQueue,
} from '../support/alerts';
import { call, expectError } from '../support/http';
import {
  createLocation,
  type LocationBody,
  STORE,
  shopifyWebhook,
  squareWebhook,
} from '../support/inventory';
import { addBrand, addDefaultLink, postRule, testGtin, urlRule } from '../support/rules';
import { flush, scan } from '../support/scans';
import { get as searchGet, searchPath } from '../support/search';
import { v1Routes } from '../support/v1-routes';

const GTIN = testGtin(89_001); // this file: 89,000–89,099
const TOKYO = {
  country: 'JP',
  region: 'Tokyo',
  city: 'Tokyo',
  latitude: '35.6762',
  longitude: '139.6503',
  timezone: 'Asia/Tokyo',
  colo: 'NRT',
};
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
/** The Worker secrets vitest.config.ts binds for tests (typed on the Worker's Env, not on cloudflare:workers' env). */
const { SECRETS_KEY, SCANNER_HASH_SECRET } = env as unknown as Required<
  Pick<Env, 'SECRETS_KEY' | 'SCANNER_HASH_SECRET'>
>;
/** Another valid SECRETS_KEY (32 bytes, base64): what a Worker whose key was changed would hold. */
const OTHER_SECRETS_KEY = btoa('another-secrets-key-32-bytes-ok!');

/** Shapes of our secrets, whoever they belong to: a full API key, a webhook signing secret. */
const SECRET_SHAPES = [/dle_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}/, /whsec_[A-Za-z0-9_-]{16,}/];

const random = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll('-', '')}`;

let org: TestOrg;
/** The owner key created through POST /v1/api-keys (the sweep reads with it). */
let apiKey: { id: string; key: string };
let managerKey: { id: string; key: string };
let webhook: { id: string; firstSecret: string; secret: string };
let location: LocationBody;
const pos = { shopifyReplaced: random('shpss_old_'), shopify: random('shpss_'), square: random('sq0wbk-') };
let alert: AlertJson;
const ids: Record<string, string> = {};

/** name → value of every secret this file made, plaintext. */
function plaintextSecrets(): Record<string, string> {
  const secrets: Record<string, string> = {
    'the bootstrap owner key': org.ownerKey,
    "the bootstrap owner key's secret part": org.ownerKey.split('_')[2]!,
    'the created owner key': apiKey.key,
    "the created owner key's secret part": apiKey.key.split('_')[2]!,
    'the manager key': managerKey.key,
    "the manager key's secret part": managerKey.key.split('_')[2]!,
    'the first webhook secret': webhook.firstSecret,
    'the current webhook secret': webhook.secret,
    'the replaced Shopify secret': pos.shopifyReplaced,
    'the Shopify secret': pos.shopify,
    'the Square signature key': pos.square,
    SECRETS_KEY,
    SCANNER_HASH_SECRET,
  };
  for (const [name, value] of Object.entries(secrets))
    if (!value || value.length < 16) throw new Error(`test setup: ${name} is not a usable secret`);
  return secrets;
}

/** Plaintext secrets, and what D1 keeps instead of them (hashes, sealed values): none belongs in a response. */
async function responseSecrets(): Promise<Record<string, string>> {
  const sealed = await env.DB.prepare(
    'SELECT secret_sealed AS current, previous_secret_sealed AS previous FROM webhooks WHERE id = ?',
  )
    .bind(webhook.id)
    .first<{ current: string; previous: string }>();
  const store = await env.DB.prepare(
    'SELECT shopify_webhook_secret AS shopify, square_signature_key AS square FROM locations WHERE id = ?',
  )
    .bind(location.id)
    .first<{ shopify: string; square: string }>();
  return {
    ...plaintextSecrets(),
    "the created owner key's hash": await hashApiKey(apiKey.key),
    "the bootstrap owner key's hash": await hashApiKey(org.ownerKey),
    'the sealed webhook secret': sealed!.current,
    'the sealed previous webhook secret': sealed!.previous,
    'the sealed Shopify secret': store!.shopify,
    'the sealed Square key': store!.square,
  };
}

function expectNoSecrets(where: string, text: string, secrets: Record<string, string>): void {
  for (const [name, value] of Object.entries(secrets))
    expect(text.includes(value), `${where} shows ${name}`).toBe(false);
  for (const shape of SECRET_SHAPES)
    expect(text.match(shape)?.[0], `${where} shows something shaped like a secret`).toBeUndefined();
}

/** The response's status line, headers and body as one text (the body is consumed). */
async function responseText(res: Response): Promise<string> {
  return `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${await res.text()}`;
}

/** How many times `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** A D1 whose writes fail (reads still work, so requests get past authentication and lookups). */
function d1WithFailingWrites(db: D1Database): D1Database {
  const failing = new WeakSet<object>();
  const fail = () => Promise.reject(new Error('D1_ERROR: injected outage: writes are failing'));
  const failingStatement = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        if (prop === 'bind') return (...values: unknown[]) => failingStatement(target.bind(...values));
        if (prop === 'run' || prop === 'all' || prop === 'raw' || prop === 'first') return fail;
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    failing.add(proxy);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      // A session of a failing database fails the same way (every /v1 request runs in one).
      if (prop === 'withSession')
        return (start: string) => d1WithFailingWrites(target.withSession(start) as unknown as D1Database);
      if (prop === 'prepare')
        return (sql: string) =>
          /^\s*(insert|update|delete|replace)\b/i.test(sql)
            ? failingStatement(target.prepare(sql))
            : target.prepare(sql);
      if (prop === 'batch')
        return (statements: D1PreparedStatement[]) =>
          statements.some((s) => failing.has(s)) ? fail() : target.batch(statements);
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Every GET route under /v1 the router has. */
const GET_ROUTES = v1Routes()
  .filter((r) => r.method === 'GET')
  .map((r) => r.path);

/** Query strings routes need to answer 200. */
const QUERIES: Record<string, string> = { '/v1/analytics/scans/breakdown': '?by=country' };

/** The route with its parameters filled by this organisation's ids: `:id` is the resource's named by the first segment. */
function concrete(path: string): string {
  const resource = path.split('/')[2]!;
  const filled = path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const value =
      name === 'ai'
        ? '01'
        : name === 'value' || name === 'gtin'
          ? GTIN
          : name === 'id'
            ? ids[resource]
            : undefined;
    if (value === undefined)
      throw new Error(
        `${path}: no value for :${name}; give the secrets sweep one so this route is read with real data`,
      );
    return value;
  });
  return `${filled}${QUERIES[path] ?? ''}`;
}

beforeAll(async () => {
  org = await createOrganization('Secret Foods');
  const key = org.ownerKey;

  // API keys: the full key is in the creation response, once, and nowhere else.
  for (const [name, role] of [
    ['integration', 'owner'],
    ['team', 'manager'],
  ] as const) {
    const res = await call('POST', '/v1/api-keys', { key, body: { name, role } });
    expect(res.status).toBe(201);
    const body = await res.clone().json<{ id: string; key: string; prefix: string }>();
    expect(occurrences(await res.clone().text(), body.key)).toBe(1);
    expect(occurrences([...res.headers].join('\n'), body.key.split('_')[2]!)).toBe(0);
    expect(body.prefix).toBe(body.key.slice(0, 12));
    if (role === 'owner') apiKey = body;
    else managerKey = body;
  }
  ids['api-keys'] = apiKey.id;

  // Catalog, links, rules, serials: ids for every GET route with one.
  ids.brands = await addBrand(key, 'Secret brand');
  await addAlertProduct(key, GTIN, { markets: ['FR'] });
  ids.products = GTIN;
  await addDefaultLink(key, GTIN, `https://secret-foods.example/${GTIN}`);
  ids.links = (
    await (
      await call('GET', `/v1/links?key_ai=01&key_value=${GTIN}`, { key })
    ).json<{ data: { id: string }[] }>()
  ).data[0]!.id;
  ids.rules = (
    await postRule(
      key,
      urlRule(GTIN, 'https://secret-foods.example/rule', { conditions: { countries: ['DE'] } }),
    )
  ).id;
  const serials = await call('POST', '/v1/issued-serials', {
    key,
    body: { kind: 'list', gtin: GTIN, serials: ['SER1'] },
  });
  expect(serials.status).toBe(201);
  ids['issued-serials'] = (await serials.json<{ id: string }>()).id;
  const blocked = await call('POST', '/v1/blocked-codes', {
    key,
    body: { digital_link: `https://id.gs1.org/01/${GTIN}/21/SECRET-BLOCK`, reason: 'Sweep' },
  });
  expect(blocked.status).toBe(201);
  ids['blocked-codes'] = (await blocked.json<{ id: string }>()).id;

  // A store with both POS secrets, the Shopify one then replaced: no response ever shows them.
  location = await createLocation(key, {
    pos: {
      shopify: { location_id: '24826418', webhook_secret: pos.shopifyReplaced },
      square: { location_id: 'LQ8NX8H3WC9G1', signature_key: pos.square },
    },
  });
  expect(location.pos).toMatchObject({
    shopify: { webhook_secret_set: true },
    square: { signature_key_set: true },
  });
  expectNoSecrets('POST /v1/locations', JSON.stringify(location), {
    shopify: pos.shopifyReplaced,
    square: pos.square,
  });
  const patched = await call('PATCH', `/v1/locations/${location.id}`, {
    key,
    body: { pos: { shopify: { webhook_secret: pos.shopify } } },
  });
  expect(patched.status).toBe(200);
  expectNoSecrets('PATCH /v1/locations/:id', await responseText(patched), {
    replaced: pos.shopifyReplaced,
    shopify: pos.shopify,
    square: pos.square,
  });
  ids.locations = location.id;
  const mapped = await call('PUT', `/v1/locations/${location.id}/pos-items`, {
    key,
    body: { platform: 'shopify', items: [{ pos_item_id: '808950810', gtin: GTIN }] },
  });
  expect(mapped.status).toBe(200);
  const level = {
    inventory_item_id: 808950810,
    location_id: 24826418,
    available: 6,
    updated_at: new Date().toISOString(),
  };
  expect(await (await shopifyWebhook(location.id, level, pos.shopify)).json()).toMatchObject({ applied: 1 });

  // A scan from Tokyo of a product sold in France only: an event (scanner hashed under
  // SCANNER_HASH_SECRET), roll-ups and an alert.
  expect(
    (await scan(`/01/${GTIN}/10/LOT1/21/SER1`, { headers: { 'user-agent': IPHONE }, cf: TOKYO })).status,
  ).toBe(307);
  await flush('01', GTIN);
  // The archive's listing and one of its objects (the scan above, archived with its flush).
  const today = new Date().toISOString().slice(0, 10);
  QUERIES['/v1/exports/archive'] = `?from=${today}&to=${today}`;
  QUERIES['/v1/codes'] = `?data=${encodeURIComponent(`https://id.gs1.org/01/${GTIN}`)}`;
  const archived = await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(org.orgId) });
  QUERIES['/v1/exports/archive/object'] = `?key=${encodeURIComponent(archived.objects[0]!.key)}`;
  [alert] = (await alertsOf(key, GTIN)) as [AlertJson];
  expect(alert).toMatchObject({ type: 'unauthorised_market' });
  ids.alerts = alert.id;

  // A search that lists the store (search impressions).
  const found = await searchGet(searchPath({ q: `gtin:${GTIN}`, lat: STORE.latitude, lng: STORE.longitude }));
  expect((await found.json<{ total: number }>()).total).toBe(1);

  // A webhook (created after the alert opened, so the real queue's fan-out leaves it alone) whose
  // secret is shown once at creation, then once more at rotation.
  const created = await createWebhook(key, {
    url: 'https://hooks.secret-foods-receiver.com/dle',
    event_types: ['alert.*'],
  });
  const rotated = await call('POST', `/v1/webhooks/${created.id}/rotate-secret`, { key });
  const rotatedText = await rotated.text();
  const { secret } = JSON.parse(rotatedText) as { secret: string };
  expect(occurrences(rotatedText, secret)).toBe(1);
  expect(occurrences(rotatedText, created.secret)).toBe(0);
  webhook = { id: created.id, firstSecret: created.secret, secret };
  ids.webhooks = webhook.id;

  // A delivery the endpoint refuses, answering with what it was sent (its headers): logged and listed.
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    return new Response(`rejected: ${[...request.headers].map(([k, v]) => `${k}=${v}`).join('; ')}`, {
      status: 500,
    });
  });
  await runAlertQueue([deliveryMessage(alert, webhook.id, org.orgId)], 1, {
    ALERT_EVENTS: capturingQueue().queue,
  });
  vi.restoreAllMocks();
  const deliveries = await (await call('GET', `/v1/webhooks/${webhook.id}/deliveries`, { key })).json<{
    data: { status: string; error: string }[];
  }>();
  expect(deliveries.data).toMatchObject([
    { status: 'failed', error: expect.stringContaining('HTTP 500: rejected') },
  ]);
}, 60_000);

describe('responses never show a secret', () => {
  it('the sweep covers the routes that hold secrets (sanity: the router lists them)', () => {
    expect(GET_ROUTES).toEqual(
      expect.arrayContaining([
        '/v1/organization',
        '/v1/api-keys',
        '/v1/api-keys/:id',
        '/v1/webhooks',
        '/v1/webhooks/:id',
        '/v1/webhooks/:id/deliveries',
        '/v1/locations/:id',
        '/v1/locations/:id/pos-items',
        '/v1/exports/scans.csv',
      ]),
    );
  });

  it.each(GET_ROUTES)('GET %s: 200, and no secret in the headers or body', async (path) => {
    const url = concrete(path);
    const res = await call('GET', url, { key: apiKey.key });
    const text = await responseText(res);
    expect(res.status, `GET ${url}: ${text}`).toBe(200);
    expectNoSecrets(`GET ${url}`, text, await responseSecrets());
  });

  it('public pages (hosted page, resolver linkset, search) show no secret either', async () => {
    const secrets = await responseSecrets();
    const headers = { authorization: `Bearer ${apiKey.key}` };
    const search = searchPath({ q: `gtin:${GTIN}`, lat: STORE.latitude, lng: STORE.longitude });
    for (const url of ['/healthz', `/p/01/${GTIN}`, `/01/${GTIN}?linkType=linkset`, search]) {
      // The resolver and search log in waitUntil: scan() and searchGet() wait for it, so nothing is left
      // half-done.
      const res =
        url === search
          ? await searchGet(url)
          : url.startsWith('/01/')
            ? await scan(url, { headers })
            : await call('GET', url, { headers });
      const text = await responseText(res);
      expect(res.status, `GET ${url}: ${text}`).toBe(200);
      expectNoSecrets(`GET ${url}`, text, secrets);
    }
  });

  it('a request that fails validation does not echo the secret it carried', async () => {
    const secrets = await responseSecrets();
    const fresh = random('shpss_rejected_');
    const attempts = [
      call('PATCH', `/v1/locations/${location.id}`, {
        key: apiKey.key,
        body: { latitude: 200, pos: { shopify: { webhook_secret: fresh } } },
      }),
      call('PATCH', `/v1/locations/${location.id}`, {
        key: apiKey.key,
        body: { pos: { shopify: { webhook_secret: fresh, unknown: fresh } } },
      }),
      call('POST', '/v1/locations', {
        key: apiKey.key,
        body: { ...STORE, timezone: 'Not/A_Zone', pos: { square: { signature_key: fresh } } },
      }),
      call('POST', '/v1/locations', {
        key: apiKey.key,
        body: { ...STORE, pos: { square: { signature_key: fresh.repeat(10) } } },
      }), // too long
      call('PATCH', `/v1/locations/${location.id}`, {
        key: apiKey.key,
        body: `{"pos":{"shopify":{"webhook_secret":"${fresh}"`,
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expectNoSecrets('a rejected request', await responseText(res), {
        ...secrets,
        'the rejected secret': fresh,
      });
    }
  });
});

describe('D1 holds hashes and sealed values, never a secret', () => {
  it('stores API keys as the SHA-256 of the key and the visible prefix only', async () => {
    for (const k of [apiKey, managerKey]) {
      const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?')
        .bind(k.id)
        .first<Record<string, unknown>>();
      expect(row).toMatchObject({ key_hash: await hashApiKey(k.key), prefix: k.key.slice(0, 12) });
      expectNoSecrets('the api_keys row', JSON.stringify(row), plaintextSecrets());
    }
  });

  it('stores webhook and POS secrets sealed under SECRETS_KEY, opening only with it', async () => {
    const hook = await env.DB.prepare(
      'SELECT secret_sealed, previous_secret_sealed FROM webhooks WHERE id = ?',
    )
      .bind(webhook.id)
      .first<Record<string, string>>();
    expect(await openWebhookSecret(SECRETS_KEY, webhook.id, hook!.secret_sealed!)).toBe(webhook.secret);
    expect(await openWebhookSecret(SECRETS_KEY, webhook.id, hook!.previous_secret_sealed!)).toBe(
      webhook.firstSecret,
    );
    expect(await openWebhookSecret(OTHER_SECRETS_KEY, webhook.id, hook!.secret_sealed!)).toBeUndefined();

    const store = await env.DB.prepare(
      'SELECT shopify_webhook_secret, square_signature_key FROM locations WHERE id = ?',
    )
      .bind(location.id)
      .first<Record<string, string>>();
    expect(
      await openSecret(
        SECRETS_KEY,
        store!.shopify_webhook_secret!,
        secretContext(location.id, 'shopify_webhook_secret'),
      ),
    ).toBe(pos.shopify);
    expect(
      await openSecret(
        SECRETS_KEY,
        store!.square_signature_key!,
        secretContext(location.id, 'square_signature_key'),
      ),
    ).toBe(pos.square);
    expect(
      await openSecret(
        OTHER_SECRETS_KEY,
        store!.shopify_webhook_secret!,
        secretContext(location.id, 'shopify_webhook_secret'),
      ),
    ).toBeUndefined();
  });

  it('no column of any table holds a secret in plaintext', async () => {
    const tables = (
      await env.DB.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
      ).all<{ name: string }>()
    ).results;
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'api_keys',
        'webhooks',
        'webhook_deliveries',
        'locations',
        'scan_events',
        'alerts',
      ]),
    );
    const secrets = plaintextSecrets();
    for (const { name: table } of tables) {
      const columns = (
        await env.DB.prepare('SELECT name FROM pragma_table_info(?)').bind(table).all<{ name: string }>()
      ).results.map((c) => c.name);
      const anyColumn = columns.map((c) => `instr(CAST(t."${c}" AS TEXT), s.value) > 0`).join(' OR ');
      const found = await env.DB.prepare(
        `SELECT DISTINCT s.key AS secret FROM "${table}" AS t, json_each(?) AS s WHERE ${anyColumn}`,
      )
        .bind(JSON.stringify(secrets))
        .all<{ secret: string }>();
      expect(
        found.results.map((r) => r.secret),
        `table ${table}`,
      ).toEqual([]);
    }
  });
});

describe('logs never show a secret', () => {
  const logged: string[] = [];
  const logText = (value: unknown) =>
    typeof value === 'string' ? value : inspect(value, { depth: null, showHidden: true });

  beforeEach(() => {
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(`${level}: ${args.map(logText).join(' ')}`);
      });
    }
  });

  afterEach(() => {
    vi.restoreAllMocks();
    logged.length = 0;
  });

  /** Nothing logged shows a secret of this file, a secret-shaped string, or one of `sent` (name → value). */
  function expectCleanLogs(sent: Record<string, string> = {}) {
    const secrets = { ...plaintextSecrets(), ...sent };
    for (const line of logged) expectNoSecrets('a log line', line, secrets);
  }

  it('when a key is unknown, revoked, expired or malformed', async () => {
    const revoked = await call('DELETE', `/v1/api-keys/${managerKey.id}`, { key: apiKey.key });
    expect(revoked.status).toBe(200);
    expectNoSecrets('DELETE /v1/api-keys/:id', await responseText(revoked), await responseSecrets());
    const expired = await insertKey(org.orgId, 'owner', { expiresAt: Date.now() - 60_000 });
    const unknown = `dle_${'A'.repeat(8)}_${random('').slice(0, 32)}`;
    const headers = [
      `Bearer ${unknown}`,
      `Bearer ${managerKey.key}`,
      `Bearer ${expired.key}`,
      `Bearer ${apiKey.key} ${apiKey.key}`,
      `Basic ${btoa(`user:${apiKey.key}`)}`,
      `Bearer ${apiKey.key}x`,
      apiKey.key,
    ];
    const sent = {
      'the expired key': expired.key,
      'the unknown key': unknown,
      ...Object.fromEntries(headers.map((h, i) => [`Authorization header ${i + 1}`, h])),
    };
    const secrets = { ...(await responseSecrets()), ...sent };
    for (const authorization of headers) {
      const res = await call('GET', '/v1/api-keys', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expectNoSecrets(`a 401 for "${authorization}"`, await responseText(res), secrets);
    }
    expectCleanLogs(sent);
  });

  it('when a POS webhook is badly signed, or its stored secret no longer opens', async () => {
    const level = {
      inventory_item_id: 808950810,
      location_id: 24826418,
      available: 2,
      updated_at: new Date().toISOString(),
    };
    const count = {
      catalog_object_id: 'X',
      location_id: 'LQ8NX8H3WC9G1',
      quantity: '1',
      state: 'IN_STOCK',
      calculated_at: new Date().toISOString(),
    };
    const squareEvent = { type: 'inventory.count.updated', data: { object: { inventory_counts: [count] } } };
    const secrets = await responseSecrets();
    const refused = [
      await shopifyWebhook(location.id, level, pos.shopifyReplaced),
      await shopifyWebhook(location.id, level, 'not-the-secret', { 'x-shopify-hmac-sha256': pos.shopify }),
      await squareWebhook(location.id, squareEvent, pos.shopify),
      await squareWebhook(location.id, squareEvent, pos.square, {
        'x-square-hmacsha256-signature': pos.square,
      }),
    ];
    for (const res of refused) {
      const text = await responseText(res);
      expect(res.status, text).toBe(401);
      expectNoSecrets('a refused POS webhook', text, secrets);
    }
    // The Worker's SECRETS_KEY changed: the stored secret cannot be opened (503, and a log line for the
    // operator).
    const body = JSON.stringify(level);
    const unreadable = await call('POST', `/webhooks/pos/shopify/${location.id}`, {
      body,
      headers: { 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-hmac-sha256': 'c2lnbmF0dXJl' },
      env: { SECRETS_KEY: OTHER_SECRETS_KEY },
    });
    const text = await responseText(unreadable);
    expect(unreadable.status, text).toBe(503);
    expectNoSecrets('a POS webhook whose secret does not open', text, {
      ...secrets,
      'the other SECRETS_KEY': OTHER_SECRETS_KEY,
    });
    expect(logged.join('\n')).toContain('stored POS secret does not open');
    expectCleanLogs({ 'the other SECRETS_KEY': OTHER_SECRETS_KEY });
  });

  it('when webhook deliveries fail, or the signing secret no longer opens', async () => {
    let answer: 'echo' | 'network-error' = 'echo';
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (answer === 'network-error')
        throw new TypeError(`Network connection lost (sent ${request.headers.get('webhook-signature')})`);
      return new Response(`refused: ${[...request.headers].map(([k, v]) => `${k}=${v}`).join('; ')}`, {
        status: 502,
      });
    });
    // Each failure is acked and its next attempt sent on (captured here, never delivered).
    const { queue, sent } = capturingQueue();
    const message = (attempt: number) => deliveryMessage(alert, webhook.id, org.orgId, attempt);
    await runAlertQueue([message(2)], 1, { ALERT_EVENTS: queue });
    answer = 'network-error';
    await runAlertQueue([message(3)], 1, { ALERT_EVENTS: queue });
    await runAlertQueue([message(4)], 1, { SECRETS_KEY: OTHER_SECRETS_KEY, ALERT_EVENTS: queue });
    // D1 down: the attempt is not logged (and says so), and its retry is still scheduled.
    await runAlertQueue([message(5)], 1, { DB: d1WithFailingWrites(env.DB), ALERT_EVENTS: queue });
    expect(sent.map((m) => m.body.attempt)).toEqual([3, 4, 5, 6]);
    for (const m of sent) expectNoSecrets('a retry sent on', JSON.stringify(m), await responseSecrets());
    expect(logged.join('\n')).toContain('webhook delivery not logged');

    const res = await call('GET', `/v1/webhooks/${webhook.id}/deliveries`, { key: apiKey.key });
    const text = await responseText(res);
    expect(text).toContain('the signing secret does not open');
    expectNoSecrets('GET /v1/webhooks/:id/deliveries', text, await responseSecrets());
    expectCleanLogs({ 'the other SECRETS_KEY': OTHER_SECRETS_KEY });
  });

  it('when a request fails inside the Worker (500), with secrets in its body or being made', async () => {
    const fresh = random('shpss_lost_');
    const failing = { DB: d1WithFailingWrites(env.DB) };
    const attempts = [
      call('PATCH', `/v1/locations/${location.id}`, {
        key: apiKey.key,
        body: { pos: { shopify: { webhook_secret: fresh } } },
        env: failing,
      }),
      call('POST', '/v1/locations', {
        key: apiKey.key,
        body: { ...STORE, pos: { square: { signature_key: fresh } } },
        env: failing,
      }),
      call('POST', '/v1/api-keys', {
        key: apiKey.key,
        body: { name: 'lost', role: 'readonly' },
        env: failing,
      }),
      call('POST', '/v1/webhooks', {
        key: apiKey.key,
        body: { url: 'https://hooks.secret-foods-receiver.com/lost', event_types: ['alert.*'] },
        env: failing,
      }),
      call('POST', `/v1/webhooks/${webhook.id}/rotate-secret`, { key: apiKey.key, env: failing }),
    ];
    const secrets = { ...(await responseSecrets()), 'the secret sent': fresh };
    for (const res of await Promise.all(attempts)) {
      await expectError(res.clone(), 500, 'internal');
      expectNoSecrets('a 500', await responseText(res), secrets);
    }
    expect(logged.filter((line) => line.includes('unhandled error'))).toHaveLength(attempts.length);
    expectCleanLogs({ 'the secret sent': fresh });
    // Nothing was half-written: the store keeps its secret, the webhook its current one.
    expect(
      (await call('GET', '/v1/webhooks', { key: apiKey.key }).then((r) => r.json<{ data: unknown[] }>()))
        .data,
    ).toHaveLength(1);
    const store = await env.DB.prepare('SELECT shopify_webhook_secret AS s FROM locations WHERE id = ?')
      .bind(location.id)
      .first<string>('s');
    expect(await openSecret(SECRETS_KEY, store!, secretContext(location.id, 'shopify_webhook_secret'))).toBe(
      pos.shopify,
    );
  });

  it('when a scan cannot be recorded (its counter is down)', async () => {
    const down = new Proxy(env.SCAN_COUNTER, {
      get() {
        return () => {
          throw new Error('ScanCounter is down (injected)');
        };
      },
    });
    const res = await call('GET', `/01/${GTIN}/10/LOT1`, {
      headers: { 'user-agent': IPHONE },
      cf: TOKYO,
      env: { SCAN_COUNTER: down },
    });
    expect(res.status).toBe(307);
    expect(logged.join('\n')).toContain('scans not recorded');
    expectCleanLogs();
  });
});
