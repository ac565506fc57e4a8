// ScanCounters created before roll-ups were per quarter-hour have `hour` columns in their own
// SQLite: the constructor renames them to `bucket` once (scan-counter-schema.ts), keeping rows.
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ScanCounter } from '../../src/scans/scan-counter';
import { scanEvent } from '../support/recorded-scans';
import { counter, flush } from '../support/scans';

const GTIN = '09506000134666';
const ORG = 'org_counter_upgrade';
const H = Date.parse('2026-10-20T10:00:00Z');

describe('ScanCounter schema upgrade', () => {
  it('upgrades an object with hourly roll-up tables: one last absolute flush, then increments', async () => {
    const stub = counter('01', GTIN);
    // An object as the previous release left it: roll-ups per hour in `hour` columns.
    await runInDurableObject(stub, (_instance: ScanCounter, state) => {
      const sql = state.storage.sql;
      sql.exec('DROP TABLE IF EXISTS rollup_hourly');
      sql.exec('DROP TABLE IF EXISTS rollup_dims');
      sql.exec(`CREATE TABLE rollup_hourly (hour INTEGER NOT NULL, country TEXT NOT NULL, lot TEXT NOT NULL, is_bot INTEGER NOT NULL,
        scans INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY (hour, country, lot, is_bot))`);
      sql.exec(`CREATE TABLE rollup_dims (hour INTEGER NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, country TEXT NOT NULL,
        is_bot INTEGER NOT NULL, scans INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY (hour, dim, value, country, is_bot))`);
      sql.exec('CREATE INDEX rollup_hourly_rev ON rollup_hourly (rev)');
      sql.exec('CREATE INDEX rollup_dims_rev ON rollup_dims (rev)');
      sql.exec(`INSERT INTO rollup_hourly VALUES (?, 'FR', '', 0, 7, 1)`, H);
      sql.exec(`INSERT INTO rollup_dims VALUES (?, 'app', 'Safari', 'FR', 0, 7, 1)`, H);
      sql.exec(`INSERT INTO meta (key, value) VALUES ('rev', '1')`);
    });
    await evictDurableObject(stub);

    // The new constructor upgrades, then counts a scan 20 minutes into the hour in its own bucket.
    await stub.record([
      scanEvent({ orgId: ORG, keyValue: GTIN, occurredAt: H + 20 * 60_000, country: 'FR' }),
    ]);
    await flush('01', GTIN);
    // Its last absolute flush sent the legacy rows; then the legacy tables went.
    const tables = await runInDurableObject(stub, (_instance: ScanCounter, state) =>
      state.storage.sql
        .exec<{ name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rollup_%'`,
        )
        .toArray()
        .map((t) => t.name),
    );
    expect(tables).toEqual([]);
    const { results } = await env.DB.prepare(
      'SELECT bucket, country, scans FROM scan_rollup_hourly WHERE key_value = ? ORDER BY bucket',
    )
      .bind(GTIN)
      .all();
    expect(results).toEqual([
      { bucket: H, country: 'FR', scans: 7 },
      { bucket: H + 15 * 60_000, country: 'FR', scans: 1 },
    ]);
    const dims = await env.DB.prepare(
      "SELECT bucket, scans FROM scan_rollup_dims WHERE key_value = ? AND dim = 'app' ORDER BY bucket",
    )
      .bind(GTIN)
      .all();
    expect(dims.results).toEqual([
      { bucket: H, scans: 7 },
      { bucket: H + 15 * 60_000, scans: 1 },
    ]);

    // A second start finds nothing to upgrade; the live totals kept the legacy counts.
    await evictDurableObject(stub);
    const totals = await stub.totals();
    expect(totals).toMatchObject({ scans: 8, lastScanAt: H + 20 * 60_000 });
  });
});
