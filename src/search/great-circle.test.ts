import { describe, expect, it } from 'vitest';
import { boundingBox, haversineKm } from './great-circle';

describe('haversineKm', () => {
  it('matches known distances', () => {
    expect(haversineKm({ lat: 48.8566, lng: 2.3522 }, { lat: 51.5074, lng: -0.1278 })).toBeCloseTo(343.5, 0); // Paris–London
    expect(haversineKm({ lat: 0, lng: 179.9 }, { lat: 0, lng: -179.9 })).toBeCloseTo(22.24, 1); // across the antimeridian
    expect(haversineKm({ lat: 10, lng: 10 }, { lat: 10, lng: 10 })).toBe(0);
  });
});

describe('boundingBox', () => {
  const inside = (box: ReturnType<typeof boundingBox>, p: { lat: number; lng: number }) =>
    p.lat >= box.minLat && p.lat <= box.maxLat && box.lngRanges.some(([w, e]) => p.lng >= w && p.lng <= e);

  it('contains every point within the radius, in every direction', () => {
    for (const center of [
      { lat: 48.85, lng: 2.35 },
      { lat: -33.9, lng: 151.2 },
      { lat: 69.6, lng: 18.9 },
      { lat: 0, lng: 179.99 },
    ]) {
      const box = boundingBox(center, 50);
      for (let bearing = 0; bearing < 360; bearing += 5) {
        // The point 49.9 km away on this bearing (spherical destination formula).
        const d = 49.9 / 6371.0088;
        const [φ, λ, θ] = [
          (center.lat * Math.PI) / 180,
          (center.lng * Math.PI) / 180,
          (bearing * Math.PI) / 180,
        ];
        const φ2 = Math.asin(Math.sin(φ) * Math.cos(d) + Math.cos(φ) * Math.sin(d) * Math.cos(θ));
        const λ2 =
          λ + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ), Math.cos(d) - Math.sin(φ) * Math.sin(φ2));
        const p = { lat: (φ2 * 180) / Math.PI, lng: (((λ2 * 180) / Math.PI + 540) % 360) - 180 };
        expect(inside(box, p), `${JSON.stringify(center)} bearing ${bearing}`).toBe(true);
        // The flat-earth prefilter in SQL never overstates the distance.
        const dy = (p.lat - center.lat) * 111.19508;
        const dLng = ((p.lng - center.lng + 540) % 360) - 180;
        expect(Math.hypot(dy, dLng * box.kmPerDegreeLng)).toBeLessThanOrEqual(49.9 * 1.01);
      }
    }
  });

  it('splits at the antimeridian and spans every longitude near a pole', () => {
    expect(boundingBox({ lat: 0, lng: 179.95 }, 20).lngRanges).toHaveLength(2);
    expect(boundingBox({ lat: 89.9, lng: 0 }, 20).lngRanges).toEqual([[-180, 180]]);
  });
});
