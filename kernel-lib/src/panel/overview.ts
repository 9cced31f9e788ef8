// Thinning a pair view's lines for drawing: a day of one-second bars is 86,400 points per line, a chart shows one
// column of pixels per time bucket. Per bucket, each line keeps the bars of its lowest and highest value and its
// first undefined one, which draws the same picture as every bar at a tenth of a percent of the size.
import type { OverviewLine, OverviewLineName, SeriesOverview } from '../protocol';
import type { PairView } from '../analysis/pairView';
import { replyValue } from './replies';

export const OVERVIEW_LINES: readonly OverviewLineName[] = ['spread', 'zScore', 'hedgeRatio', 'correlation'];

/**
 * One line's bars `from ≤ i < to`, thinned to buckets of `bucketMs` from `start` (every bar when `bucketMs` is 0).
 * Values are rounded as every reply rounds them.
 */
export function thinLine(time: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, start: number, bucketMs: number): OverviewLine {
  const picks: number[] = [];
  if (bucketMs <= 0) for (let i = from; i < to; i++) picks.push(i);
  let i = bucketMs <= 0 ? to : from;
  while (i < to) {
    const end = start + (Math.floor((time[i] - start) / bucketMs) + 1) * bucketMs;
    let minI = -1;
    let maxI = -1;
    let gapI = -1;
    for (; i < to && time[i] < end; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        if (gapI < 0) gapI = i;
      } else {
        if (minI < 0 || v < values[minI]) minI = i;
        if (maxI < 0 || v > values[maxI]) maxI = i;
      }
    }
    const bucket = [...new Set([minI, maxI, gapI].filter((k) => k >= 0))].sort((a, b) => a - b);
    for (const k of bucket) picks.push(k);
  }
  return { time: picks.map((k) => time[k]), value: picks.map((k) => replyValue(values[k])) };
}

/**
 * The view's lines over bars `from ≤ i < to` at `buckets` time buckets; exact (every bar) when the span holds at most
 * `2 × buckets` bars, where thinning would save nothing.
 */
export function seriesOverview(view: PairView, from: number, to: number, buckets: number): SeriesOverview {
  const time = view.time;
  const start = from < to ? time[from] : 0;
  const end = from < to ? time[to - 1] + view.timeframeMs : 0;
  const exact = to - from <= 2 * buckets;
  // whole bars per bucket, so that a bucket's edges fall on bar boundaries
  const bucketMs = exact ? view.timeframeMs : Math.ceil((end - start) / buckets / view.timeframeMs) * view.timeframeMs;
  const lines = {} as Record<OverviewLineName, OverviewLine>;
  for (const name of OVERVIEW_LINES) lines[name] = thinLine(time, view.series[name], from, to, start, exact ? 0 : bucketMs);
  return { start, end, bucketMs, exact, lines };
}
