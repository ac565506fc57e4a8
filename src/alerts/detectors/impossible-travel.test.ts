import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../alert-settings';
import {
  detectImpossibleTravel,
  type LocatedScan,
  rememberLocated,
  travelLeg,
  travelWindowMs,
} from './impossible-travel';
import { HOUR, LYON, MINUTE, PARIS, T0, TOKYO, testScan } from './test-scans';

const settings = DEFAULT_ALERT_SETTINGS.impossible_travel;
const located = (overrides: Parameters<typeof testScan>[0]) =>
  testScan(overrides) as LocatedScan & { serial: string };
/** A point `km` due north of Paris (1° of latitude ≈ 111.195 km on the IUGG sphere). */
const northOfParis = (km: number) => ({ ...PARIS, city: 'North', latitude: PARIS.latitude + km / 111.19508 });

describe('impossible travel detector', () => {
  it('fires for Paris then Tokyo an hour later (~9,700 km/h)', () => {
    const alert = detectImpossibleTravel(
      [located({ occurredAt: T0 })],
      located({ ...TOKYO, occurredAt: T0 + HOUR }),
      settings,
    );
    expect(alert).toMatchObject({ type: 'impossible_travel', severity: 'high', subject: 'S1' });
    expect(alert!.evidence.distance_km).toBeGreaterThan(9_600);
    expect(alert!.evidence.distance_km).toBeLessThan(9_800);
    expect(alert!.evidence.speed_kmh).toBeGreaterThan(9_000);
    expect(alert!.evidence.scans.map((s) => s.city)).toEqual(['Paris', 'Tokyo']);
  });

  it('does not fire when the trip was possible (Paris → Tokyo in 12 hours)', () => {
    expect(
      detectImpossibleTravel(
        [located({ occurredAt: T0 })],
        located({ ...TOKYO, occurredAt: T0 + 12 * HOUR }),
        settings,
      ),
    ).toBeNull();
  });

  it('fires at just over the speed limit, not at just under', () => {
    // Paris → Lyon is ~392 km: 20 minutes is ~1,176 km/h, 25 minutes ~941 km/h.
    const leg = travelLeg(located({ occurredAt: T0 }), located({ ...LYON, occurredAt: T0 + 20 * MINUTE }));
    expect(leg.speedKmh).toBeGreaterThan(1_000);
    expect(
      detectImpossibleTravel(
        [located({ occurredAt: T0 })],
        located({ ...LYON, occurredAt: T0 + 20 * MINUTE }),
        settings,
      ),
    ).not.toBeNull();
    expect(
      detectImpossibleTravel(
        [located({ occurredAt: T0 })],
        located({ ...LYON, occurredAt: T0 + 25 * MINUTE }),
        settings,
      ),
    ).toBeNull();
  });

  it('ignores pairs closer than 50 km, however fast, and considers pairs from 50 km on', () => {
    const at49 = located({ ...northOfParis(49.9), occurredAt: T0 + 1_000 });
    const at50 = located({ ...northOfParis(50.1), occurredAt: T0 + 1_000 });
    expect(travelLeg(located({ occurredAt: T0 }), at49).distanceKm).toBeLessThan(50);
    expect(travelLeg(located({ occurredAt: T0 }), at50).distanceKm).toBeGreaterThanOrEqual(50);
    expect(detectImpossibleTravel([located({ occurredAt: T0 })], at49, settings)).toBeNull();
    expect(detectImpossibleTravel([located({ occurredAt: T0 })], at50, settings)).not.toBeNull();
  });

  it('treats simultaneous scans as one second apart, and scans arriving out of order alike', () => {
    const same = detectImpossibleTravel(
      [located({ occurredAt: T0 })],
      located({ ...LYON, occurredAt: T0 }),
      settings,
    );
    expect(same!.evidence.hours).toBe(0);
    expect(same!.evidence.speed_kmh).toBeGreaterThan(1_000_000);
    const earlier = detectImpossibleTravel(
      [located({ occurredAt: T0 })],
      located({ ...TOKYO, occurredAt: T0 - HOUR }),
      settings,
    );
    expect(earlier!.evidence.scans.map((s) => s.city)).toEqual(['Tokyo', 'Paris']);
  });

  it('follows the organisation’s thresholds', () => {
    const strict = { enabled: true, max_speed_kmh: 100, min_distance_km: 10 };
    expect(
      detectImpossibleTravel(
        [located({ occurredAt: T0 })],
        located({ ...LYON, occurredAt: T0 + 3 * HOUR }),
        strict,
      ),
    ).not.toBeNull();
  });

  it('remembers the newest located scans within the travel window', () => {
    let recent: LocatedScan[] = [];
    for (let i = 0; i < 15; i++)
      recent = rememberLocated(recent, located({ occurredAt: T0 + i * MINUTE }), settings);
    expect(recent).toHaveLength(10);
    expect(recent[0]!.occurredAt).toBe(T0 + 5 * MINUTE);
    const later = rememberLocated(
      recent,
      located({ occurredAt: T0 + travelWindowMs(settings) + 20 * MINUTE }),
      settings,
    );
    expect(later).toHaveLength(1);
  });
});
