// The Plotly figure type the chart builders return, and the helpers they share: decimation of long series,
// NaN → null, UTC time formatting and number formatting for the text summaries.

/** MIME type of Plotly figures (rendered by this project's JupyterLab extension). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** One Plotly trace (`scatter`, `scattergl`, `candlestick`, `bar`, `heatmap`, …) as plain JSON. */
export interface PlotlyTrace {
  type: string;
  name?: string;
  [key: string]: unknown;
}

/** A chart: the Plotly figure plus a readable text summary shown where no Plotly renderer exists. */
export interface Figure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  /** Plain-text summary (title, range, last values). */
  summary: string;
}

/** Numeric input: typed arrays or plain arrays; NaN means "not defined". */
export type Values = ArrayLike<number>;

/** Above this many points a line uses WebGL (`scattergl`). */
export const WEBGL_THRESHOLD = 5_000;
/** Default cap on points per trace in notebook figures (they are saved into the notebook file). */
export const DEFAULT_MAX_POINTS = 20_000;

/** Indices to keep so at most ~`maxPoints` remain: the first and last of the series, and each bucket's min and max of `key`. */
export function decimate(length: number, maxPoints: number, key?: Values): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = length / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(length, Math.floor((b + 1) * size));
    if (!key) {
      keep.push(from);
      continue;
    }
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (!(key[i] >= key[lo])) lo = i;
      if (!(key[i] <= key[hi])) hi = i;
    }
    if (lo === hi) keep.push(lo);
    else keep.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  if (keep[keep.length - 1] !== length - 1) keep.push(length - 1);
  return keep;
}

/** Picks `indices` of `values`, with NaN as null (JSON has no NaN). */
export function pick(values: Values, indices: readonly number[]): Array<number | null> {
  return indices.map((i) => (Number.isFinite(values[i]) ? values[i] : null));
}

/** A line trace over time, WebGL when long. */
export function line(name: string, time: Values, values: Values, maxPoints: number, extra: Record<string, unknown> = {}): PlotlyTrace {
  const idx = decimate(values.length, maxPoints, values);
  return {
    type: idx.length > WEBGL_THRESHOLD ? 'scattergl' : 'scatter',
    mode: 'lines',
    name,
    x: pick(time, idx),
    y: pick(values, idx),
    ...extra,
  };
}

/** ISO-8601 UTC without milliseconds, or `—` when undefined. */
export function utc(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A number for humans: `digits` significant digits (at least 2 decimals from 1,000 up), `—` when undefined. */
export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (value !== 0 && (abs >= 1e9 || abs < 1e-3)) return value.toExponential(digits - 1);
  if (abs >= 1000) return Number(value.toFixed(2)).toString();
  return Number(value.toPrecision(digits)).toString();
}

/** Last finite value of a series, or NaN. */
export function lastFinite(values: Values): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return NaN;
}

/** Min and max over finite values (NaN when there are none). */
export function range(values: Values): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: NaN, max: NaN };
}

/** The time span line of a summary. */
export function span(time: Values): string {
  return time.length ? `${time.length} points, ${utc(time[0])} → ${utc(time[time.length - 1])} (UTC)` : 'no data';
}

/** A layout with a date x axis and a title. */
export function timeLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, xaxis: { type: 'date', title: { text: 'time (UTC)' } }, margin: { t: 40, r: 20, b: 40, l: 60 }, ...extra };
}
