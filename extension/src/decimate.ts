import type { Num } from './protocol';
import { lowerBound } from './sorted';

/** What a chart can show: its width in pixels and the x range the user zoomed to, if any. */
export interface IChartView {
  width: number;
  xRange: [number, number] | null;
}

/**
 * Min/max decimation of a line for a chart `view.width` pixels wide: per pixel column the lowest and the highest
 * point, in time order, and a gap wherever the column holds an undefined value. A line drawn from this looks the
 * same as one drawn from every point, at a few thousand points instead of 86,400. Only the zoomed range (plus one
 * point either side) is kept when there is one.
 */
export function decimateLine(x: number[], y: Num[], view: IChartView): { x: number[]; y: Num[] } {
  let lo = 0;
  let hi = x.length;
  if (view.xRange) {
    lo = Math.max(0, lowerBound(x, view.xRange[0]) - 1);
    hi = Math.min(x.length, lowerBound(x, view.xRange[1]) + 1);
  }
  const n = hi - lo;
  const buckets = Math.max(50, Math.floor(view.width));
  if (n <= 2 * buckets) return lo === 0 && hi === x.length ? { x, y } : { x: x.slice(lo, hi), y: y.slice(lo, hi) };
  const outX: number[] = [];
  const outY: Num[] = [];
  const t0 = x[lo];
  const span = x[hi - 1] - t0 || 1;
  let i = lo;
  for (let b = 0; b < buckets && i < hi; b++) {
    const end = b === buckets - 1 ? x[hi - 1] : t0 + (span * (b + 1)) / buckets;
    let minI = -1;
    let maxI = -1;
    let gapI = -1;
    for (; i < hi && (x[i] < end || b === buckets - 1); i++) {
      const v = y[i];
      if (v === null || !Number.isFinite(v)) {
        if (gapI < 0) gapI = i;
        continue;
      }
      if (minI < 0 || v < (y[minI] as number)) minI = i;
      if (maxI < 0 || v > (y[maxI] as number)) maxI = i;
    }
    const picks = [minI, maxI].filter((k) => k >= 0);
    if (picks.length === 2 && picks[0] > picks[1]) picks.reverse();
    if (picks.length === 2 && picks[0] === picks[1]) picks.pop();
    if (gapI >= 0) {
      picks.push(gapI);
      picks.sort((a, b) => a - b);
    }
    for (const k of picks) {
      outX.push(x[k]);
      outY.push(k === gapI ? null : y[k]);
    }
  }
  return { x: outX, y: outY };
}

/** Above this many drawn points a line uses WebGL (`scattergl`); below, SVG redraws faster (no GL context to rebuild). */
export const WEBGL_MIN_POINTS = 3000;

/**
 * A line trace's type and data for `view`: decimated, SVG when short, WebGL when long. A line of one value so far (a
 * z-score's first bar) is a marker: a line needs two points to show at all.
 */
export function lineTrace(x: number[], y: Num[], view: IChartView): { type: 'scatter' | 'scattergl'; mode: 'lines' | 'lines+markers'; x: number[]; y: Num[] } {
  const line = decimateLine(x, y, view);
  return { type: line.x.length > WEBGL_MIN_POINTS ? 'scattergl' : 'scatter', mode: finiteAtMost(line.y, 1) ? 'lines+markers' : 'lines', ...line };
}

function finiteAtMost(values: Num[], count: number): boolean {
  let seen = 0;
  for (const v of values) if (v !== null && Number.isFinite(v) && ++seen > count) return false;
  return true;
}
