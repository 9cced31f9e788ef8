// The chart lines of a view sent thinned (pure: no DOM, no JupyterLab). A thinned snapshot gives the newest bars in
// full (`series`) and the older ones as an overview at the charts' resolution; zooming in fetches the zoomed span's
// detail. A line is drawn from the overview, the detail over its span, then the full bars.
import type { Num, OverviewLine, OverviewLineName, PairSeries, SeriesOverview } from './protocol';
import { lowerBound } from './sorted';

/** What the panel holds of a view's history before its full bars. */
export interface IHistory {
  overview: SeriesOverview | null;
  /** The detail of one span, fetched for the range the user zoomed to. */
  detail: SeriesOverview | null;
}

/** The overview without its points before `from` (the view's oldest bar moved on); null once nothing is left. */
export function clipOverview(o: SeriesOverview | null, from: number | null): SeriesOverview | null {
  if (!o || from === null || from <= o.start) return o;
  if (from >= o.end) return null;
  const lines = {} as Record<OverviewLineName, OverviewLine>;
  for (const [name, line] of Object.entries(o.lines) as Array<[OverviewLineName, OverviewLine]>) {
    const cut = lowerBound(line.time, from);
    lines[name] = { time: line.time.slice(cut), value: line.value.slice(cut) };
  }
  return { ...o, start: from, lines };
}

/** Points of `line` with `from ≤ time < to`, appended to `x`/`y`. */
function appendSpan(x: number[], y: Num[], line: OverviewLine, from: number, to: number): void {
  for (let i = lowerBound(line.time, from); i < line.time.length && line.time[i] < to; i++) {
    x.push(line.time[i]);
    y.push(line.value[i]);
  }
}

/** One chart line: the overview outside the detail's span, the detail, then the full bars of `series`. */
export function composeLine(name: OverviewLineName, series: PairSeries, history: IHistory): { x: number[]; y: Num[] } {
  const { overview, detail } = history;
  if (!overview && !detail) return { x: series.time, y: series[name] };
  const tailStart = series.time[0] ?? Infinity;
  const x: number[] = [];
  const y: Num[] = [];
  if (overview) {
    appendSpan(x, y, overview.lines[name], -Infinity, Math.min(detail?.start ?? Infinity, tailStart));
  }
  if (detail) appendSpan(x, y, detail.lines[name], -Infinity, tailStart);
  if (overview && detail) appendSpan(x, y, overview.lines[name], detail.end, tailStart);
  for (let i = 0; i < series.time.length; i++) {
    x.push(series.time[i]);
    y.push(series[name][i]);
  }
  return { x, y };
}

/** A chart's zoomed x range (epoch ms) and its width in pixels. */
export interface IZoom {
  range: [number, number];
  width: number;
}

/** A bucket this much longer than a pixel column is visibly coarse. */
const COARSE = 1.5;

/**
 * The span to fetch in detail for `zoom`, or null when what is held draws it as finely as the pixels can show: the
 * zoomed part before the full bars, when neither the overview nor the detail held is fine enough there.
 */
export function detailNeeded(series: PairSeries | null, history: IHistory, zoom: IZoom | null): { start: number; end: number } | null {
  const o = history.overview;
  if (!o || !zoom || zoom.width <= 0) return null;
  const start = Math.max(zoom.range[0], o.start);
  const end = Math.min(zoom.range[1], o.end, series?.time[0] ?? Infinity);
  if (start >= end) return null;
  const msPerPixel = (zoom.range[1] - zoom.range[0]) / zoom.width;
  const fine = (h: SeriesOverview) => h.exact || h.bucketMs <= COARSE * msPerPixel;
  if (fine(o)) return null;
  const d = history.detail;
  if (d && d.start <= start && d.end >= end && fine(d)) return null;
  return { start, end };
}
