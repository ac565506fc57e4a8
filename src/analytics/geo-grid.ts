// Map points: roll-ups count scans on a 0.1° grid (src/scans/scan-dimensions.ts); a zoomed-out
// map gets coarser cells, each the sum of the fine cells inside it (pure).
import { GEO_CELL_DEGREES } from '../scans/scan-dimensions';

export const MIN_ZOOM = 0;
export const MAX_ZOOM = 12;

/**
 * Cell edge for a web-map zoom level: a quarter of a 256-px tile's width in degrees (360 / 2^z),
 * so a screen shows a few dozen cells whatever the zoom, never finer than the stored grid.
 */
export function cellDegrees(zoom: number): number {
  const size = 360 / 2 ** zoom / 4;
  if (size <= GEO_CELL_DEGREES) return GEO_CELL_DEGREES;
  // Round to a multiple of the stored grid so fine cells never straddle two coarse ones.
  return Math.round(size / GEO_CELL_DEGREES) * GEO_CELL_DEGREES;
}

export interface MapPoint {
  lat: number;
  lng: number;
  scans: number;
}

/** `cells` are "lat,lng" of 0.1° cells' south-west corners; returns coarse cell centres. */
export function aggregateCells(cells: { value: string; scans: number }[], zoom: number): MapPoint[] {
  const size = cellDegrees(zoom);
  const sums = new Map<string, MapPoint>();
  for (const cell of cells) {
    const [lat, lng] = cell.value.split(',').map(Number) as [number, number];
    // A tiny epsilon: 0.1-multiples in binary floating point sit just below their boundary.
    const south = Math.floor((lat + 1e-9) / size) * size;
    const west = Math.floor((lng + 1e-9) / size) * size;
    const key = `${south.toFixed(1)},${west.toFixed(1)}`;
    const point = sums.get(key) ?? {
      lat: Number((south + size / 2).toFixed(4)),
      lng: Number((west + size / 2).toFixed(4)),
      scans: 0,
    };
    point.scans += cell.scans;
    sums.set(key, point);
  }
  return [...sums.values()].sort((a, b) => b.scans - a.scans);
}
