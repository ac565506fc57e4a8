// How one scan event spreads over the roll-up counters (pure).
import type { ScanDimension } from './scan-counter-schema';
import type { ScanEvent } from './scan-event-shape';

export const HOUR_MS = 3_600_000;
export const hourOf = (ms: number) => ms - (ms % HOUR_MS);

/**
 * Map cells are 0.1° (about 11 km at the equator): fine enough for a city-level map, coarse
 * enough that a cell never pinpoints a person. Coarser zooms sum these cells when read.
 */
export const GEO_CELL_DEGREES = 0.1;

export function geoCell(lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null) return null;
  const snap = (v: number) => (Math.floor(v / GEO_CELL_DEGREES) * GEO_CELL_DEGREES).toFixed(1);
  return `${snap(lat)},${snap(lon)}`;
}

export function dimensionValues(event: ScanEvent): [ScanDimension, string][] {
  const values: [ScanDimension, string | null][] = [
    ['region', event.country && event.region ? `${event.country}/${event.region}` : null],
    ['city', event.country && event.city ? `${event.country}/${event.city}` : null],
    ['referrer', event.referrer],
    ['app', event.app],
    ['device', event.deviceClass],
    ['link_type', event.linkType],
    ['outcome', event.outcome],
    ['rule', event.ruleId],
    ['geo', geoCell(event.latitude, event.longitude)],
  ];
  return values.filter((v): v is [ScanDimension, string] => v[1] !== null);
}
