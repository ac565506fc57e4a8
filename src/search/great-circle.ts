// Distances on the Earth as a sphere (pure). The search radius is at most 50 km, where the
// spherical model is within 0.5 % of the ellipsoid: well under what a shopper notices.
export interface Point {
  lat: number;
  lng: number;
}

/** IUGG mean Earth radius. */
export const EARTH_RADIUS_KM = 6371.0088;
export const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Great-circle distance by the haversine formula (stable at short distances, unlike the cosine law). */
export function haversineKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  /** One or two inclusive longitude ranges (two when the box crosses the antimeridian). */
  lngRanges: [number, number][];
  /**
   * km per degree of longitude at the box's latitude nearest a pole: the smallest in the box, so
   * `dx = Δlng × kmPerDegreeLng` never overstates an east–west distance and a prefilter on it
   * never drops a store that is inside the radius.
   */
  kmPerDegreeLng: number;
}

/**
 * Every point within `radiusKm` of `center` lies in this box (J. Matuschek, "Finding points within
 * a distance of a latitude/longitude using bounding coordinates"). Near a pole the box spans every
 * longitude.
 */
export function boundingBox(center: Point, radiusKm: number): BoundingBox {
  const angular = radiusKm / EARTH_RADIUS_KM;
  const minLat = center.lat - deg(angular);
  const maxLat = center.lat + deg(angular);
  const poleward = Math.min(90, Math.max(Math.abs(minLat), Math.abs(maxLat)));
  const kmPerDegreeLng = KM_PER_DEGREE * Math.cos(rad(poleward));
  if (minLat <= -90 || maxLat >= 90) {
    return {
      minLat: Math.max(minLat, -90),
      maxLat: Math.min(maxLat, 90),
      lngRanges: [[-180, 180]],
      kmPerDegreeLng: 0,
    };
  }
  const dLng = deg(Math.asin(Math.sin(angular) / Math.cos(rad(center.lat))));
  const west = center.lng - dLng;
  const east = center.lng + dLng;
  const lngRanges: [number, number][] =
    west < -180
      ? [
          [west + 360, 180],
          [-180, east],
        ]
      : east > 180
        ? [
            [west, 180],
            [-180, east - 360],
          ]
        : [[west, east]];
  return { minLat, maxLat, lngRanges, kmPerDegreeLng };
}
