// Faults in the middle of a ScanCounter's flush alarm, with workerd itself retrying the alarm.
//
// The object's D1 handle is wrapped so that the k-th D1 batch of the alarm misbehaves:
// (A D1 batch is one transaction: it lands whole or not at all, so no fault lands part of one.)
// - 'reset': the batch lands, then the object is reset
//   with `state.abort()` before the flush sees the result. That is the runtime's own reset (what
//   a crash or a deploy does): the rest of the alarm never runs, in-memory state (the wrapper
//   included) is dropped, and only what the object committed to its SQLite storage survives.
// - 'lost-response': the batch lands, then the call throws (D1 committed, the answer was lost).
// - 'error': the call throws and nothing lands (a plain D1 failure).
// The alarm is fired by workerd (setAlarm(now)), not by runDurableObjectAlarm, which deletes the
// alarm before calling the handler: the retry after the fault is the platform's (alarms are retried
// until a run completes) or the object's own backoff, not the test's.
import { runInDurableObject } from 'cloudflare:test';
import { vi } from 'vitest';
import type { ScanCounter } from '../../src/scans/scan-counter';
import { counter } from './scans';

export interface FaultPoint {
  /** The D1 batch of the alarm that misbehaves (1 = the scan flush's events). */
  batch: number;
  fault?: 'reset' | 'lost-response' | 'error';
}

/**
 * Fires the counter's flush alarm with `point` armed, and returns what `observe` saw the moment
 * the faulty batch had landed (or failed), before any retry could change anything.
 */
export async function flushWithFaultAt<T>(
  keyValue: string,
  point: FaultPoint,
  observe: (instance: ScanCounter, state: DurableObjectState) => Promise<T>,
): Promise<T> {
  // Set by the alarm's own request context and polled from the test's: a promise resolved from
  // another context would not wake this one.
  let seen: { value: T } | undefined;
  await runInDurableObject(counter('01', keyValue), async (instance: ScanCounter, state) => {
    const real = instance.db;
    let batches = 0;
    instance.db = new Proxy(real, {
      get(target, prop) {
        if (prop === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            if (++batches !== point.batch) return target.batch(statements);
            const fault = point.fault ?? 'reset';
            if (fault !== 'error') await target.batch(statements);
            seen = { value: await observe(instance, state) };
            if (fault === 'reset') {
              state.abort('injected reset in the middle of a flush');
              throw new Error('unreachable: the object was reset');
            }
            throw new Error(`D1_ERROR: injected ${fault}`);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await state.storage.setAlarm(Date.now()); // workerd runs the alarm now
  });
  return vi.waitFor(() => (seen ? seen.value : Promise.reject(new Error('no fault yet'))), {
    timeout: 30_000,
    interval: 50,
  });
}

/** Waits until the alarm's retries have flushed everything (no alarm left, nothing pending). */
export async function settled(keyValue: string): Promise<{ instance: ScanCounter }> {
  return vi.waitFor(
    async () => {
      // A fresh stub each time: a stub that was connected to the reset object stays broken.
      const now = await runInDurableObject(counter('01', keyValue), async (instance: ScanCounter, state) => ({
        instance,
        alarm: await state.storage.getAlarm(),
        pending: (await instance.totals()).pendingFlush + (await instance.totals()).pendingArchive,
        outbox: state.storage.sql
          .exec<{ n: number }>(
            'SELECT (SELECT count(*) FROM detect_outbox) + (SELECT count(*) FROM detect_notify) AS n',
          )
          .one().n,
      }));
      if (now.alarm !== null || now.pending !== 0 || now.outbox !== 0) {
        throw new Error(
          `not settled: alarm ${now.alarm}, ${now.pending} scans and ${now.outbox} alerts pending`,
        );
      }
      return { instance: now.instance };
    },
    { timeout: 60_000, interval: 250 },
  );
}
