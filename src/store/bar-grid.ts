// Bar series on a bucket grid: building them from query columns, filling empty buckets, aligning two legs.
import type { BarSeries, EmptyBucketPolicy } from './types';

export function seriesFromColumns(symbol: string, timeframeMs: number, cols: Float64Array[]): BarSeries {
  const [time, open, high, low, close, volume, trades, vwap] = cols;
  return { symbol, timeframeMs, time, open, high, low, close, volume, trades, vwap, filled: new Uint8Array(time.length) };
}

export function emptySeries(symbol: string, timeframeMs: number): BarSeries {
  return seriesFromColumns(symbol, timeframeMs, Array.from({ length: 8 }, () => new Float64Array(0)));
}

/**
 * The series on the grid `grid` (sorted bucket starts). A bucket without a bar repeats the previous close with zero
 * volume and trades, VWAP = that close, `filled = 1`. Buckets before the first bar cannot be filled: the caller
 * starts the grid at or after it.
 */
export function onGrid(s: BarSeries, grid: Float64Array): BarSeries {
  const n = grid.length;
  const out: BarSeries = {
    symbol: s.symbol, timeframeMs: s.timeframeMs, time: grid,
    open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n),
    volume: new Float64Array(n), trades: new Float64Array(n), vwap: new Float64Array(n), filled: new Uint8Array(n),
  };
  let j = 0;
  let lastClose = NaN;
  for (let i = 0; i < n; i++) {
    const t = grid[i];
    while (j < s.time.length && s.time[j] < t) lastClose = s.close[j++];
    if (j < s.time.length && s.time[j] === t) {
      out.open[i] = s.open[j]; out.high[i] = s.high[j]; out.low[i] = s.low[j]; out.close[i] = s.close[j];
      out.volume[i] = s.volume[j]; out.trades[i] = s.trades[j]; out.vwap[i] = s.vwap[j];
      lastClose = s.close[j++];
    } else {
      out.open[i] = out.high[i] = out.low[i] = out.close[i] = out.vwap[i] = lastClose;
      out.filled[i] = 1;
    }
  }
  return out;
}

/** Every bucket start from `first` to `last` inclusive. */
export function continuousGrid(first: number, last: number, timeframeMs: number): Float64Array {
  if (!(last >= first)) return new Float64Array(0);
  const n = Math.round((last - first) / timeframeMs) + 1;
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = first + i * timeframeMs;
  return grid;
}

/** One series under an empty-bucket policy: `drop` keeps it as is, `carry` fills every bucket between its first and last bar. */
export function applyPolicy(s: BarSeries, policy: EmptyBucketPolicy): BarSeries {
  if (policy === 'drop' || s.time.length === 0) return s;
  return onGrid(s, continuousGrid(s.time[0], s.time[s.time.length - 1], s.timeframeMs));
}

function intersect(a: Float64Array, b: Float64Array): Float64Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
  }
  return Float64Array.from(out);
}

/**
 * Two legs on one grid. `drop`: buckets where both legs have a bar. `carry`: every bucket from the first one where
 * both legs have had a bar to the last bucket where either has one; the missing leg is carried forward and flagged.
 */
export function alignPair(y: BarSeries, x: BarSeries, policy: EmptyBucketPolicy): { y: BarSeries; x: BarSeries } {
  if (y.time.length === 0 || x.time.length === 0) return { y: onGrid(y, new Float64Array(0)), x: onGrid(x, new Float64Array(0)) };
  const grid = policy === 'drop'
    ? intersect(y.time, x.time)
    : continuousGrid(Math.max(y.time[0], x.time[0]), Math.max(y.time[y.time.length - 1], x.time[x.time.length - 1]), y.timeframeMs);
  return { y: onGrid(y, grid), x: onGrid(x, grid) };
}
