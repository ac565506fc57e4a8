// The ScanCounter's alert flush, exactly once: a fault after its alert batch reached D1 (the object
// reset, or D1's answer lost) or a plain D1 failure of that batch, then the alarm's retry. Every
// alert must count each detection once, and every alert the batch opened must reach the webhook
// endpoint once (its `alert_opened` message is what fans it out). Below them, D1's side: a batch
// applied twice changes nothing, and applied tokens are forgotten after a week.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALERT_FLUSH_RETENTION_MS,
  type AlertBatch,
  applyAlertBatch,
  dedupeKey,
  type PendingAlert,
} from '../../src/alerts/alert-upsert';
import { eventIdOf } from '../../src/alerts/webhooks/alert-queue';
import { newId } from '../../src/db/ids';
import worker from '../../src/index';
import { createOrganization } from '../support/accounts';
import { addAlertProduct, alertGtin, alertsOf, createWebhook } from '../support/alerts';
import { type FaultPoint, flushWithFaultAt, settled } from '../support/flush-faults';
import { recordScans, scanEvent } from '../support/recorded-scans';
import { counter } from '../support/scans';

const gtin = (n: number) => alertGtin(400 + n); // this file: 400–499
const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
const MINUTE = 60_000;
const TOKYO = { country: 'JP', region: 'Tokyo', city: 'Tokyo', latitude: 35.6762, longitude: 139.6503 };
const BOSTON = {
  country: 'US',
  region: 'Massachusetts',
  city: 'Boston',
  latitude: 42.3601,
  longitude: -71.0589,
};

/** Webhook event ids the mocked endpoint received, in order. */
const received: string[] = [];

function mockEndpoint() {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push(request.headers.get('webhook-id') ?? '');
    return new Response('ok');
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  received.length = 0;
});

const alertRows = async (orgId: string) =>
  (
    await env.DB.prepare(
      'SELECT id, dedupe_key, occurrences FROM alerts WHERE org_id = ? ORDER BY dedupe_key',
    )
      .bind(orgId)
      .all<{ id: string; dedupe_key: string; occurrences: number }>()
  ).results;

describe('alert flush exactly once', () => {
  // The alarm's D1 batches: 1 the scan events with their counts, 2 the alerts.
  const ALERT_BATCH = 2;
  it.each<[string, number, FaultPoint['fault'], boolean]>([
    ['the object is reset after its alert batch landed in D1', 1, 'reset', true],
    ['D1 committed the alert batch but its answer was lost', 2, 'lost-response', true],
    ['the alert batch failed in D1', 3, 'error', false],
  ])(
    '%s: the retry counts every detection once and sends each opened alert once',
    async (_name, n, fault, landed) => {
      mockEndpoint();
      const owner = await createOrganization('Flushed Foods');
      const g = gtin(n);
      await addAlertProduct(owner.ownerKey, g, { markets: ['FR'] });
      await createWebhook(owner.ownerKey, {
        url: 'https://flush.brand-receiver.com/',
        event_types: ['alert.*'],
      });
      const tokyoKey = `unauthorised_market|${g}|JP`;
      const bostonKey = `unauthorised_market|${g}|US`;

      // A Tokyo alert opens and is delivered, with no fault.
      await recordScans([{ keyValue: g, orgId: owner.orgId, occurredAt: T0, ...TOKYO }]);
      const [tokyo] = await alertRows(owner.orgId);
      await vi.waitFor(() => expect(received).toEqual([eventIdOf(tokyo!.id)]), {
        timeout: 15_000,
        interval: 200,
      });

      // One batch: Tokyo again (counts into the open alert) and a first scan in Boston (opens one).
      const batch = [
        scanEvent({ keyValue: g, orgId: owner.orgId, occurredAt: T0 + MINUTE, ...TOKYO }),
        scanEvent({ keyValue: g, orgId: owner.orgId, occurredAt: T0 + 2 * MINUTE, ...BOSTON }),
      ];
      expect((await counter('01', g).record(batch)).recorded).toBe(2);
      const atFault = await flushWithFaultAt(g, { batch: ALERT_BATCH, fault }, async (_instance, state) => ({
        alerts: await alertRows(owner.orgId),
        outbox: state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM detect_outbox').one().n,
      }));
      // The fault really came between D1 and the object: D1 has the batch (or not), the object still
      // holds it as unsent.
      expect(atFault.outbox).toBeGreaterThan(0);
      expect(atFault.alerts.map((a) => [a.dedupe_key, a.occurrences])).toEqual(
        landed
          ? [
              [tokyoKey, 2],
              [bostonKey, 1],
            ]
          : [[tokyoKey, 1]],
      );

      await settled(g);
      const alerts = await alertRows(owner.orgId);
      expect(alerts.map((a) => [a.dedupe_key, a.occurrences])).toEqual([
        [tokyoKey, 2],
        [bostonKey, 1],
      ]);
      expect(alerts[0]!.id).toBe(tokyo!.id);
      expect((await alertsOf(owner.ownerKey, g)).map((a) => [a.id, a.occurrences])).toEqual([
        [alerts[1]!.id, 1],
        [tokyo!.id, 2],
      ]);

      // Boston's opening reaches the endpoint once; the Tokyo repeat sends nothing.
      const boston = eventIdOf(alerts[1]!.id);
      await vi.waitFor(() => expect(received).toEqual([eventIdOf(tokyo!.id), boston]), {
        timeout: 15_000,
        interval: 200,
      });
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // three queue batch timeouts: no second delivery
      expect(received).toEqual([eventIdOf(tokyo!.id), boston]);
    },
    90_000,
  );

  it('applies an outbox batch once: sent again with its token, it changes nothing and names the same opened alerts', async () => {
    const owner = await createOrganization('Twice Foods');
    const g = gtin(10);
    const pending = (country: string, at: number): PendingAlert => ({
      orgId: owner.orgId,
      gtin: g,
      type: 'unauthorised_market',
      severity: 'medium',
      dedupeKey: dedupeKey('unauthorised_market', g, country),
      lot: null,
      serial: null,
      occurrences: 1,
      firstSeenAt: at,
      lastSeenAt: at,
      evidence: { country, authorised_markets: ['FR'], scans: [] },
    });
    const allRows = async () =>
      (await env.DB.prepare('SELECT * FROM alerts WHERE org_id = ? ORDER BY id').bind(owner.orgId).all())
        .results;

    // Japan is already open; the batch repeats it and opens the United States.
    const open = {
      token: crypto.randomUUID(),
      alerts: [{ alert: pending('JP', T0), id: newId('alt') }],
    } satisfies AlertBatch;
    expect(await applyAlertBatch(env.DB, open, T0)).toEqual([open.alerts[0]!.id]);
    const batch = {
      token: crypto.randomUUID(),
      alerts: [
        { alert: pending('JP', T0 + MINUTE), id: newId('alt') },
        { alert: pending('US', T0 + MINUTE), id: newId('alt') },
      ],
    } satisfies AlertBatch;
    expect(await applyAlertBatch(env.DB, batch, T0 + MINUTE)).toEqual([batch.alerts[1]!.id]);
    const once = await allRows();
    expect(once.map((r) => [r.dedupe_key, r.occurrences, r.updated_at]).sort()).toEqual([
      [dedupeKey('unauthorised_market', g, 'JP'), 2, T0 + MINUTE],
      [dedupeKey('unauthorised_market', g, 'US'), 1, T0 + MINUTE],
    ]);

    // The same batch again, later (a retry after a reset): nothing changes, and it still names the
    // alert it opened.
    expect(await applyAlertBatch(env.DB, batch, T0 + 2 * MINUTE)).toEqual([batch.alerts[1]!.id]);
    expect(await allRows()).toEqual(once);
    expect(
      await env.DB.prepare('SELECT applied_at FROM alert_flushes WHERE token = ?')
        .bind(batch.token)
        .first('applied_at'),
    ).toBe(T0 + MINUTE);

    // The token is what makes the difference: the same detections in a new batch count again.
    const another = {
      token: crypto.randomUUID(),
      alerts: batch.alerts.map(({ alert }) => ({ alert, id: newId('alt') })),
    } satisfies AlertBatch;
    expect(await applyAlertBatch(env.DB, another, T0 + 3 * MINUTE)).toEqual([]);
    expect((await allRows()).map((r) => r.occurrences).sort()).toEqual([2, 3]);
  });

  it('forgets applied tokens after a week, in the hourly cron run', async () => {
    const now = Date.parse('2026-10-23T10:05:00Z'); // the first run of the hour
    const tokens = { old: crypto.randomUUID(), recent: crypto.randomUUID() };
    await env.DB.batch([
      env.DB.prepare('INSERT INTO alert_flushes (token, applied_at) VALUES (?, ?)').bind(
        tokens.old,
        now - ALERT_FLUSH_RETENTION_MS - 1,
      ),
      env.DB.prepare('INSERT INTO alert_flushes (token, applied_at) VALUES (?, ?)').bind(
        tokens.recent,
        now - ALERT_FLUSH_RETENTION_MS + MINUTE,
      ),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled!(
      createScheduledController({ scheduledTime: now, cron: '*/15 * * * *' }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const kept = await env.DB.prepare('SELECT token FROM alert_flushes WHERE token IN (?, ?)')
      .bind(tokens.old, tokens.recent)
      .all<{ token: string }>();
    expect(kept.results.map((r) => r.token)).toEqual([tokens.recent]);
  });
});
