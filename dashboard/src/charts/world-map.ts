// The world map of scans: country shapes from Natural Earth's 1:110m data (world-atlas TopoJSON,
// bundled: no tile server, no network), projected with d3-geo into SVG, with a circle per grid
// cell of scans. Pan by dragging or with the arrow keys; zoom with the buttons, the wheel or +/−.
// Each zoom step asks the API for the matching grid (the `zoom` parameter of /v1/analytics/scans/map).
import { type GeoProjection, geoGraticule10, geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { svg } from '../dom';

export interface MapPoint {
  lat: number;
  lng: number;
  scans: number;
  /** The place the API named the point after (its busiest city, else region or country). */
  place?: { name: string; country: string | null };
}

export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** How far zoom-to-data goes in on a single place: a region, not a street. */
const MAX_FIT_K = 64;

/** The SVG's own coordinates; it scales to its container's width. */
const WIDTH = 960;
const HEIGHT = 500;
const MAX_K = 512;
/** Web-map tiles are 256 px wide: the API's zoom z is the one whose world is 256·2^z px wide on screen. */
const TILE_PX = 256;
const MAX_API_ZOOM = 12;

const topology = countries110m as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
const COUNTRIES = feature(topology, topology.objects.countries).features;
const GRATICULE = geoGraticule10();

export class WorldMap {
  readonly svg: SVGSVGElement;
  /** Called when the view's API zoom level changes (debounced by the caller if it likes). */
  onZoomChange: (zoom: number) => void = () => {};

  private readonly projection: GeoProjection;
  private readonly path;
  private readonly baseScale: number;
  private readonly baseTranslate: [number, number];
  private readonly sphereWidth: number;
  private readonly sphere: SVGPathElement;
  private readonly graticule: SVGPathElement;
  private readonly countryPaths: SVGPathElement[];
  private readonly pointLayer: SVGGElement;
  private points: MapPoint[] = [];
  private k = 1;
  private t: [number, number];
  private frame = 0;
  private lastZoom: number;

  constructor(label: string) {
    this.projection = geoNaturalEarth1().fitExtent(
      [
        [8, 8],
        [WIDTH - 8, HEIGHT - 8],
      ],
      { type: 'Sphere' },
    );
    this.path = geoPath(this.projection);
    this.baseScale = this.projection.scale();
    this.baseTranslate = this.projection.translate();
    this.t = [...this.baseTranslate];
    const [[x0], [x1]] = this.path.bounds({ type: 'Sphere' });
    this.sphereWidth = x1 - x0;

    this.sphere = svg('path', { class: 'sphere' });
    this.graticule = svg('path', { class: 'graticule' });
    this.countryPaths = COUNTRIES.map((c) =>
      svg('path', { class: 'country' }, svg('title', {}, c.properties?.name ?? '')),
    );
    this.pointLayer = svg('g', { class: 'points' });
    this.svg = svg(
      'svg',
      {
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        class: 'world-map',
        role: 'img',
        'aria-label': label,
        preserveAspectRatio: 'xMidYMid meet',
      },
      this.sphere,
      this.graticule,
      svg('g', { class: 'countries' }, ...this.countryPaths),
      this.pointLayer,
    );
    this.lastZoom = this.apiZoom();
    this.listen();
    this.draw();
  }

  /** The API zoom last reported. */
  get zoom(): number {
    return this.lastZoom;
  }

  /** The API zoom for the current view: the world's on-screen width in 256-px tiles, as a power of two. */
  apiZoom(): number {
    const screenScale = (this.svg?.clientWidth || WIDTH) / WIDTH;
    const worldPx = this.sphereWidth * this.k * screenScale;
    return Math.min(MAX_API_ZOOM, Math.max(0, Math.round(Math.log2(worldPx / TILE_PX))));
  }

  setPoints(points: MapPoint[]): void {
    this.points = points;
    this.draw();
  }

  zoomBy(factor: number, at: [number, number] = [WIDTH / 2, HEIGHT / 2]): void {
    const k = Math.min(MAX_K, Math.max(1, this.k * factor));
    if (k === this.k) return;
    const ratio = k / this.k;
    this.t = [at[0] - (at[0] - this.t[0]) * ratio, at[1] - (at[1] - this.t[1]) * ratio];
    this.k = k;
    this.changed();
  }

  panBy(dx: number, dy: number): void {
    this.t = [this.t[0] + dx, this.t[1] + dy];
    this.changed();
  }

  reset(): void {
    this.k = 1;
    this.t = [...this.baseTranslate];
    this.changed();
  }

  /** Zooms and pans so the box (the API's `bounds`) fills most of the view. */
  fitTo(bounds: Bounds): void {
    // Project at the base view: a point then sits at t + k·(base − baseTranslate) for any view.
    this.projection.scale(this.baseScale).translate(this.baseTranslate);
    const corners = [
      [bounds.west, bounds.south],
      [bounds.west, bounds.north],
      [bounds.east, bounds.south],
      [bounds.east, bounds.north],
      [(bounds.west + bounds.east) / 2, (bounds.south + bounds.north) / 2],
    ].flatMap(([lng, lat]) => {
      const xy = this.projection([lng!, lat!]);
      return xy ? [xy] : [];
    });
    if (corners.length === 0) return;
    const xs = corners.map(([x]) => x);
    const ys = corners.map(([, y]) => y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const k = Math.min(
      MAX_FIT_K,
      (WIDTH * 0.8) / Math.max(x1 - x0, 1),
      (HEIGHT * 0.8) / Math.max(y1 - y0, 1),
    );
    this.k = Math.max(1, k);
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    this.t = [
      WIDTH / 2 - this.k * (cx - this.baseTranslate[0]),
      HEIGHT / 2 - this.k * (cy - this.baseTranslate[1]),
    ];
    this.changed();
  }

  private changed(): void {
    this.clampTranslate();
    this.draw();
    this.checkZoom();
  }

  /** Re-reads the API zoom (after a zoom, or when the map's on-screen width changed) and reports a change. */
  checkZoom(): void {
    const zoom = this.apiZoom();
    if (zoom !== this.lastZoom) {
      this.lastZoom = zoom;
      this.onZoomChange(zoom);
    }
  }

  /** Keeps some of the world in view: its centre may go as far as the frame's centre plus half a world. */
  private clampTranslate(): void {
    const halfW = (this.sphereWidth * this.k) / 2;
    const halfH = halfW / 2;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    this.t = [
      clamp(this.t[0], WIDTH / 2 - halfW, WIDTH / 2 + halfW),
      clamp(this.t[1], HEIGHT / 2 - halfH, HEIGHT / 2 + halfH),
    ];
  }

  private draw(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.projection.scale(this.baseScale * this.k).translate(this.t);
    this.sphere.setAttribute('d', this.path({ type: 'Sphere' }) ?? '');
    this.graticule.setAttribute('d', this.path(GRATICULE) ?? '');
    for (const [i, c] of COUNTRIES.entries()) this.countryPaths[i]!.setAttribute('d', this.path(c) ?? '');
    const max = this.points.reduce((m, p) => Math.max(m, p.scans), 0);
    const circles: SVGCircleElement[] = [];
    for (const p of this.points) {
      const xy = this.projection([p.lng, p.lat]);
      if (!xy || xy[0] < -20 || xy[0] > WIDTH + 20 || xy[1] < -20 || xy[1] > HEIGHT + 20) continue;
      const r = 3 + 17 * Math.sqrt(p.scans / (max || 1));
      circles.push(
        svg(
          'circle',
          {
            class: 'scan-point',
            cx: xy[0].toFixed(1),
            cy: xy[1].toFixed(1),
            r: r.toFixed(1),
            'data-scans': p.scans,
          },
          svg('title', {}, `${p.scans.toLocaleString()} scans in ${placeName(p)}`),
        ),
      );
    }
    this.pointLayer.replaceChildren(...circles);
    this.svg.setAttribute('data-zoom', String(this.lastZoom));
    this.svg.setAttribute('data-points', String(circles.length));
  }

  /** SVG coordinates of a pointer event. */
  private local(event: { clientX: number; clientY: number }): [number, number] {
    const box = this.svg.getBoundingClientRect();
    const scale = WIDTH / (box.width || WIDTH);
    // preserveAspectRatio meet: the height follows the width, so one scale serves both axes.
    return [(event.clientX - box.left) * scale, (event.clientY - box.top) * scale];
  }

  private listen(): void {
    let drag: { id: number; at: [number, number] } | undefined;
    this.svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { id: e.pointerId, at: this.local(e) };
      this.svg.setPointerCapture(e.pointerId);
      this.svg.classList.add('dragging');
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      const at = this.local(e);
      this.panBy(at[0] - drag.at[0], at[1] - drag.at[1]);
      drag.at = at;
    });
    const end = (e: PointerEvent) => {
      if (drag?.id !== e.pointerId) return;
      drag = undefined;
      this.svg.classList.remove('dragging');
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.zoomBy(e.deltaY < 0 ? 2 : 0.5, this.local(e));
      },
      { passive: false },
    );
  }
}

/** "Paris, FR", else the coordinates. */
export function placeName(p: MapPoint): string {
  if (!p.place) return describePlace(p);
  return p.place.country && p.place.country !== p.place.name
    ? `${p.place.name}, ${p.place.country}`
    : p.place.name;
}

/** "48.9° N, 2.4° E". */
export function describePlace(p: { lat: number; lng: number }): string {
  const lat = `${Math.abs(p.lat).toFixed(1)}° ${p.lat >= 0 ? 'N' : 'S'}`;
  const lng = `${Math.abs(p.lng).toFixed(1)}° ${p.lng >= 0 ? 'E' : 'W'}`;
  return `${lat}, ${lng}`;
}
