// A GTIN scanned far more in an hour than its own recent history predicts: a flood of copies
// reaching the market, or a code posted online. The baseline is an exponentially weighted moving
// average of hourly scan counts with its variance (Finch, "Incremental calculation of weighted
// mean and variance", 2009, §9):
//   diff = x − mean;  mean += α·diff;  variance = (1 − α)·(variance + α·diff²)
// An hour is a spike as soon as its running count c satisfies all of
//   c ≥ min_scans,   c > mean + z·sd,   and the baseline has seen ≥ warmup_hours closed hours,
// where sd = max(√variance, √max(mean, 1)): scan counts are at least as noisy as a Poisson count,
// so a perfectly steady history does not make one extra scan a spike. Each hour fires at most
// once; closed hours (spikes included) then feed the baseline, so a lasting new level becomes
// the new normal within a day or so.
import { type EvidenceSource, evidenceScan } from '../alert-evidence';
import type { AlertSettings } from '../alert-settings';
import type { DetectedAlert } from './detected-alert';

const HOUR_MS = 3_600_000;
/** Empty hours folded after a gap, at most: after a month of silence the baseline is ~0 anyway. */
const MAX_FOLDED_GAP_HOURS = 24 * 30;

export interface VolumeState {
  /** Start (epoch ms) of the hour being counted; null before the first scan. */
  hour: number | null;
  /** Scans so far in `hour`. */
  count: number;
  mean: number;
  variance: number;
  /** Closed hours folded into the baseline. */
  hours: number;
  /** The last hour that fired, so an hour fires once. */
  alertedHour: number | null;
}

export const emptyVolume = (): VolumeState => ({
  hour: null,
  count: 0,
  mean: 0,
  variance: 0,
  hours: 0,
  alertedHour: null,
});

export function foldHour(state: VolumeState, count: number, alpha: number): void {
  const diff = count - state.mean;
  state.mean += alpha * diff;
  state.variance = (1 - alpha) * (state.variance + alpha * diff * diff);
  state.hours++;
}

export const baselineSd = (state: VolumeState) =>
  Math.max(Math.sqrt(state.variance), Math.sqrt(Math.max(state.mean, 1)));

/**
 * Counts `scans` scans in the hour starting at `hour` (updating `state` in place) and fires when
 * that makes the hour a spike. `minScans` is `min_scans` as it applies to this counter (a share of
 * it when the GTIN's scans are spread over several ScanCounter shards). Scans of an hour already
 * closed (late arrivals) are not counted.
 */
export function observeVolume(
  state: VolumeState,
  hour: number,
  scans: number,
  settings: AlertSettings['volume_spike'],
  minScans: number,
  latest?: EvidenceSource,
): DetectedAlert | null {
  if (state.hour === null) state.hour = hour;
  if (hour < state.hour) return null;
  if (hour > state.hour) {
    foldHour(state, state.count, settings.alpha);
    const gap = Math.min((hour - state.hour) / HOUR_MS - 1, MAX_FOLDED_GAP_HOURS);
    for (let i = 0; i < gap; i++) foldHour(state, 0, settings.alpha);
    state.hour = hour;
    state.count = 0;
  }
  state.count += scans;

  const sd = baselineSd(state);
  const threshold = state.mean + settings.z * sd;
  if (state.alertedHour === hour || state.hours < settings.warmup_hours) return null;
  if (state.count < minScans || state.count <= threshold) return null;
  state.alertedHour = hour;
  return {
    type: 'volume_spike',
    severity: 'medium',
    subject: '',
    lot: null,
    serial: null,
    at: latest?.occurredAt ?? hour,
    evidence: {
      hour: new Date(hour).toISOString(),
      hour_scans: state.count,
      baseline_mean: Math.round(state.mean * 100) / 100,
      baseline_sd: Math.round(sd * 100) / 100,
      threshold: Math.round(threshold * 100) / 100,
      z: settings.z,
      alpha: settings.alpha,
      min_scans: minScans,
      scans: latest ? [evidenceScan(latest)] : [],
    },
  };
}
