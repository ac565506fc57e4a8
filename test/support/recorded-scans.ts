// Scans at chosen instants, through the real capture path after HTTP: the ScanCounter's record()
// RPC, then its flush alarm into D1. Lets analytics tests assert exact numbers across hours,
// days and DST changes that a live request (stamped "now") could not produce.
import type { ScanEvent } from '../../src/scans/scan-event';
import { counter, flush } from './scans';

let seq = 0;

export type ScanSpec = Partial<ScanEvent> & { keyValue: string; occurredAt: number; orgId: string };

export function scanEvent(spec: ScanSpec): ScanEvent & { shard: number } {
  seq++;
  return {
    id: `019${String(spec.occurredAt).padStart(13, '0')}-${String(seq).padStart(8, '0')}`,
    keyAi: '01',
    cpv: null,
    lot: null,
    serial: null,
    attributes: {},
    country: null,
    region: null,
    city: null,
    latitude: null,
    longitude: null,
    timezone: null,
    colo: null,
    referrer: null,
    app: 'Safari',
    deviceClass: 'mobile',
    isBot: false,
    outcome: 'redirect',
    linkType: 'gs1:pip',
    ruleId: null,
    destination: 'https://x.example/',
    language: 'en',
    scannerHash: `h${seq}`,
    shard: 0,
    ...spec,
  };
}

export async function recordScans(specs: ScanSpec[]): Promise<void> {
  const byKey = new Map<string, (ScanEvent & { shard: number })[]>();
  for (const spec of specs) {
    const event = scanEvent(spec);
    (byKey.get(event.keyValue) ?? byKey.set(event.keyValue, []).get(event.keyValue)!).push(event);
  }
  for (const [keyValue, events] of byKey) {
    await counter('01', keyValue).record(events);
    await flush('01', keyValue);
  }
}
