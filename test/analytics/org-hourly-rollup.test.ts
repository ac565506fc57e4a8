// scan_rollup_org_hourly, which the dashboard's unfiltered totals and series read, gets each
// flush's increments beside the per-key rows (src/scans/rollup-increments.ts), and a legacy
// absolute flush's changes (src/scans/flush-statements.ts): it must equal the per-key rows summed
// per 15-minute bucket, through new rows, rows a later flush updates, and a flush sent again.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ROLLUP_TABLES, rollupStatements } from '../../src/scans/flush-statements';
import { recordScans } from '../support/recorded-scans';

const ORG = 'org_rollup_triggers';
const RICE = '09506000134611';
const PASTA = '09506000134628';
const HOUR_A = Date.parse('2026-10-20T10:00:00Z');
const HOUR_B = Date.parse('2026-10-20T11:00:00Z');
const QUARTER = 900_000;

async function orgRows() {
  const { results } = await env.DB.prepare(
    'SELECT bucket, is_bot, scans FROM scan_rollup_org_hourly WHERE org_id = ? AND scans <> 0 ORDER BY bucket, is_bot',
  )
    .bind(ORG)
    .all();
  return results;
}

async function perKeySums() {
  const { results } = await env.DB.prepare(
    'SELECT bucket, is_bot, sum(scans) AS scans FROM scan_rollup_hourly WHERE org_id = ? GROUP BY bucket, is_bot ORDER BY bucket, is_bot',
  )
    .bind(ORG)
    .all();
  return results;
}

describe('per-organisation roll-up per 15-minute bucket', () => {
  it('equals the per-key roll-ups summed through new, updated and resent rows', async () => {
    await recordScans([
      { orgId: ORG, keyValue: RICE, occurredAt: HOUR_A + 60_000, country: 'FR', lot: 'L1' },
      { orgId: ORG, keyValue: RICE, occurredAt: HOUR_A + 120_000, country: 'FR', lot: 'L1' },
      {
        orgId: ORG,
        keyValue: PASTA,
        occurredAt: HOUR_A + 180_000,
        country: 'US',
        isBot: true,
        deviceClass: 'bot',
        app: null,
      },
      { orgId: ORG, keyValue: RICE, occurredAt: HOUR_B + 60_000, country: 'DE' },
    ]);
    expect(await orgRows()).toEqual([
      { bucket: HOUR_A, is_bot: 0, scans: 2 },
      { bucket: HOUR_A, is_bot: 1, scans: 1 },
      { bucket: HOUR_B, is_bot: 0, scans: 1 },
    ]);

    // A second flush of RICE: one row updated (FR, L1: 2 → 3), one new (IT).
    await recordScans([
      { orgId: ORG, keyValue: RICE, occurredAt: HOUR_A + 240_000, country: 'FR', lot: 'L1' },
      { orgId: ORG, keyValue: RICE, occurredAt: HOUR_A + 300_000, country: 'IT', lot: 'L2' },
    ]);
    expect(await orgRows()).toEqual([
      { bucket: HOUR_A, is_bot: 0, scans: 4 },
      { bucket: HOUR_A, is_bot: 1, scans: 1 },
      { bucket: HOUR_B, is_bot: 0, scans: 1 },
    ]);

    // A retried flush sends the same absolute counts again: nothing may be counted twice.
    const { results } = await env.DB.prepare(
      'SELECT bucket, country, lot, is_bot, scans FROM scan_rollup_hourly WHERE org_id = ? AND key_value = ?',
    )
      .bind(ORG, RICE)
      .all<Record<string, unknown>>();
    const identity = { orgId: ORG, keyAi: '01', keyValue: RICE, shard: 0 };
    await env.DB.batch(
      rollupStatements(
        env.DB,
        identity,
        ROLLUP_TABLES.hourly,
        results.map((r) => Object.values(r)),
      ),
    );
    expect(await orgRows()).toEqual(await perKeySums());
    expect(await orgRows()).toEqual([
      { bucket: HOUR_A, is_bot: 0, scans: 4 },
      { bucket: HOUR_A, is_bot: 1, scans: 1 },
      { bucket: HOUR_B, is_bot: 0, scans: 1 },
    ]);
  });

  it('keeps quarter-hours of one hour apart (a :30 or :45 zone reads them separately)', async () => {
    const org = 'org_rollup_quarters';
    const rows = async () =>
      (
        await env.DB.prepare(
          'SELECT bucket, is_bot, scans FROM scan_rollup_org_hourly WHERE org_id = ? ORDER BY bucket, is_bot',
        )
          .bind(org)
          .all()
      ).results;
    const H = Date.parse('2026-10-21T05:00:00Z');
    await recordScans([
      { orgId: org, keyValue: RICE, occurredAt: H, country: 'IN' },
      { orgId: org, keyValue: RICE, occurredAt: H + QUARTER - 1, country: 'IN' },
      { orgId: org, keyValue: RICE, occurredAt: H + QUARTER, country: 'IN' },
      { orgId: org, keyValue: PASTA, occurredAt: H + 2 * QUARTER + 5 * 60_000, country: 'NP' },
      { orgId: org, keyValue: PASTA, occurredAt: H + 3 * QUARTER + 14 * 60_000, country: 'NP' },
    ]);
    expect(await rows()).toEqual([
      { bucket: H, is_bot: 0, scans: 2 },
      { bucket: H + QUARTER, is_bot: 0, scans: 1 },
      { bucket: H + 2 * QUARTER, is_bot: 0, scans: 1 },
      { bucket: H + 3 * QUARTER, is_bot: 0, scans: 1 },
    ]);
    // No trigger (0019 dropped them): per-key rows leaving for the daily tier leave these whole.
    await env.DB.prepare('DELETE FROM scan_rollup_hourly WHERE org_id = ? AND key_value = ? AND bucket = ?')
      .bind(org, RICE, H)
      .run();
    expect((await rows())[0]).toEqual({ bucket: H, is_bot: 0, scans: 2 });
  });
});
