// Account closure through the Worker: DELETE /v1/organization?confirm=<id> on real local D1, R2 and
// ScanCounter objects. The organisation's rows in every D1 table, its archive objects and its
// counters' storage are gone, the report counts them, its keys stop working, and another
// organisation keeps everything.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { orgPrefix } from '../../src/storage/archive-layout';
import { ERASE_LIMITS, type ErasureReport, eraseOrganization } from '../../src/storage/erase-organization';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { createWebhook } from '../support/alerts';
import { call, expectError } from '../support/http';
import { createLocation } from '../support/inventory';
import { recordScans, scanEvent } from '../support/recorded-scans';
import { addBrand, addProduct, postRule, testGtin, urlRule } from '../support/rules';
import { counter } from '../support/scans';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T09:00:00Z');
let gtinSeq = 0;
const nextGtin = () => testGtin(92_000 + ++gtinSeq); // this file: 92,000–92,099

/** Every D1 table with an org_id column (found from the schema, so tables added later are covered). */
async function orgTables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE 'products_fts%'",
  ).all<{ name: string }>();
  const tables: string[] = [];
  for (const { name } of results) {
    const columns = await env.DB.prepare(`PRAGMA table_info(${name})`).all<{ name: string }>();
    if (columns.results.some((c) => c.name === 'org_id')) tables.push(name);
  }
  return tables;
}

/** Rows per table naming the organisation (organizations by id; pos_item_mappings via its locations). */
async function rowsOf(orgId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const add = async (table: string, sql: string) => {
    const n = (await env.DB.prepare(sql).bind(orgId).first<number>('n')) ?? 0;
    if (n > 0) counts[table] = n;
  };
  for (const table of await orgTables())
    await add(table, `SELECT count(*) AS n FROM ${table} WHERE org_id = ?`);
  await add('organizations', 'SELECT count(*) AS n FROM organizations WHERE id = ?');
  await add(
    'pos_item_mappings',
    'SELECT count(*) AS n FROM pos_item_mappings WHERE location_id IN (SELECT id FROM locations WHERE org_id = ?)',
  );
  return counts;
}

async function archiveOf(orgId: string) {
  return (await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(orgId) })).objects;
}

/** Everything the counter object stores, table by table (its schema recreated empty after an erase). */
async function counterStorage(gtin: string) {
  return runInDurableObject(counter('01', gtin), async (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'",
      )
      .toArray();
    const rows: Record<string, number> = {};
    for (const { name } of tables) {
      const n = state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${name}`).one().n;
      if (n > 0) rows[name] = n;
    }
    return { rows, alarm: await state.storage.getAlarm() };
  });
}

interface Populated extends TestOrg {
  gtins: string[];
  archived: string[];
  archivedBytes: number;
  ruleUrl: string;
}

/** An organisation with data in most tables: catalog, links, rules, stores, webhooks, settings, scans. */
async function populate(name: string): Promise<Populated> {
  const org = await createOrganization(name);
  const key = org.ownerKey;
  const gtins = [nextGtin(), nextGtin()];
  const brandId = await addBrand(key, `${name} brand`);
  const member = await call('POST', '/v1/access-members', {
    key,
    body: { email: `people.${org.orgId.slice(4)}@example.com`, role: 'editor' },
  });
  if (member.status !== 201) throw new Error(`access member not added: ${await member.text()}`);
  for (const gtin of gtins)
    await addProduct(key, { gtin, brandId, defaultLink: `https://${org.orgId}.example/${gtin}` });
  const ruleUrl = `https://rule-${org.orgId}.example/`;
  await postRule(key, urlRule(gtins[0]!, ruleUrl));
  await env.DB.prepare(
    'INSERT INTO url_health (url, consecutive_failures, dead, last_checked_at) VALUES (?, 0, 0, ?)',
  )
    .bind(ruleUrl, T0)
    .run();
  const store = await createLocation(key);
  expect(
    (
      await call('POST', '/v1/inventory/bulk', {
        key,
        body: {
          items: [
            { location_id: store.id, gtin: gtins[0], quantity: 3, synced_at: new Date(T0).toISOString() },
          ],
        },
      })
    ).status,
  ).toBeLessThan(300);
  await createWebhook(key, {
    url: `https://hooks.brand.com/${org.orgId}`,
    event_types: ['alert.recalled_lot'],
  });
  expect(
    (
      await call('POST', '/v1/issued-serials', {
        key,
        body: { kind: 'range', gtin: gtins[0], first: '1000', last: '1999' },
      })
    ).status,
  ).toBe(201);
  expect(
    (await call('PUT', '/v1/alerts/settings', { key, body: { recalled_lot: { enabled: false } } })).status,
  ).toBe(200);
  expect(
    (
      await call('PUT', '/v1/organization/storage', {
        key,
        body: { raw_recent_days: 30, raw_archive_days: 365 },
      })
    ).status,
  ).toBe(200);
  await insertKey(org.orgId, 'manager');
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO search_impressions (search_id, position, gtin, org_id, query, latitude, longitude, nearest_store_km, in_stock_nearby, shown_at)
       VALUES (?, 0, ?, ?, 'tea', 45.7, 4.8, 1.5, 1, ?)`,
    ).bind(`srch_${org.orgId}`, gtins[0], org.orgId, T0),
    env.DB.prepare(
      `INSERT INTO search_clicks (search_id, position, gtin, org_id, query, shown_at, clicked_at) VALUES (?, 0, ?, ?, 'tea', ?, ?)`,
    ).bind(`srch_${org.orgId}`, gtins[0], org.orgId, T0, T0 + 1000),
    env.DB.prepare(
      'INSERT INTO org_daily_metrics (org_id, day, average_completeness, products, active_locations) VALUES (?, ?, 50, 2, 1)',
    ).bind(org.orgId, Math.floor(T0 / 86_400_000)),
  ]);
  // Scans of both GTINs flushed to D1 (events and the four roll-up tables) …
  await recordScans(
    gtins.flatMap((gtin) =>
      [0, 1, 2].map((i) => ({
        orgId: org.orgId,
        keyValue: gtin,
        occurredAt: T0 + i * HOUR,
        serial: `15${i}0`,
        country: 'FR',
        city: 'Lyon',
      })),
    ),
  );
  // … then two more of the first, still pending in its ScanCounter.
  await counter('01', gtins[0]!).record([
    scanEvent({ orgId: org.orgId, keyValue: gtins[0]!, occurredAt: T0 + 5 * HOUR, serial: '1500' }),
    scanEvent({ orgId: org.orgId, keyValue: gtins[0]!, occurredAt: T0 + 5 * HOUR, serial: '1501' }),
  ]);
  // The archive objects the ScanCounters wrote for the flushed scans.
  const listed = await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(org.orgId) });
  const archived = listed.objects.map((o) => o.key);
  const archivedBytes = listed.objects.reduce((n, o) => n + o.size, 0);
  expect(archived.length).toBeGreaterThan(0);
  return { ...org, gtins, archived, archivedBytes, ruleUrl };
}

let a: Populated;
let b: Populated;
beforeAll(async () => {
  a = await populate('Erase A');
  b = await populate('Erase B');
});

describe('DELETE /v1/organization', () => {
  it('runs on a D1 that enforces foreign keys (cascades would also apply)', async () => {
    expect(await env.DB.prepare('PRAGMA foreign_keys').first()).toEqual({ foreign_keys: 1 });
  });

  it('needs an owner key and ?confirm=<the organisation id>', async () => {
    const manager = await insertKey(a.orgId, 'manager');
    await expectError(
      await call('DELETE', `/v1/organization?confirm=${a.orgId}`, { key: manager.key }),
      403,
      'forbidden',
    );
    const missing = await expectError(
      await call('DELETE', '/v1/organization', { key: a.ownerKey }),
      400,
      'validation_failed',
    );
    expect(JSON.stringify(missing.details)).toContain('confirm=');
    const wrong = await expectError(
      await call('DELETE', `/v1/organization?confirm=${b.orgId}`, { key: a.ownerKey }),
      400,
      'bad_request',
    );
    expect(wrong.message).toContain('confirm');
    await expectError(
      await call('DELETE', `/v1/organization?confirm=${a.orgId}&force=1`, { key: a.ownerKey }),
      400,
      'validation_failed',
    );
    // Nothing went.
    expect((await call('GET', '/v1/organization', { key: a.ownerKey })).status).toBe(200);
    expect(await archiveOf(a.orgId)).toHaveLength(a.archived.length);
  });

  it("erases everything of the organisation, reports it, and leaves the other's data alone", async () => {
    const before = await rowsOf(a.orgId);
    const bBefore = await rowsOf(b.orgId);
    // What the populate step reached (so the emptiness below means something).
    for (const table of [
      'scan_events',
      'scan_rollup_hourly',
      'scan_rollup_org_hourly',
      'scan_rollup_dims',
      'scan_rollup_serials',
      'scan_rollup_scanners',
      'scan_rollup_scanner_sketch',
      'scan_rollup_scanner_exact',
      'products',
      'brands',
      'dl_entities',
      'dl_links',
      'resolution_rules',
      'locations',
      'inventory',
      'webhooks',
      'issued_serials',
      'alert_settings',
      'storage_settings',
      'api_keys',
      'access_members',
      'audit_log',
      'search_impressions',
      'search_clicks',
      'org_daily_metrics',
      'organizations',
    ])
      expect(before[table], table).toBeGreaterThan(0);
    expect((await counterStorage(a.gtins[0]!)).rows.pending).toBe(1);
    const bTotals = await counter('01', b.gtins[0]!).totals();

    const res = await call('DELETE', `/v1/organization?confirm=${a.orgId}`, { key: a.ownerKey });
    expect(res.status).toBe(200);
    const report = await res.json<ErasureReport>();
    // Every row counted, table by table (audit_log includes the entries of the writes above).
    expect(report).toEqual({
      organization: a.orgId,
      d1: { ...before, url_health: 1 },
      r2: { objects: a.archived.length, bytes: a.archivedBytes },
      durable_objects: { scan_counters: 2, pending_events: 2 },
      completed: true,
    });

    // Nothing of it is left in D1 …
    expect(await rowsOf(a.orgId)).toEqual({});
    expect(
      await env.DB.prepare('SELECT url FROM url_health WHERE url = ?').bind(a.ruleUrl).first(),
    ).toBeNull();
    // … in R2 …
    expect(await archiveOf(a.orgId)).toEqual([]);
    // … or in its ScanCounters: empty tables, no alarm, zero totals.
    for (const gtin of a.gtins) {
      expect(await counterStorage(gtin)).toEqual({ rows: {}, alarm: null });
      expect(await counter('01', gtin).totals()).toMatchObject({ scans: 0, pendingFlush: 0 });
    }
    // The emptied counter still works (a later scan of the key records normally) and, with no
    // alarm left, never flushes the erased events back to D1.
    expect(await runDurableObjectAlarm(counter('01', a.gtins[0]!))).toBe(false);
    expect(await rowsOf(a.orgId)).toEqual({});

    // Its keys are dead.
    await expectError(await call('GET', '/v1/organization', { key: a.ownerKey }), 401, 'unauthorized');
    await expectError(
      await call('GET', '/v1/organization/storage', { key: a.ownerKey }),
      401,
      'unauthorized',
    );

    // The other organisation keeps every row, object and counter.
    expect(await rowsOf(b.orgId)).toEqual(bBefore);
    expect((await archiveOf(b.orgId)).map((o) => o.key).sort()).toEqual([...b.archived].sort());
    expect(await counter('01', b.gtins[0]!).totals()).toEqual(bTotals);
    expect(bTotals.scans).toBe(5);
    expect(
      await env.DB.prepare('SELECT url FROM url_health WHERE url = ?').bind(b.ruleUrl).first(),
    ).not.toBeNull();
    expect((await call('GET', '/v1/organization', { key: b.ownerKey })).status).toBe(200);
  });

  it('goes on over several bounded calls until completed, with the same totals', async () => {
    const c = await populate('Erase C');
    const before = await rowsOf(c.orgId);
    // Enough operations for one statement per table and a round of one counter; two rows per DELETE.
    const limits = { ...ERASE_LIMITS, operations: 36, countersPerRound: 1, rowsPerStatement: 2 };
    const total = { d1: {} as Record<string, number>, objects: 0, bytes: 0, counters: 0, pending: 0 };
    let calls = 0;
    for (let report: ErasureReport | undefined; !report?.completed; calls++) {
      expect(calls).toBeLessThan(200);
      report = await eraseOrganization(env, c.orgId, limits);
      for (const [t, n] of Object.entries(report.d1)) total.d1[t] = (total.d1[t] ?? 0) + n;
      total.objects += report.r2.objects;
      total.bytes += report.r2.bytes;
      total.counters += report.durable_objects.scan_counters;
      total.pending += report.durable_objects.pending_events;
      // Until the very end the owner key still works, so the caller can call again.
      if (!report.completed)
        expect((await call('GET', '/v1/organization', { key: c.ownerKey })).status).toBe(200);
    }
    expect(calls).toBeGreaterThan(5);
    expect(total).toEqual({
      d1: { ...before, url_health: 1 },
      objects: c.archived.length,
      bytes: c.archivedBytes,
      counters: 2,
      pending: 2,
    });
    expect(await rowsOf(c.orgId)).toEqual({});
    expect(await archiveOf(c.orgId)).toEqual([]);
    // Erasing again finds nothing.
    expect(await eraseOrganization(env, c.orgId)).toEqual({
      organization: c.orgId,
      d1: {},
      r2: { objects: 0, bytes: 0 },
      durable_objects: { scan_counters: 0, pending_events: 0 },
      completed: true,
    });
  });
});
