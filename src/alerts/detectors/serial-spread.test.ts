import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../alert-settings';
import { emptySpread, inScannerSession, observeSerialSpread, scanPlace } from './serial-spread';
import { HOUR, LYON, MINUTE, PARIS, T0, testScan } from './test-scans';

const settings = { ...DEFAULT_ALERT_SETTINGS.serial_overscanned, max_scanners: 3, max_places: 2 };
const DAY = 24 * HOUR;

describe('serial spread detector', () => {
  it('fires when a new scanner makes the count exceed N, not at N', () => {
    const state = emptySpread();
    for (let i = 1; i <= 3; i++)
      expect(
        observeSerialSpread(state, testScan({ scannerHash: `s${i}`, occurredAt: T0 + i }), settings),
      ).toBeNull();
    const alert = observeSerialSpread(state, testScan({ scannerHash: 's4', occurredAt: T0 + 4 }), settings);
    expect(alert).toMatchObject({
      type: 'serial_overscanned',
      severity: 'medium',
      subject: 'S1',
      serial: 'S1',
    });
    expect(alert!.evidence).toMatchObject({
      reasons: ['scanners'],
      distinct_scanners: 4,
      distinct_places: 1,
      max_scanners: 3,
    });
  });

  it('does not fire again for a scanner it already counted', () => {
    const state = emptySpread();
    for (let i = 1; i <= 4; i++)
      observeSerialSpread(state, testScan({ scannerHash: `s${i}`, occurredAt: T0 + i }), settings);
    expect(
      observeSerialSpread(state, testScan({ scannerHash: 's2', occurredAt: T0 + 10 }), settings),
    ).toBeNull();
  });

  it('forgets scanners outside the window', () => {
    const state = emptySpread();
    for (let i = 1; i <= 3; i++)
      observeSerialSpread(state, testScan({ scannerHash: `s${i}`, occurredAt: T0 + i }), settings);
    // 31 days later the first three have left the 30-day window.
    expect(
      observeSerialSpread(state, testScan({ scannerHash: 's4', occurredAt: T0 + 31 * DAY }), settings),
    ).toBeNull();
    expect(Object.keys(state.scanners)).toEqual(['s4']);
  });

  it('fires when the places exceed M, with the latest scan of each place as evidence', () => {
    const state = emptySpread();
    const far = { country: 'DE', region: 'Berlin', city: 'Berlin', latitude: 52.52, longitude: 13.405 };
    // One scanner, so only the places rule can fire.
    expect(observeSerialSpread(state, testScan({ ...PARIS, occurredAt: T0 }), settings)).toBeNull();
    expect(observeSerialSpread(state, testScan({ ...LYON, occurredAt: T0 + HOUR }), settings)).toBeNull();
    expect(
      observeSerialSpread(state, testScan({ ...PARIS, occurredAt: T0 + 2 * HOUR }), settings),
    ).toBeNull();
    const alert = observeSerialSpread(state, testScan({ ...far, occurredAt: T0 + 3 * HOUR }), settings);
    expect(alert!.evidence).toMatchObject({ reasons: ['places'], distinct_places: 3, max_places: 2 });
    expect(alert!.evidence.scans.map((s) => s.city)).toEqual(['Berlin', 'Paris', 'Lyon']);
    expect(alert!.evidence.scans[1]!.at).toBe(new Date(T0 + 2 * HOUR).toISOString());
  });

  it('defines a place as the 0.1° cell, else country and city, else none', () => {
    expect(scanPlace({ latitude: 48.8566, longitude: 2.3522, country: 'FR', city: 'Paris' })).toBe(
      'cell:48.8,2.3',
    );
    // Two points of one city share a cell.
    expect(scanPlace({ latitude: 48.86, longitude: 2.35, country: 'FR', city: 'Paris' })).toBe(
      'cell:48.8,2.3',
    );
    expect(scanPlace({ latitude: null, longitude: null, country: 'FR', city: 'Paris' })).toBe(
      'city:FR/Paris',
    );
    expect(scanPlace({ latitude: null, longitude: null, country: 'FR', city: null })).toBeNull();
  });

  it('counts scans without a place as scanners only', () => {
    const state = emptySpread();
    const nowhere = { country: null, region: null, city: null, latitude: null, longitude: null };
    for (let i = 1; i <= 3; i++)
      observeSerialSpread(state, testScan({ ...nowhere, scannerHash: `s${i}` }), settings);
    expect(Object.keys(state.places)).toHaveLength(0);
  });
});

describe('scanner sessions', () => {
  const BERLIN = { country: 'DE', region: 'Berlin', city: 'Berlin', latitude: 52.52, longitude: 13.405 };
  const MUNICH = { country: 'DE', region: 'Bavaria', city: 'Munich', latitude: 48.137, longitude: 11.575 };
  const one = { ...settings, max_places: 1 };

  it.each([
    ['a repeat a minute later', MINUTE, true],
    ['a repeat 29 minutes later', 29 * MINUTE, true],
    ['a scan exactly 30 minutes later', 30 * MINUTE, false],
    ['a scan an hour later', HOUR, false],
    ['an earlier scan arriving late, within the window', -10 * MINUTE, true],
    ['an earlier scan arriving late, outside the window', -31 * MINUTE, false],
  ])('%s: in the session = %s', (_name, offset, expected) => {
    const sessions: Record<string, number> = {};
    expect(inScannerSession(sessions, 's1', T0, 30)).toBe(false);
    expect(inScannerSession(sessions, 's1', T0 + offset, 30)).toBe(expected);
  });

  it('measures a session from its first scan, not the latest, and keeps scanners apart', () => {
    const sessions: Record<string, number> = {};
    expect(inScannerSession(sessions, 's1', T0, 30)).toBe(false);
    expect(inScannerSession(sessions, 's1', T0 + 20 * MINUTE, 30)).toBe(true);
    expect(inScannerSession(sessions, 's1', T0 + 40 * MINUTE, 30)).toBe(false); // a new session
    expect(inScannerSession(sessions, 's1', T0 + 60 * MINUTE, 30)).toBe(true);
    expect(inScannerSession(sessions, 's2', T0 + 60 * MINUTE, 30)).toBe(false);
  });

  it('0 minutes turns sessions off: every scan counts', () => {
    const sessions: Record<string, number> = {};
    expect(inScannerSession(sessions, 's1', T0, 0)).toBe(false);
    expect(inScannerSession(sessions, 's1', T0, 0)).toBe(false);
  });

  it('a retry from another place within the session raises no alarm', () => {
    const state = emptySpread();
    expect(observeSerialSpread(state, testScan({ ...BERLIN, occurredAt: T0 }), one)).toBeNull();
    // The same phone, 2 minutes later, located elsewhere by the edge (Wi-Fi → mobile data).
    expect(observeSerialSpread(state, testScan({ ...MUNICH, occurredAt: T0 + 2 * MINUTE }), one)).toBeNull();
    expect(Object.keys(state.places)).toHaveLength(1);
  });

  it('the same scan pattern without sessions fires', () => {
    const state = emptySpread();
    const off = { ...one, scanner_session_minutes: 0 };
    expect(observeSerialSpread(state, testScan({ ...BERLIN, occurredAt: T0 }), off)).toBeNull();
    expect(
      observeSerialSpread(state, testScan({ ...MUNICH, occurredAt: T0 + 2 * MINUTE }), off),
    ).toMatchObject({
      type: 'serial_overscanned',
    });
  });

  it('a scan after the session counts again', () => {
    const state = emptySpread();
    expect(observeSerialSpread(state, testScan({ ...BERLIN, occurredAt: T0 }), one)).toBeNull();
    expect(
      observeSerialSpread(state, testScan({ ...MUNICH, occurredAt: T0 + 31 * MINUTE }), one),
    ).toMatchObject({
      type: 'serial_overscanned',
      evidence: { reasons: ['places'], distinct_places: 2 },
    });
  });

  it('other scanners within one scanner’s session still count', () => {
    const state = emptySpread();
    const s = { ...settings, max_scanners: 2 };
    for (const [hash, at] of [
      ['a', 0],
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ] as const)
      expect(
        observeSerialSpread(state, testScan({ scannerHash: hash, occurredAt: T0 + at * MINUTE }), s),
      ).toBeNull();
    expect(
      observeSerialSpread(state, testScan({ scannerHash: 'c', occurredAt: T0 + 4 * MINUTE }), s),
    ).toMatchObject({
      evidence: { distinct_scanners: 3 },
    });
  });

  it('reads state stored before sessions existed', () => {
    const state = { scanners: { old: T0 - HOUR }, places: {} };
    expect(observeSerialSpread(state, testScan({ occurredAt: T0 }), settings)).toBeNull();
    expect(state).toHaveProperty('sessions');
  });
});
