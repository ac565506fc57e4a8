import { describe, expect, it } from 'vitest';
import { geoValue } from '../scans/scan-dimensions';
import {
  boundsOf,
  clusterCells,
  clusters,
  distanceKm,
  type GeoCount,
  joinRadiusKm,
  MAX_ZOOM,
  MIN_ZOOM,
  parseGeoValue,
} from './geo-grid';

const ZOOMS = Array.from({ length: MAX_ZOOM - MIN_ZOOM + 1 }, (_, i) => MIN_ZOOM + i);

/** A roll-up row as the edge writes it for a scan at lat/lng. */
function row(lat: number, lng: number, scans: number, country: string, region = '', city = ''): GeoCount {
  const value = geoValue({ latitude: lat, longitude: lng, region: region || null, city: city || null });
  return { value: value!, country, scans };
}

const CITIES = {
  paris: row(48.85, 2.35, 40, 'FR', 'IDF', 'Paris'),
  milan: row(45.46, 9.19, 30, 'IT', '25', 'Milan'),
  berlin: row(52.52, 13.4, 20, 'DE', 'BE', 'Berlin'),
  rome: row(41.9, 12.5, 10, 'IT', '62', 'Rome'),
  newYork: row(40.71, -74.0, 25, 'US', 'NY', 'New York'),
};

// A scan sits anywhere in its 0.1° cell: up to half the cell's diagonal from the cell centre.
const HALF_CELL_KM = 8;

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('map clusters', () => {
  it('keeps Paris, Milan, Berlin, Rome and New York apart at every zoom, each at its city', () => {
    for (const zoom of ZOOMS) {
      const points = clusterCells(Object.values(CITIES), zoom);
      expect(points.map((p) => p.place.name)).toEqual(['Paris', 'Milan', 'New York', 'Berlin', 'Rome']);
      for (const [name, r] of Object.entries(CITIES)) {
        const at = parseGeoValue(r.value, r.country);
        const point = points.find((p) => p.scans === r.scans)!;
        expect(distanceKm(point, at), `${name} at zoom ${zoom}`).toBeLessThan(1);
      }
    }
  });

  it('puts every member within 100 km of its point, at every zoom, for random scans worldwide', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const rows: GeoCount[] = [];
      // Dense regions (where clusters merge) and a scattering over the whole globe.
      for (let i = 0; i < 400; i++) {
        const dense = i % 2 === 0;
        const lat = dense ? 48 + next() * 6 : -85 + next() * 170;
        const lng = dense ? 0 + next() * 12 : -180 + next() * 359.9;
        rows.push(row(lat, lng, 1 + Math.floor(next() * 50), 'XX'));
      }
      const total = rows.reduce((n, r) => n + r.scans, 0);
      for (const zoom of ZOOMS) {
        const found = clusters(rows, zoom);
        expect(found.reduce((n, c) => n + c.point.scans, 0)).toBe(total);
        for (const { point, members } of found) {
          expect(members.reduce((n, m) => n + m.scans, 0)).toBe(point.scans);
          for (const m of members)
            expect(distanceKm(point, m) + HALF_CELL_KM, `seed ${seed} zoom ${zoom}`).toBeLessThan(100);
        }
      }
    }
  });

  it('keeps the far side of a lopsided cluster within 100 km as its centre is pulled away', () => {
    // The seed, heavy cells just inside the join radius east of it (pulling the centre east) and
    // a light one just inside it to the west: the worst case for the light one.
    const reach = joinRadiusKm(0) - 3;
    const kmToLng = (km: number) => km / (111.2 * Math.cos((50 * Math.PI) / 180));
    const rows = [
      row(50.05, 10.05, 10, 'DE'),
      ...[0, 0.1, -0.1].map((dLat) => row(50.05 + dLat, 10.05 + kmToLng(reach - 1), 9, 'DE')),
      row(50.05, 10.05 - kmToLng(reach), 1, 'DE'),
    ];
    const found = clusters(rows, 0);
    expect(found).toHaveLength(1);
    for (const m of found[0]!.members)
      expect(distanceKm(found[0]!.point, m) + HALF_CELL_KM).toBeLessThan(100);
  });

  it('merges neighbouring towns when zoomed out and separates them when zoomed in', () => {
    // Two cells about 30 km apart (Paris and Versailles-ish).
    const rows = [row(48.85, 2.35, 10, 'FR', 'IDF', 'Paris'), row(48.8, 1.95, 4, 'FR', 'IDF', 'Versailles')];
    expect(clusterCells(rows, 0)).toHaveLength(1);
    expect(clusterCells(rows, 0)[0]).toMatchObject({ scans: 14, place: { name: 'Paris' } });
    expect(clusterCells(rows, 12)).toHaveLength(2);
    // The merged point is pulled towards the busier town, not put at a grid centre.
    const merged = clusterCells(rows, 0)[0]!;
    expect(distanceKm(merged, parseGeoValue(rows[0]!.value, 'FR'))).toBeLessThan(
      distanceKm(merged, parseGeoValue(rows[1]!.value, 'FR')),
    );
  });

  it('shrinks the join radius with the zoom, never past 45 km nor below a cell', () => {
    expect(joinRadiusKm(0)).toBe(45);
    for (const zoom of ZOOMS.slice(1)) expect(joinRadiusKm(zoom)).toBeLessThanOrEqual(joinRadiusKm(zoom - 1));
    expect(joinRadiusKm(MAX_ZOOM)).toBeGreaterThanOrEqual(11);
  });

  it('joins cells across the antimeridian (Fiji) into one point near ±180°', () => {
    const rows = [row(-17.8, 179.95, 5, 'FJ', '', 'Labasa'), row(-17.8, -179.95, 5, 'FJ')];
    const points = clusterCells(rows, 0);
    expect(points).toHaveLength(1);
    expect(Math.abs(points[0]!.lng)).toBeGreaterThan(179.8);
    expect(points[0]!.place.name).toBe('Labasa');
  });

  it('handles cells next to the poles', () => {
    const rows = [row(89.95, 10, 2, 'NO'), row(89.95, -170, 3, 'NO'), row(-89.95, 0, 1, 'AQ')];
    for (const zoom of ZOOMS) {
      const found = clusters(rows, zoom);
      expect(found.reduce((n, c) => n + c.point.scans, 0)).toBe(6);
      for (const { point, members } of found)
        for (const m of members) expect(distanceKm(point, m)).toBeLessThan(100);
    }
  });

  it('names a point by its busiest place: city, else region, else country', () => {
    expect(clusterCells([row(45.5, -73.6, 3, 'CA', 'QC', 'Montréal')], 5)[0]!.place).toEqual({
      name: 'Montréal',
      country: 'CA',
      region: 'QC',
      city: 'Montréal',
    });
    expect(clusterCells([row(45.5, -73.6, 3, 'CA', 'QC')], 5)[0]!.place.name).toBe('QC');
    expect(clusterCells([row(45.5, -73.6, 3, 'CA')], 5)[0]!.place.name).toBe('CA');
    // Roll-ups written before cells carried a place: named by their country column.
    expect(clusterCells([{ value: '45.5,-73.6', country: 'CA', scans: 3 }], 5)[0]).toMatchObject({
      scans: 3,
      place: { name: 'CA', region: null, city: null },
    });
    expect(clusterCells([{ value: '45.5,-73.6', country: '', scans: 3 }], 5)[0]!.place.name).toBe(
      'Unknown place',
    );
    // Two places in one cluster: the one with more scans names it.
    const mixed = [row(45.5, -73.6, 2, 'CA', 'QC', 'Montréal'), row(45.5, -73.6, 5, 'CA', 'QC', 'Laval')];
    expect(clusterCells(mixed, 0)[0]).toMatchObject({ scans: 7, place: { name: 'Laval' } });
  });

  it('merges duplicate rows, drops empty or unreadable ones', () => {
    const r = row(35.65, 139.65, 2, 'JP', '13', 'Tokyo');
    const points = clusterCells(
      [r, { ...r }, { ...r, scans: 0 }, { value: 'not,a-cell', country: 'JP', scans: 9 }],
      3,
    );
    expect(points).toEqual([
      expect.objectContaining({ scans: 4, place: expect.objectContaining({ name: 'Tokyo' }) }),
    ]);
    expect(clusterCells([], 3)).toEqual([]);
  });

  it('keeps a "|" in a place name from breaking the value apart', () => {
    const value = geoValue({ latitude: 1.25, longitude: 103.85, region: 'A|B', city: 'C|D' });
    expect(value).toBe('1.2,103.8|A B|C D');
    expect(parseGeoValue(value!, 'SG')).toMatchObject({ region: 'A B', city: 'C D' });
    expect(geoValue({ latitude: null, longitude: 103.85, region: null, city: null })).toBeNull();
  });

  it('boxes the points for zoom-to-data', () => {
    expect(boundsOf([])).toBeNull();
    const points = clusterCells(Object.values(CITIES), 0);
    const box = boundsOf(points)!;
    expect(box.south).toBeCloseTo(40.75, 1);
    expect(box.north).toBeCloseTo(52.55, 1);
    expect(box.west).toBeCloseTo(-73.95, 1);
    expect(box.east).toBeCloseTo(13.45, 1);
  });
});
