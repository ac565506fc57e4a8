// Map: where scans happen (GET /v1/analytics/scans/map). Zooming in asks for a finer grid.
import { api } from '../api';
import type { Bounds, MapPoint, WorldMap } from '../charts/world-map';
import { el, replace } from '../dom';
import { type FilterField, filterBar, filterQuery } from '../filters';
import { formatNumber } from '../format';
import type { Page, PageContext } from '../page';
import { errorMessage, section, table } from '../widgets';

// The map cannot be filtered by lot (README: the API refuses it).
const FIELDS: FilterField[] = ['gtin', 'country', 'bots'];
const TOP_PLACES = 10;

export const mapPage: Page = {
  title: 'Map',
  render(main: HTMLElement, { signal }: PageContext) {
    const status = el('p', { class: 'status map-status', role: 'status' }, 'Loading the map…');
    const problem = el('p', { class: 'status error', role: 'alert', hidden: true });
    const mapHost = el('div', { class: 'map-host' });
    const places = el('div', { class: 'places' });
    let map: WorldMap | undefined;
    let generation = 0;
    let zoomTimer = 0;
    let bounds: Bounds | null = null;
    // The first figures zoom the map to where the scans are; later ones (and zooms) leave the view.
    let fitPending = true;

    const refresh = async () => {
      if (!map) return;
      const id = ++generation;
      const zoom = map.zoom;
      status.textContent = `Loading scans at zoom level ${zoom}…`;
      mapHost.setAttribute('aria-busy', 'true');
      try {
        const r = await api<{
          zoom: number;
          located_scans: number;
          bounds: Bounds | null;
          points: MapPoint[];
        }>('/v1/analytics/scans/map', {
          query: { ...filterQuery(FIELDS), zoom },
          signal,
        });
        if (id !== generation) return;
        problem.hidden = true;
        bounds = r.bounds;
        fitButton.disabled = !bounds;
        map.setPoints(r.points);
        if (fitPending && bounds) {
          fitPending = false;
          map.fitTo(bounds);
          if (map.zoom !== zoom) {
            // The fitted view needs its own grid: ask now rather than after the zoom debounce.
            clearTimeout(zoomTimer);
            void refresh();
            return;
          }
        }
        status.textContent = r.points.length
          ? `Zoom level ${r.zoom}: ${formatNumber(r.located_scans)} located scans in ${formatNumber(r.points.length)} places.`
          : `Zoom level ${r.zoom}: no scans with a location in this range.`;
        showPlaces(r.points);
      } catch (error) {
        if (signal.aborted || id !== generation) return;
        problem.textContent = errorMessage(error);
        problem.hidden = false;
        status.textContent = '';
      } finally {
        if (id === generation) mapHost.removeAttribute('aria-busy');
      }
    };

    const names = import('../charts/world-map').then((m) => m.placeName);
    const showPlaces = (points: MapPoint[]) =>
      void names.then((placeName) =>
        replace(
          places,
          points.length
            ? table(
                `The ${Math.min(TOP_PLACES, points.length)} busiest places at this zoom`,
                [
                  { label: 'Place', cell: (p: MapPoint) => placeName(p) },
                  { label: 'Scans', cell: (p) => formatNumber(p.scans), numeric: true },
                ],
                points.slice(0, TOP_PLACES),
              )
            : null,
        ),
      );

    const button = (label: string, text: string, action: () => void) =>
      el('button', { type: 'button', class: 'secondary', 'aria-label': label, on: { click: action } }, text);
    const fitButton = button('Zoom to the scans', 'Fit scans', () => {
      if (bounds) map?.fitTo(bounds);
    });
    fitButton.disabled = true;

    main.append(
      filterBar(FIELDS, () => {
        fitPending = true;
        void refresh();
      }),
      section(
        'Scans around the world',
        el(
          'p',
          { class: 'hint', id: 'map-help' },
          'Drag to move, use the wheel or the buttons to zoom. With the map focused: arrow keys move, + and − zoom, 0 resets.',
        ),
        el(
          'div',
          { class: 'map-controls', role: 'group', 'aria-label': 'Map zoom' },
          button('Zoom in', '+', () => map?.zoomBy(2)),
          button('Zoom out', '−', () => map?.zoomBy(0.5)),
          fitButton,
          button('Reset the view', 'Reset', () => map?.reset()),
        ),
        mapHost,
        status,
        problem,
        el(
          'p',
          { class: 'hint' },
          'Each circle stands at the scan-weighted centre of the scans around one place (all within 100 km of it) and its area follows their number; places separate as you zoom in. Country shapes: Natural Earth.',
        ),
        places,
      ),
    );

    import('../charts/world-map')
      .then(({ WorldMap }) => {
        if (signal.aborted) return;
        map = new WorldMap('World map of scans; the busiest places are listed in the table below');
        const frame = el(
          'div',
          {
            class: 'map-frame',
            tabindex: 0,
            'aria-describedby': 'map-help',
            'aria-label': 'World map of scans',
          },
          map.svg,
        );
        const m = map;
        frame.addEventListener('keydown', (e) => {
          const step = 60;
          const moves: Record<string, () => void> = {
            ArrowLeft: () => m.panBy(step, 0),
            ArrowRight: () => m.panBy(-step, 0),
            ArrowUp: () => m.panBy(0, step),
            ArrowDown: () => m.panBy(0, -step),
            '+': () => m.zoomBy(2),
            '=': () => m.zoomBy(2),
            '-': () => m.zoomBy(0.5),
            '0': () => m.reset(),
          };
          const move = moves[e.key];
          if (!move) return;
          e.preventDefault();
          move();
        });
        replace(mapHost, frame);
        m.checkZoom(); // its real width is known now
        // A zoom asks for a new grid once the user pauses (several wheel steps make one request).
        m.onZoomChange = () => {
          clearTimeout(zoomTimer);
          zoomTimer = window.setTimeout(() => void refresh(), 200);
        };
        const resize = new ResizeObserver(() => m.checkZoom());
        resize.observe(frame);
        signal.addEventListener('abort', () => resize.disconnect(), { once: true });
        void refresh();
      })
      .catch((error: unknown) => {
        problem.textContent = errorMessage(error);
        problem.hidden = false;
      });
  },
};
