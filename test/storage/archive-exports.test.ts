// Exports over any range: the scan CSV reads archived days from R2 and recent ones from D1 and
// returns every scan once, in order, with the filters and cells D1 alone would give; and the
// archive itself can be listed and downloaded as stored, by its own organisation only.
import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { orgPrefix } from '../../src/storage/archive-layout';
import { decodeArchive } from '../../src/storage/archive-object';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { recordScans, type ScanSpec } from '../support/recorded-scans';
import { testGtin } from '../support/rules';

const DAY = 86_400_000;
const G1 = testGtin(92_001);
const G2 = testGtin(92_002);
let org: TestOrg;
let other: TestOrg;
let reader: string;
let specs: ScanSpec[];
const now = Date.now();
const today = now - (now % DAY);
const from = new Date(today - 12 * DAY).toISOString().slice(0, 10);
const to = new Date(today).toISOString().slice(0, 10);

beforeAll(async () => {
  org = await createOrganization('Long Memory Foods');
  other = await createOrganization('Other Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  for (const gtin of [G1, G2])
    await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: { gtin, fields: { name: { value: gtin } } },
    });
  // D1 keeps two days of raw events for this organisation: everything before is read from R2.
  await env.DB.prepare(
    'INSERT INTO storage_settings (org_id, raw_recent_days, rollup_days, updated_at) VALUES (?, 2, 400, ?)',
  )
    .bind(org.orgId, now)
    .run();
  specs = [];
  for (let d = 10; d >= 0; d--)
    for (let i = 0; i < 6; i++)
      specs.push({
        orgId: org.orgId,
        keyValue: i % 2 ? G1 : G2,
        occurredAt: today - d * DAY + i * 3 * 3_600_000 + 1234,
        country: i % 3 === 0 ? 'FR' : 'JP',
        isBot: i === 5,
        lot: `L${d % 2}`,
        attributes: { '17': '271231' },
      });
  await recordScans(specs);
  await recordScans([{ orgId: other.orgId, keyValue: testGtin(92_003), occurredAt: today - 5 * DAY }]);
  // What the hourly cron does (src/storage/retention.ts): D1 forgets raw events past the window.
  await env.DB.prepare('DELETE FROM scan_events WHERE org_id = ? AND occurred_at < ?')
    .bind(org.orgId, today - 2 * DAY)
    .run();
});

async function exportRows(query: string): Promise<Record<string, string>[]> {
  const res = await call('GET', `/v1/exports/scans.csv?from=${from}&to=${to}${query}`, { key: reader });
  expect(res.status).toBe(200);
  return parse(await res.text(), { columns: true });
}

const expected = (keep: (s: ScanSpec) => boolean) =>
  specs
    .filter(keep)
    .map((s) => s.occurredAt)
    .sort((a, b) => a - b)
    .map((t) => new Date(t).toISOString());

describe('scan exports across the archive', () => {
  it('returns every scan once, in order, from archived days and recent ones alike', async () => {
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM scan_events WHERE org_id = ?')
        .bind(org.orgId)
        .first('n'),
    ).toBe(
      3 * 6, // today, yesterday and the day before
    );
    const rows = await exportRows('&bots=include');
    expect(rows.map((r) => r.occurred_at)).toEqual(expected(() => true));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    // The same cells whichever store a row came from.
    const archivedRow = rows[0]!;
    const recentRow = rows.at(-1)!;
    for (const row of [archivedRow, recentRow]) {
      expect(row.attributes).toBe('{"17":"271231"}');
      expect(row.is_bot).toMatch(/^(true|false)$/);
      expect(row.key_ai).toBe('01');
    }
    expect(Object.keys(archivedRow)).toEqual(Object.keys(recentRow));
  });

  it('applies the GTIN, country and bot filters to archived rows as D1 does to recent ones', async () => {
    expect((await exportRows(`&gtin=${G1}`)).map((r) => r.occurred_at)).toEqual(
      expected((s) => s.keyValue === G1 && !s.isBot),
    );
    expect((await exportRows('&country=FR&bots=only')).map((r) => r.occurred_at)).toEqual(
      expected((s) => s.country === 'FR' && s.isBot === true),
    );
    expect((await exportRows('&lot=L1')).map((r) => r.occurred_at)).toEqual(
      expected((s) => s.lot === 'L1' && !s.isBot),
    );
  });

  it('lists the archive by UTC date and streams each object as stored', async () => {
    const res = await call('GET', `/v1/exports/archive?from=${from}&to=${to}&limit=5`, { key: reader });
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      objects: { key: string; url: string; events: number; bytes: number; date: string }[];
      next_cursor: string | null;
    };
    expect(page.objects.length).toBe(5);
    expect(page.objects.every((o) => o.key.startsWith(orgPrefix(org.orgId)))).toBe(true);
    expect(page.next_cursor).toBe(page.objects[4]!.key);
    // Every page, to the end: each object once, and every scan in one of them.
    const all = [...page.objects];
    let cursor = page.next_cursor;
    while (cursor) {
      const next = (await (
        await call(
          'GET',
          `/v1/exports/archive?from=${from}&to=${to}&limit=5&cursor=${encodeURIComponent(cursor)}`,
          {
            key: reader,
          },
        )
      ).json()) as typeof page;
      all.push(...next.objects);
      cursor = next.next_cursor;
    }
    expect(new Set(all.map((o) => o.key)).size).toBe(all.length);
    expect(all.reduce((n, o) => n + o.events, 0)).toBe(specs.length);

    const download = await call('GET', all[0]!.url, { key: reader });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.ndjson\.gz"$/);
    const events = await decodeArchive(download.body!);
    expect(events.length).toBe(all[0]!.events);
    expect(Number(download.headers.get('content-length'))).toBe(all[0]!.bytes);
  });

  it('never shows another organisation its archive, and refuses bad listings', async () => {
    const mine = (await (
      await call('GET', `/v1/exports/archive?from=${from}&to=${to}`, { key: reader })
    ).json()) as {
      objects: { key: string; url: string }[];
    };
    const theirs = await call('GET', mine.objects[0]!.url, { key: other.ownerKey });
    await expectError(theirs, 404, 'not_found');
    await expectError(
      await call(
        'GET',
        `/v1/exports/archive/object?key=${encodeURIComponent(`${orgPrefix(org.orgId)}../x`)}`,
        {
          key: reader,
        },
      ),
      404,
      'not_found',
    );
    const otherList = (await (
      await call('GET', `/v1/exports/archive?from=${from}&to=${to}`, { key: other.ownerKey })
    ).json()) as { objects: { key: string }[] };
    expect(otherList.objects.every((o) => o.key.startsWith(orgPrefix(other.orgId)))).toBe(true);
    for (const query of [
      `from=${to}&to=${from}`,
      'from=2026-13-01&to=2026-12-01',
      `from=${from}`,
      `from=${from}&to=${to}&limit=0`,
      `from=${from}&to=${to}&limit=1001`,
      `from=${from}&to=${to}&cursor=${encodeURIComponent(orgPrefix(other.orgId))}`,
      `from=${from}&to=${to}&extra=1`,
    ])
      await expectError(
        await call('GET', `/v1/exports/archive?${query}`, { key: reader }),
        400,
        'validation_failed',
      );
    await expectError(
      await call('GET', '/v1/exports/archive/object', { key: reader }),
      400,
      'validation_failed',
    );
    expect((await call('GET', `/v1/exports/archive?from=${from}&to=${to}`)).status).toBe(401);
  });
});
