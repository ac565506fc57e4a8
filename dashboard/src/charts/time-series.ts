// Scans over time as a uPlot line chart (canvas), loaded with the page that shows it. Its figures
// are also in a table under the chart, for screen readers and for copying.
import uPlot from 'uplot';
import { el } from '../dom';
import type { Interval } from '../filters';

export interface SeriesPoint {
  /** `YYYY-MM-DD` (day) or an ISO instant with offset (hour), as the API labels buckets. */
  bucket: string;
  scans: number;
  /** The hour or day is not over: drawn dashed, since its count will still grow. */
  partial?: true;
}

export interface SeriesOptions {
  /** The compared period's scans, by position (null where it has no bucket): a second line. */
  previous?: (number | null)[];
}

/** Bucket label → seconds since the epoch. Days are the browser's local midnight: the API was asked for the browser's timezone. */
export function bucketSeconds(bucket: string, interval: Interval): number {
  if (interval === 'hour') return Date.parse(bucket) / 1000;
  const [y, m, d] = bucket.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime() / 1000;
}

const CHART_HEIGHT = 260;
const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Tick labels in the browser's language: days as "29 Oct", hours as "14:00" and midnight as its day. */
function tickLabels(_u: uPlot, splits: number[]): string[] {
  return splits.map((s) => {
    const date = new Date(s * 1000);
    return date.getHours() === 0 && date.getMinutes() === 0 ? dayLabel.format(date) : hourLabel.format(date);
  });
}

/** Draws the chart into `host` and keeps it as wide as its container; returns a function that stops it. */
export function drawTimeSeries(
  host: HTMLElement,
  points: SeriesPoint[],
  interval: Interval,
  options: SeriesOptions = {},
): () => void {
  const xs = points.map((p) => bucketSeconds(p.bucket, interval));
  // Partial points leave the solid line for a dashed one that starts at the last whole point.
  const ys = points.map((p) => (p.partial ? null : p.scans));
  const partial = points.map((p, i) => (p.partial || points[i + 1]?.partial ? p.scans : null));
  const hasPartial = points.some((p) => p.partial);
  const width = () => Math.max(280, host.clientWidth);
  const axis: uPlot.Axis = {
    stroke: '#3d4852',
    grid: { stroke: '#e3e8ee', width: 1 },
    ticks: { stroke: '#c9d2db', width: 1 },
  };
  const chart = new uPlot(
    {
      width: width(),
      height: CHART_HEIGHT,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
      series: [
        {},
        {
          label: interval === 'hour' ? 'Scans per hour' : 'Scans per day',
          stroke: '#0b5cad',
          width: 2,
          fill: 'rgba(11, 92, 173, 0.12)',
          points: { show: points.length <= 62, size: 5 },
        },
        ...(options.previous
          ? [{ label: 'Previous period', stroke: '#8a96a3', width: 2, dash: [6, 4], points: { show: false } }]
          : []),
        ...(hasPartial
          ? [
              {
                label: 'Not over yet',
                stroke: '#0b5cad',
                width: 2,
                dash: [2, 4],
                points: { show: true, size: 5 },
              },
            ]
          : []),
      ],
      axes: [
        { ...axis, values: tickLabels },
        { ...axis, size: 56 },
      ],
      cursor: { drag: { x: false, y: false } },
    },
    [xs, ys, ...(options.previous ? [options.previous] : []), ...(hasPartial ? [partial] : [])],
    host,
  );
  const observer = new ResizeObserver(() => chart.setSize({ width: width(), height: CHART_HEIGHT }));
  observer.observe(host);
  return () => {
    observer.disconnect();
    chart.destroy();
  };
}

export function seriesSummary(
  points: SeriesPoint[],
  interval: Interval,
  label: (p: SeriesPoint) => string,
): string {
  const total = points.reduce((a, p) => a + p.scans, 0);
  const peak = points.reduce<SeriesPoint | undefined>(
    (best, p) => (!best || p.scans > best.scans ? p : best),
    undefined,
  );
  const unit = interval === 'hour' ? 'hours' : 'days';
  return peak && total > 0
    ? `Scans over ${points.length} ${unit}: ${total.toLocaleString()} in all, the most (${peak.scans.toLocaleString()}) on ${label(peak)}.`
    : `No scans over these ${points.length} ${unit}.`;
}

export const chartHost = () => el('div', { class: 'chart-host' });
