// The recorder's batching, against a fake counter namespace and a clock the test moves: what
// reaches the counters, in how many RPCs, and what happens to a batch whose request went away.
import { describe, expect, it } from 'vitest';
import type { ScanCapture } from './scan-event';
import { type RecorderClock, type RecorderEnv, ScanRecorder } from './scan-recorder';

function capture(serial: string): ScanCapture {
  return {
    event: {
      id: `id-${serial}`,
      occurredAt: Date.parse('2026-11-27T10:00:00Z'),
      keyAi: '01',
      keyValue: '09506000134352',
      cpv: null,
      lot: 'L1',
      serial,
      attributes: {},
      country: 'FR',
      region: null,
      city: null,
      latitude: null,
      longitude: null,
      timezone: null,
      colo: null,
      referrer: null,
      outcome: 'redirect',
      orgId: 'org',
      ruleId: null,
      linkType: 'gs1:pip',
      destination: 'https://x.example/',
      language: null,
    },
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)',
    clientAddress: '203.0.113.9',
  };
}

/** A namespace whose every object records what it is sent. */
function fakeCounters() {
  const calls: { name: string; serials: string[] }[] = [];
  const namespace = {
    getByName: (name: string) => ({
      record: async (events: { serial: string | null }[]) => {
        calls.push({ name, serials: events.map((e) => e.serial!) });
        return { recorded: events.length, duplicates: 0, rowsWritten: 0 };
      },
    }),
  };
  const env = {
    SCAN_COUNTER: namespace,
    SCAN_BATCH_WINDOW_MS: '10',
    SCANNER_HASH_SECRET: 'test-secret',
  } as unknown as RecorderEnv;
  return { env, calls };
}

/**
 * A clock whose time the test sets; sleeping resolves at once, or (a batch window, while stalled)
 * never: a request that went away before its batch was sent.
 */
function testClock(): RecorderClock & { at: number; stalled: boolean } {
  return {
    at: 0,
    stalled: false,
    now() {
      return this.at;
    },
    sleep(ms: number) {
      return this.stalled && ms > 0 ? new Promise(() => {}) : Promise.resolve();
    },
  };
}

/** Lets the recorder's deferred captures (after the response) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const requestContext = () => {
  const pending: Promise<unknown>[] = [];
  return {
    ctx: { waitUntil: (p: Promise<unknown>) => void pending.push(p) },
    done: () => Promise.all(pending),
  };
};

describe('ScanRecorder', () => {
  it('sends the scans of one window to their counter in one RPC', async () => {
    const { env, calls } = fakeCounters();
    const recorder = new ScanRecorder(testClock());
    const first = requestContext();
    const second = requestContext();
    recorder.record(env, first.ctx, () => capture('A'));
    recorder.record(env, second.ctx, () => capture('B')); // joins the open batch: nothing to wait for
    await Promise.all([first.done(), second.done()]);
    expect(calls).toEqual([{ name: '01/09506000134352#0', serials: ['A', 'B'] }]);
    expect(recorder.delivered).toBe(2);
  });

  it('reads nothing from the request when recording is off', async () => {
    const { env, calls } = fakeCounters();
    const recorder = new ScanRecorder(testClock());
    const request = requestContext();
    recorder.record({ ...env, SCAN_RECORDING: 'off' }, request.ctx, () => {
      throw new Error('captured although recording is off');
    });
    await request.done();
    expect(calls).toEqual([]);
  });

  it('captures the request only after the response has gone out', async () => {
    const { env, calls } = fakeCounters();
    const recorder = new ScanRecorder(testClock());
    const request = requestContext();
    let captured = false;
    recorder.record(env, request.ctx, () => {
      captured = true;
      return capture('A');
    });
    expect(captured).toBe(false); // the handler returns its response before this runs
    await request.done();
    expect(captured).toBe(true);
    expect(calls).toEqual([{ name: '01/09506000134352#0', serials: ['A'] }]);
  });

  it('a batch whose request went away before sending it is taken over by the next scan, not lost', async () => {
    const { env, calls } = fakeCounters();
    const clock = testClock();
    const recorder = new ScanRecorder(clock);
    clock.stalled = true; // the opening request's waitUntil never gets to send
    recorder.record(env, requestContext().ctx, () => capture('A'));
    await settle();
    clock.at = 500; // still within the window's grace: joins the stalled batch
    recorder.record(env, requestContext().ctx, () => capture('B'));
    await settle();
    clock.stalled = false;
    clock.at = 5_000; // long after the window: the batch is an orphan
    const later = requestContext();
    recorder.record(env, later.ctx, () => capture('C'));
    await later.done();
    expect(calls).toEqual([{ name: '01/09506000134352#0', serials: ['A', 'B', 'C'] }]);
    // And the counter is not stuck: the next window sends on its own.
    clock.at = 5_020;
    const next = requestContext();
    recorder.record(env, next.ctx, () => capture('D'));
    await next.done();
    expect(calls.at(-1)).toEqual({ name: '01/09506000134352#0', serials: ['D'] });
  });
});

describe('ScanRecorder batch window', () => {
  it.each([undefined, '', 'soon', '-5', '100000'])(
    'a window of %j means the default: later scans still share the batch',
    async (window) => {
      const { env, calls } = fakeCounters();
      const recorder = new ScanRecorder(testClock());
      const first = requestContext();
      const second = requestContext();
      const settings = { ...env, SCAN_BATCH_WINDOW_MS: window } as RecorderEnv;
      recorder.record(settings, first.ctx, () => capture('A'));
      recorder.record(settings, second.ctx, () => capture('B'));
      await Promise.all([first.done(), second.done()]);
      expect(calls).toEqual([{ name: '01/09506000134352#0', serials: ['A', 'B'] }]);
    },
  );
});
