// An organisation that scans more than RECENT_WINDOW_MAX_SCANS within raw_recent_days gets a
// shorter recent window (src/storage/recent-window.ts): the retention cron trims D1's raw events
// and moves quarter-hour roll-ups to the daily tier from the later start, and the scan export reads
// the archive up to the same instant, so every scan is still exported once, in order.
import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { recentRawFrom } from '../../src/storage/raw-window';
import { RECENT_WINDOW_MAX_SCANS } from '../../src/storage/recent-window';
import { enforceRetention } from '../../src/storage/retention';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call } from '../support/http';
import { recordScans } from '../support/recorded-scans';
import { testGtin } from '../support/rules';
import { count } from '../support/scans';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const GTIN = testGtin(93_001); // this file: 93,000–93,099
const now = Date.now();
const today = now - (now % DAY);
let org: TestOrg;
let reader: string;
const instants = [today - 5 * DAY + HOUR, today - 3 * DAY + HOUR, today - DAY + HOUR, now - 60_000];

beforeAll(async () => {
  org = await createOrganization('Very Busy Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  await call('POST', '/v1/products', {
    key: org.ownerKey,
    body: { gtin: GTIN, fields: { name: { value: 'x' } } },
  });
  await recordScans(instants.map((occurredAt) => ({ orgId: org.orgId, keyValue: GTIN, occurredAt })));
  // A fixture standing for a busy day two days ago: its organisation-wide count, as if the limit's
  // worth of scans had been recorded then (recording four million here would take hours).
  await env.DB.prepare(
    `INSERT INTO scan_rollup_org_hourly (org_id, bucket, is_bot, scans) VALUES (?, ?, 0, ?)
     ON CONFLICT DO UPDATE SET scans = scans + excluded.scans`,
  )
    .bind(org.orgId, today - 2 * DAY, RECENT_WINDOW_MAX_SCANS)
    .run();
});

describe('the recent window of a busy organisation', () => {
  it('starts after the day that passes the limit, for retention and exports alike', async () => {
    expect(await recentRawFrom(env.DB, org.orgId, now)).toBe(today - DAY);

    const run = await enforceRetention(env, now);
    const summary = run.organizations.find((o) => o.organization === org.orgId)!;
    expect(summary.d1.scan_events).toBe(2);
    expect(summary.compacted).toMatchObject({ hours: 2, complete: true });
    const raw = await env.DB.prepare(
      'SELECT occurred_at FROM scan_events WHERE org_id = ? ORDER BY occurred_at',
    )
      .bind(org.orgId)
      .all<{ occurred_at: number }>();
    expect(raw.results.map((r) => r.occurred_at)).toEqual(instants.slice(2));
    expect(
      await count(
        'SELECT count(*) AS n FROM scan_rollup_hourly WHERE org_id = ? AND bucket < ?',
        org.orgId,
        today - DAY,
      ),
    ).toBe(0);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_daily WHERE org_id = ?', org.orgId)).toBe(2);

    const from = new Date(today - 6 * DAY).toISOString().slice(0, 10);
    const res = await call('GET', `/v1/exports/scans.csv?from=${from}&bots=include`, { key: reader });
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { columns: true }) as { occurred_at: string }[];
    expect(rows.map((r) => r.occurred_at)).toEqual(instants.map((t) => new Date(t).toISOString()));
  });

  it('keeps raw_recent_days for an organisation under the limit', async () => {
    const small = await createOrganization('Small Foods');
    await recordScans([{ orgId: small.orgId, keyValue: GTIN, occurredAt: today - 20 * DAY }]);
    expect(await recentRawFrom(env.DB, small.orgId, now)).toBe(today - 35 * DAY);
  });
});
