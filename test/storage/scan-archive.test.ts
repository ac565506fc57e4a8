// Raw scan events in the R2 archive: every recorded scan lands there once, as gzipped NDJSON under
// its organisation, UTC date and hour, whatever fails on the way (R2 down, D1 down, the object
// reset between writing its objects and marking them written), and the backlog is bounded.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { ScanCounter } from '../../src/scans/scan-counter';
import { ARCHIVE_ROOT, orgPrefix } from '../../src/storage/archive-layout';
import { type ArchivedEvent, decodeArchive } from '../../src/storage/archive-object';
import { createOrganization } from '../support/accounts';
import { scanEvent } from '../support/recorded-scans';
import { addDefaultLink, testGtin } from '../support/rules';
import { count, counter, flush, scan } from '../support/scans';

const gtin = (n: number) => testGtin(93_000 + n); // this file: 93,000–93,099
const HOUR = 3_600_000;

async function archived(orgId: string): Promise<{ keys: string[]; events: ArchivedEvent[] }> {
  const keys: string[] = [];
  const events: ArchivedEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(orgId), ...(cursor ? { cursor } : {}) });
    for (const o of page.objects) {
      keys.push(o.key);
      const body = await env.SCAN_ARCHIVE.get(o.key);
      events.push(...(await decodeArchive(body!.body)));
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { keys, events };
}

function failing<T extends object>(target: T, method: string, what: string): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop === method)
        return () => {
          throw new Error(`${what} is down (injected)`);
        };
      const value = Reflect.get(t, prop);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

const pendingRows = (keyValue: string) =>
  runInDurableObject(
    counter('01', keyValue),
    (_i: ScanCounter, state) =>
      state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pending').one().n,
  );

const batchOf = (orgId: string, keyValue: string, n: number, at: number) =>
  Array.from({ length: n }, (_, i) =>
    scanEvent({ orgId, keyValue, occurredAt: at + i * 1000, serial: `S${i}`, country: 'FR' }),
  );

describe('the scan archive', () => {
  it('holds every scan of the resolver once, under the organisation, date and hour it occurred in', async () => {
    const org = await createOrganization('Archived Foods');
    const g = gtin(1);
    await addDefaultLink(org.ownerKey, g, 'https://archived.example/');
    for (let i = 0; i < 3; i++) expect((await scan(`/01/${g}/21/SER${i}`)).status).toBe(307);
    expect(await flush('01', g)).toBe(true);

    const { keys, events } = await archived(org.orgId);
    expect(keys.length).toBe(1);
    const now = new Date();
    const date = now.toISOString().slice(0, 10);
    expect(keys[0]).toMatch(
      new RegExp(
        `^${ARCHIVE_ROOT}org=${org.orgId}/date=${date}/hour=\\d{2}/01-${g}-s0-\\d{12}\\.ndjson\\.gz$`,
      ),
    );
    const rows = await env.DB.prepare(
      'SELECT id, serial FROM scan_events WHERE org_id = ? ORDER BY occurred_at, id',
    )
      .bind(org.orgId)
      .all<{ id: string; serial: string }>();
    expect(events.map((e) => e.id)).toEqual(rows.results.map((r) => r.id));
    expect(events.map((e) => e.serial).sort()).toEqual(['SER0', 'SER1', 'SER2']);
    expect(events.every((e) => e.keyValue === g && e.orgId === org.orgId && e.scannerHash.length > 0)).toBe(
      true,
    );
    const head = await env.SCAN_ARCHIVE.head(keys[0]!);
    expect(head?.httpMetadata?.contentEncoding).toBe('gzip');
    expect(head?.customMetadata?.events).toBe('3');
    // Both stores have them: the object forgets the batch.
    expect(await pendingRows(g)).toBe(0);
  });

  it('splits a batch that spans an hour boundary into one object per hour, events in time order', async () => {
    const org = await createOrganization('Hourly Foods');
    const g = gtin(2);
    const start = Date.UTC(2026, 10, 20, 9, 59, 58);
    const events = batchOf(org.orgId, g, 5, start).reverse();
    await counter('01', g).record(events);
    await flush('01', g);
    const { keys, events: stored } = await archived(org.orgId);
    expect(keys.map((k) => k.split('/').slice(3, 5).join('/'))).toEqual([
      'date=2026-11-20/hour=09',
      'date=2026-11-20/hour=10',
    ]);
    expect(stored.map((e) => e.occurredAt)).toEqual([0, 1, 2, 3, 4].map((i) => start + i * 1000));
  });

  it('keeps the batches while R2 is down, and archives them once when it is back', async () => {
    const org = await createOrganization('Patient Foods');
    const g = gtin(3);
    const stub = counter('01', g);
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.archiveBucket = failing(env.SCAN_ARCHIVE, 'put', 'R2');
    });
    await stub.record(batchOf(org.orgId, g, 10, Date.UTC(2026, 10, 21, 8)));
    await stub.record(batchOf(org.orgId, g, 5, Date.UTC(2026, 10, 21, 8, 30)));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await runDurableObjectAlarm(stub);
    errors.mockRestore();
    // D1 has them (its flush does not wait for R2); the archive has none; the object keeps both batches.
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(15);
    expect((await archived(org.orgId)).keys).toEqual([]);
    expect(await stub.totals()).toMatchObject({ pendingFlush: 0, pendingArchive: 15 });
    expect(await pendingRows(g)).toBe(2);
    const retry = await runInDurableObject(stub, async (instance: ScanCounter, state) => {
      instance.archiveBucket = env.SCAN_ARCHIVE;
      return state.storage.getAlarm();
    });
    expect(retry).not.toBeNull(); // the object set its own retry
    await runDurableObjectAlarm(stub);
    const { events } = await archived(org.orgId);
    expect(events.length).toBe(15);
    expect(new Set(events.map((e) => e.id)).size).toBe(15);
    expect(await stub.totals()).toMatchObject({ pendingFlush: 0, pendingArchive: 0 });
    expect(await pendingRows(g)).toBe(0);
  });

  it('archives while D1 is down, and sends D1 the events once when it is back', async () => {
    const org = await createOrganization('Offline Foods');
    const g = gtin(4);
    const stub = counter('01', g);
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.db = failing(env.DB, 'batch', 'D1');
    });
    await stub.record(batchOf(org.orgId, g, 7, Date.UTC(2026, 10, 22, 8)));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await runDurableObjectAlarm(stub);
    errors.mockRestore();
    expect((await archived(org.orgId)).events.length).toBe(7);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(0);
    expect(await stub.totals()).toMatchObject({ pendingFlush: 7, pendingArchive: 0 });
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.db = env.DB;
    });
    await runDurableObjectAlarm(stub);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(7);
    expect((await archived(org.orgId)).events.length).toBe(7);
    expect(await pendingRows(g)).toBe(0);
  });

  it('keeps backing off while D1 is down: new scans do not pull the retry in', async () => {
    const org = await createOrganization('Backing-off Foods');
    const g = gtin(8);
    const stub = counter('01', g);
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.db = failing(env.DB, 'batch', 'D1');
    });
    await stub.record(batchOf(org.orgId, g, 2, Date.UTC(2026, 10, 26, 8)));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (let i = 0; i < 4; i++) await runDurableObjectAlarm(stub); // 4 failures: the next try in 16 s
    const backoff = await runInDurableObject(stub, (_i: ScanCounter, state) => state.storage.getAlarm());
    await stub.record(batchOf(org.orgId, g, 1, Date.UTC(2026, 10, 26, 9)));
    errors.mockRestore();
    const after = await runInDurableObject(stub, (_i: ScanCounter, state) => state.storage.getAlarm());
    expect(backoff! - Date.now()).toBeGreaterThan(10_000);
    expect(after).toBe(backoff);
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.db = env.DB;
    });
    await runDurableObjectAlarm(stub);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(3);
  });

  it('rewrites the same objects when the object is reset after writing them, before marking them written', async () => {
    const org = await createOrganization('Reset Foods');
    const g = gtin(5);
    const stub = counter('01', g);
    await stub.record(batchOf(org.orgId, g, 4, Date.UTC(2026, 10, 23, 8)));
    await stub.record(batchOf(org.orgId, g, 3, Date.UTC(2026, 10, 23, 9)));
    let puts = 0;
    await runInDurableObject(stub, async (instance: ScanCounter, state) => {
      const real = env.SCAN_ARCHIVE;
      instance.archiveBucket = new Proxy(real, {
        get(t, prop) {
          if (prop === 'put')
            return async (...args: Parameters<R2Bucket['put']>) => {
              const written = await t.put(...args);
              // Reset once both hours' objects are in R2: the archive run never records it finished.
              if (++puts === 2) state.abort('injected reset after the archive writes');
              return written;
            };
          const value = Reflect.get(t, prop);
          return typeof value === 'function' ? value.bind(t) : value;
        },
      });
      await state.storage.setAlarm(Date.now()); // workerd runs the alarm, and retries it after the reset
    });
    const { keys, events } = await vi.waitFor(
      async () => {
        const now = await archived(org.orgId);
        const state = await runInDurableObject(counter('01', g), async (i: ScanCounter, s) => ({
          pending: s.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pending').one().n,
          totals: await i.totals(),
        }));
        if (state.pending !== 0) throw new Error(`still ${state.pending} pending rows`);
        return now;
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(puts).toBe(2);
    expect(keys.length).toBe(2);
    expect(events.length).toBe(7);
    expect(new Set(events.map((e) => e.id)).size).toBe(7);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(7);
  });

  it('waits SCAN_ARCHIVE_DELAY_MS before archiving, and keeps an alarm for it', async () => {
    const org = await createOrganization('Unhurried Foods');
    const g = gtin(6);
    const stub = counter('01', g);
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.archiveDelayMs = HOUR;
    });
    const before = Date.now();
    await stub.record(batchOf(org.orgId, g, 2, Date.UTC(2026, 10, 24, 8)));
    await runDurableObjectAlarm(stub);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(2);
    expect((await archived(org.orgId)).keys).toEqual([]);
    const alarm = await runInDurableObject(stub, (_i: ScanCounter, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(before + HOUR);
    // A new scan still flushes to D1 within SCAN_FLUSH_DELAY_MS, not at the archive's hour.
    await stub.record(batchOf(org.orgId, g, 1, Date.UTC(2026, 10, 24, 9)));
    const flushAlarm = await runInDurableObject(stub, (_i: ScanCounter, state) => state.storage.getAlarm());
    expect(flushAlarm).toBeLessThan(before + 60_000);
    const result = await runInDurableObject(stub, (instance: ScanCounter) => instance.archive(true));
    expect(result).toEqual({ objects: 2, events: 3, remaining: 0 });
  });

  it('past its backlog limit keeps counting scans but not their raw events, and says how many', async () => {
    const org = await createOrganization('Overflowing Foods');
    const g = gtin(7);
    const stub = counter('01', g);
    await stub.record(batchOf(org.orgId, g, 2, Date.UTC(2026, 10, 25, 8)));
    await runInDurableObject(stub, (instance: ScanCounter) => {
      instance.backlogMaxBytes = 1;
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await stub.record(batchOf(org.orgId, g, 3, Date.UTC(2026, 10, 25, 9)))).recorded).toBe(3);
    errors.mockRestore();
    expect(await stub.totals()).toMatchObject({ scans: 5, pendingFlush: 2, rawEventsDropped: 3 });
    await runDurableObjectAlarm(stub);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(2);
    expect(
      await count(
        'SELECT coalesce(sum(scans), 0) AS n FROM scan_rollup_hourly WHERE org_id = ? AND key_value = ?',
        org.orgId,
        g,
      ),
    ).toBe(5);
  });
});
