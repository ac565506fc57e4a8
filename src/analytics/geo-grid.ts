// Map points: roll-ups count scans on a 0.1° grid with the cell's place (src/scans/scan-dimensions.ts).
// A map at any zoom gets clusters of those cells, each drawn at the scan-weighted centre of its
// members and named after its busiest place, so a point always stands where its scans are (pure).
import { GEO_CELL_DEGREES } from '../scans/scan-dimensions';

export const MIN_ZOOM = 0;
export const MAX_ZOOM = 12;

const EARTH_KM = 6371;
const KM_PER_DEGREE = (Math.PI * EARTH_KM) / 180;
/**
 * Members join a cluster within this distance of its seed cell, so every member is within twice
 * this of the weighted centre, and a scan within that plus half a cell's diagonal (< 100 km).
 */
const MAX_JOIN_KM = 45;

/**
 * Join radius for a web-map zoom level: an eighth of a 256-px tile's width (360° / 2^z), so a
 * zoomed-in map separates neighbouring towns, capped so a world map never merges two cities.
 */
export function joinRadiusKm(zoom: number): number {
  const tileKm = (360 / 2 ** zoom) * KM_PER_DEGREE;
  return Math.max(GEO_CELL_DEGREES * KM_PER_DEGREE, Math.min(MAX_JOIN_KM, tileKm / 8));
}

export interface Place {
  /** The city, else the region, else the country: what a person calls the place. */
  name: string;
  country: string | null;
  region: string | null;
  city: string | null;
}

export interface MapPoint {
  lat: number;
  lng: number;
  scans: number;
  place: Place;
}

/** One row of the geo roll-up: `value` is "lat,lng" (a cell's south-west corner), then "|region|city". */
export interface GeoCount {
  value: string;
  country: string | null;
  scans: number;
}

export interface Cell {
  lat: number;
  lng: number;
  scans: number;
  place: Omit<Place, 'name'>;
}

/** "48.8,2.3|IDF|Paris" → the cell's centre and its place; values from before places had none. */
export function parseGeoValue(
  value: string,
  country: string | null,
): Cell['place'] & { lat: number; lng: number } {
  const [corner = '', region = '', city = ''] = value.split('|');
  const [south, west] = corner.split(',').map(Number) as [number, number];
  return {
    lat: south + GEO_CELL_DEGREES / 2,
    lng: west + GEO_CELL_DEGREES / 2,
    country: country || null,
    region: region || null,
    city: city || null,
  };
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface Cluster {
  seed: { lat: number; lng: number };
  scans: number;
  /** Sums for the weighted centre: x, y, z on the unit sphere (so clusters across ±180° work). */
  x: number;
  y: number;
  z: number;
  places: Map<string, { place: Cell['place']; scans: number }>;
  members: Cell[];
}

/**
 * Clusters the cells for a zoom level: busiest cells first become seeds, each other cell joins
 * the nearest seed within the join radius. Point totals add up to the cells' scans.
 */
export function clusterCells(rows: GeoCount[], zoom: number): MapPoint[] {
  return clusters(rows, zoom).map((c) => c.point);
}

/** The clusters with their member cells (for tests that check each member's distance). */
export function clusters(rows: GeoCount[], zoom: number): { point: MapPoint; members: Cell[] }[] {
  const radius = joinRadiusKm(zoom);
  const cells = mergeCells(rows).sort((a, b) => b.scans - a.scans || a.lat - b.lat || a.lng - b.lng);
  // Seeds are bucketed by latitude band, then by longitude, so a join looks at a few seeds only.
  const bandDegrees = radius / KM_PER_DEGREE;
  const buckets = new Map<string, Cluster[]>();
  const found: Cluster[] = [];
  const bandOf = (lat: number) => Math.floor((lat + 90) / bandDegrees);
  const lngBuckets = Math.max(1, Math.floor(360 / bandDegrees));
  const lngOf = (lng: number) => Math.floor(((((lng + 180) % 360) + 360) % 360) / (360 / lngBuckets));
  const rad = Math.PI / 180;

  for (const cell of cells) {
    let best: Cluster | undefined;
    let bestKm = Number.POSITIVE_INFINITY;
    const band = bandOf(cell.lat);
    for (let b = band - 1; b <= band + 1; b++) {
      // Longitude degrees shrink towards the poles: look as many buckets sideways as the radius spans.
      const edgeLat = Math.min(
        89.9,
        Math.max(Math.abs(b * bandDegrees - 90), Math.abs((b + 1) * bandDegrees - 90)),
      );
      const span = Math.min(
        Math.ceil(lngBuckets / 2),
        Math.ceil(radius / (KM_PER_DEGREE * Math.cos(edgeLat * rad)) / (360 / lngBuckets)),
      );
      const column = lngOf(cell.lng);
      for (let d = -span; d <= span; d++) {
        const wrapped = (((column + d) % lngBuckets) + lngBuckets) % lngBuckets;
        for (const cluster of buckets.get(`${b}:${wrapped}`) ?? []) {
          const km = distanceKm(cell, cluster.seed);
          if (km <= radius && km < bestKm) {
            best = cluster;
            bestKm = km;
          }
        }
      }
    }
    if (!best) {
      best = { seed: cell, scans: 0, x: 0, y: 0, z: 0, places: new Map(), members: [] };
      found.push(best);
      const key = `${band}:${lngOf(cell.lng)}`;
      (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(best);
    }
    best.scans += cell.scans;
    best.members.push(cell);
    const phi = cell.lat * rad;
    const lambda = cell.lng * rad;
    best.x += cell.scans * Math.cos(phi) * Math.cos(lambda);
    best.y += cell.scans * Math.cos(phi) * Math.sin(lambda);
    best.z += cell.scans * Math.sin(phi);
    const placeKey = JSON.stringify([cell.place.country, cell.place.region, cell.place.city]);
    const place = best.places.get(placeKey) ?? { place: cell.place, scans: 0 };
    place.scans += cell.scans;
    best.places.set(placeKey, place);
  }

  return found
    .map((c) => {
      const lat = Math.atan2(c.z, Math.hypot(c.x, c.y)) / rad;
      const lng = Math.atan2(c.y, c.x) / rad;
      const point = { lat: round(lat), lng: round(lng), scans: c.scans, place: busiestPlace(c) };
      return { point, members: c.members };
    })
    .sort((a, b) => b.point.scans - a.point.scans || a.point.lat - b.point.lat || a.point.lng - b.point.lng);
}

const round = (v: number) => Number(v.toFixed(4));

/** The same cell with the same place may come from several roll-up tiers: one cell each. */
function mergeCells(rows: GeoCount[]): Cell[] {
  const merged = new Map<string, Cell>();
  for (const row of rows) {
    if (row.scans <= 0) continue;
    const parsed = parseGeoValue(row.value, row.country);
    if (!Number.isFinite(parsed.lat) || !Number.isFinite(parsed.lng)) continue;
    const key = `${row.value}\u0000${row.country ?? ''}`;
    const cell = merged.get(key);
    if (cell) cell.scans += row.scans;
    else
      merged.set(key, {
        lat: parsed.lat,
        lng: parsed.lng,
        scans: row.scans,
        place: { country: parsed.country, region: parsed.region, city: parsed.city },
      });
  }
  return [...merged.values()];
}

/** The place most of the cluster's scans came from, named by its finest known part. */
function busiestPlace(c: Cluster): Place {
  let best: { place: Cell['place']; scans: number } | undefined;
  for (const candidate of c.places.values()) {
    const named = (p: Cell['place']) => (p.city ? 2 : p.region ? 1 : 0);
    if (
      !best ||
      candidate.scans > best.scans ||
      (candidate.scans === best.scans && named(candidate.place) > named(best.place))
    )
      best = candidate;
  }
  const place = best!.place;
  return { name: place.city ?? place.region ?? place.country ?? 'Unknown place', ...place };
}

/** The box around the points (for zoom-to-data), or null when there are none. */
export function boundsOf(points: { lat: number; lng: number }[]): {
  south: number;
  west: number;
  north: number;
  east: number;
} | null {
  if (points.length === 0) return null;
  let south = 90;
  let north = -90;
  let west = 180;
  let east = -180;
  for (const p of points) {
    south = Math.min(south, p.lat);
    north = Math.max(north, p.lat);
    west = Math.min(west, p.lng);
    east = Math.max(east, p.lng);
  }
  return { south, west, north, east };
}
