import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../alert-settings';
import { HOUR, T0 } from './test-scans';
import { baselineSd, emptyVolume, foldHour, observeVolume, type VolumeState } from './volume-spike';

const settings = DEFAULT_ALERT_SETTINGS.volume_spike; // alpha 0.1, z 4, min 50, warm-up 24 h
const H0 = T0 - (T0 % HOUR);

/** A counter that saw `counts[i]` scans in hour i, ending with the hour after them open. */
function history(counts: number[]): VolumeState {
  const state = emptyVolume();
  for (const [i, n] of counts.entries()) observeVolume(state, H0 + i * HOUR, n, settings, settings.min_scans);
  return state;
}

describe('volume spike detector', () => {
  it('keeps an EWMA of hourly counts and its variance', () => {
    const state = emptyVolume();
    for (let i = 0; i < 200; i++) foldHour(state, i % 2 ? 110 : 90, 0.1);
    expect(state.mean).toBeGreaterThan(97);
    expect(state.mean).toBeLessThan(103);
    expect(Math.sqrt(state.variance)).toBeGreaterThan(8);
    expect(Math.sqrt(state.variance)).toBeLessThan(12);
  });

  it('fires once when the hour rises above mean + z·sd, as soon as it does', () => {
    const state = history(Array.from({ length: 200 }, (_, i) => (i % 2 ? 110 : 90)));
    const hour = H0 + 200 * HOUR;
    expect(observeVolume(state, hour, 100, settings, 50)).toBeNull();
    const threshold = state.mean + settings.z * baselineSd(state); // ~100 + 4·10
    expect(observeVolume(state, hour, Math.floor(threshold) - 100, settings, 50)).toBeNull();
    const alert = observeVolume(state, hour, 1, settings, 50);
    expect(alert).toMatchObject({ type: 'volume_spike', severity: 'medium', subject: '' });
    expect(alert!.evidence).toMatchObject({ hour: new Date(hour).toISOString(), z: 4, min_scans: 50 });
    expect(alert!.evidence.hour_scans as number).toBeGreaterThan(alert!.evidence.threshold as number);
    // More scans in the same hour: no second alert.
    expect(observeVolume(state, hour, 500, settings, 50)).toBeNull();
  });

  it('does not fire below the minimum count however quiet the baseline (the minimum-count edge)', () => {
    const quiet = () => history(Array.from({ length: 48 }, () => 1));
    const hour = H0 + 48 * HOUR;
    expect(observeVolume(quiet(), hour, 49, settings, 50)).toBeNull();
    expect(observeVolume(quiet(), hour, 50, settings, 50)).not.toBeNull();
  });

  it('does not fire before the warm-up hours have passed', () => {
    const young = history(Array.from({ length: 10 }, () => 2));
    expect(observeVolume(young, H0 + 10 * HOUR, 1_000, settings, 50)).toBeNull();
  });

  it('folds silent hours as zeros, and ignores scans of hours already closed', () => {
    const state = history([100, 100]);
    observeVolume(state, H0 + 10 * HOUR, 1, settings, 50);
    expect(state.hours).toBe(10); // hours 0..9 closed, 2..9 silent
    const mean = state.mean;
    expect(observeVolume(state, H0 + 5 * HOUR, 1_000, settings, 50)).toBeNull();
    expect(state.mean).toBe(mean);
    expect(state.count).toBe(1);
  });

  it('uses a Poisson floor for the deviation, so a flat history does not make a handful a spike', () => {
    const flat = history(Array.from({ length: 200 }, () => 100));
    expect(observeVolume(flat, H0 + 200 * HOUR, 130, settings, 50)).toBeNull();
    expect(Math.sqrt(flat.variance)).toBeLessThan(1);
    expect(baselineSd(flat)).toBeCloseTo(10, 1);
    expect(observeVolume(flat, H0 + 200 * HOUR, 20, settings, 50)).not.toBeNull(); // 150 > 100 + 4·10
  });
});
