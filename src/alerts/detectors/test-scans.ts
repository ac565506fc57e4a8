// Scan values for the detectors' unit tests: a place, a time, a serial.
import type { DetectorScan } from './detected-alert';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export const PARIS = {
  country: 'FR',
  region: 'Île-de-France',
  city: 'Paris',
  latitude: 48.8566,
  longitude: 2.3522,
};
export const LYON = {
  country: 'FR',
  region: 'Auvergne-Rhône-Alpes',
  city: 'Lyon',
  latitude: 45.764,
  longitude: 4.8357,
};
export const TOKYO = {
  country: 'JP',
  region: 'Tokyo',
  city: 'Tokyo',
  latitude: 35.6762,
  longitude: 139.6503,
};

export function testScan(overrides: Partial<DetectorScan> = {}): DetectorScan & { serial: string } {
  return {
    occurredAt: T0,
    ...PARIS,
    lot: 'L1',
    serial: 'S1',
    scannerHash: 'scanner-1',
    ...overrides,
  } as DetectorScan & { serial: string };
}
