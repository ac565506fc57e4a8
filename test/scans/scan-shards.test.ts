import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../support/accounts';
import { call } from '../support/http';
import { count, counter, flush, scan } from '../support/scans';

const HOT = '09506000134598'; // 4 shards in vitest.config.ts

describe('a hot key spread over shards', () => {
  it('sums a concurrent burst correctly across shards, live and in D1', async () => {
    const org = await createOrganization('Hot Sauce Co');
    await call('PUT', '/v1/links', {
      key: org.ownerKey,
      body: {
        anchor: `/01/${HOT}`,
        item_description: 'Hot',
        links: [{ link_type: 'gs1:pip', href: 'https://hot.example/', title: 'Hot' }],
      },
    });
    const N = 80;
    const statuses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        scan(`/01/${HOT}/21/SER${i}`, { cf: { country: 'DE' } }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 307)).toBe(true);

    const perShard = await Promise.all(
      [0, 1, 2, 3].map(async (s) => (await counter('01', HOT, s).totals()).scans),
    );
    expect(perShard.filter((n) => n > 0).length).toBeGreaterThan(1); // really spread
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(N);

    const live = await (await call('GET', `/v1/scans/live/01/${HOT}`, { key: org.ownerKey })).json<{
      scans: number;
      shards: number;
    }>();
    expect(live).toMatchObject({ scans: N, shards: 4 });

    await flush('01', HOT, 4);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', HOT)).toBe(N);
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_hourly WHERE key_value = ?', HOT)).toBe(N);
    expect(
      await count('SELECT count(DISTINCT shard) AS n FROM scan_rollup_hourly WHERE key_value = ?', HOT),
    ).toBe(perShard.filter((n) => n > 0).length);
    // A serial's scans stay in one shard, so per-serial counts are whole.
    await scan(`/01/${HOT}/21/SER0`);
    await flush('01', HOT, 4);
    const serial = (
      await env.DB.prepare(
        "SELECT shard, scans FROM scan_rollup_serials WHERE key_value = ? AND serial = 'SER0'",
      )
        .bind(HOT)
        .all()
    ).results;
    expect(serial).toHaveLength(1);
    expect(serial[0]!.scans).toBe(2);
  });
});
