import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../alert-settings';
import { PARIS, TOKYO, testScan } from './test-scans';
import { detectUnexpectedLocation, type StockingStore } from './unexpected-location';

const settings = { ...DEFAULT_ALERT_SETTINGS.unexpected_location, enabled: true };
const PARIS_STORE: StockingStore = {
  id: 'loc_p',
  name: 'Paris store',
  country: 'FR',
  latitude: 48.86,
  longitude: 2.35,
};
const BRUSSELS_STORE: StockingStore = {
  id: 'loc_b',
  name: 'Brussels',
  country: 'BE',
  latitude: 50.85,
  longitude: 4.35,
};
const GENEVA = { country: 'CH', region: 'Geneva', city: 'Geneva', latitude: 46.2, longitude: 6.14 };

describe('unexpected location detector', () => {
  it('fires far from every stocking store in a country without stores or markets', () => {
    const alert = detectUnexpectedLocation(testScan(TOKYO), [PARIS_STORE, BRUSSELS_STORE], [], settings);
    expect(alert).toMatchObject({ type: 'unexpected_location', severity: 'medium', subject: 'JP' });
    expect(alert!.evidence).toMatchObject({
      country: 'JP',
      km: 200,
      nearest_store: { id: 'loc_b', country: 'BE' }, // Brussels is nearer Tokyo than Paris
      stocking_stores: 2,
    });
    expect(alert!.evidence.nearest_store_km as number).toBeGreaterThan(9_000);
  });

  it.each([
    ['in a country with a stocking store', testScan({ ...PARIS, latitude: 43.3, longitude: 5.37 }), [], 200],
    ['within km of a store across a border', testScan(GENEVA), [], 500],
    ['in an authorised market', testScan(TOKYO), ['JP'], 200],
    ['without coordinates', testScan({ ...TOKYO, latitude: null, longitude: null }), [], 200],
    ['from an unknown country', testScan({ ...TOKYO, country: 'XX' }), [], 200],
  ])('does not fire %s', (_name, scan, markets, km) => {
    expect(detectUnexpectedLocation(scan, [PARIS_STORE], markets, { ...settings, km })).toBeNull();
  });

  it('needs stock data: no stocking store, no alert', () => {
    expect(detectUnexpectedLocation(testScan(TOKYO), [], [], settings)).toBeNull();
  });

  it('uses the km threshold: Geneva is ~410 km from Paris', () => {
    expect(
      detectUnexpectedLocation(testScan(GENEVA), [PARIS_STORE], [], { ...settings, km: 400 }),
    ).not.toBeNull();
    expect(
      detectUnexpectedLocation(testScan(GENEVA), [PARIS_STORE], [], { ...settings, km: 420 }),
    ).toBeNull();
  });
});
