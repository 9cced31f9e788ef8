import { type Series, assertWindow, toFloat64 } from './validate';

/**
 * Rolling statistics with pandas semantics: the window ends at (and includes) each index,
 * `min_periods = window`, any NaN inside a window makes that output NaN, std is the sample std (ddof 1).
 *
 * Exact over millions of bars: each window's moments are recomputed by a two-pass sum every `window`
 * steps and slid with Welford's add/remove update in between, so rounding never accumulates past
 * one window span (running sums over the whole series would drift).
 */
export interface RollingMoments {
  mean: Float64Array;
  std: Float64Array;
}

function emptyOutputs(n: number): RollingMoments {
  return { mean: new Float64Array(n).fill(NaN), std: new Float64Array(n).fill(NaN) };
}

/** Calls `run(a, b)` for every maximal NaN-free run [a, b) of `values`. */
export function forEachFiniteRun(values: ArrayLike<number>, run: (from: number, to: number) => void): void {
  let start = -1;
  for (let i = 0; i <= values.length; i++) {
    const ok = i < values.length && values[i] === values[i]; // false only for NaN
    if (ok && start < 0) start = i;
    else if (!ok && start >= 0) {
      run(start, i);
      start = -1;
    }
  }
}

/** Writes mean and std for windows ending in [from + w − 1, to). */
function momentsOfRun(v: Float64Array, from: number, to: number, w: number, out: RollingMoments): void {
  // Sums of d = v − shift with shift = a value inside the current block: d stays the size of the local
  // variation (not the price level), so Σd² − (Σd)²/w loses nothing to cancellation; the sums are rebuilt
  // from scratch every w bars, so rounding never accumulates beyond one window.
  const invW = 1 / w;
  const invW1 = w > 1 ? 1 / (w - 1) : NaN;
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let sameRun = 1;
  for (let i = from + 1; i < from + w - 1 && i < to; i++) sameRun = v[i] === v[i - 1] ? sameRun + 1 : 1;
  let untilAnchor = 0;
  for (let i = from + w - 1; i < to; i++) {
    const vi = v[i];
    if (i > from) sameRun = vi === v[i - 1] ? sameRun + 1 : 1;
    if (untilAnchor-- === 0) {
      untilAnchor = w - 1;
      shift = vi;
      s1 = 0;
      s2 = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const d = v[j] - shift;
        s1 += d;
        s2 += d * d;
      }
    } else {
      const added = vi - shift;
      const removed = v[i - w] - shift;
      s1 += added - removed;
      s2 += (added - removed) * (added + removed);
    }
    const m = s1 * invW;
    const ss = s2 - s1 * m;
    const sd = Math.sqrt(ss > 0 ? ss * invW1 : 0);
    const same = sameRun >= w;
    out.mean[i] = same ? vi : shift + m;
    out.std[i] = w > 1 ? (same ? 0 : sd) : NaN;
  }
}

/** The same sums as `momentsOfRun`, writing only z = (v − mean)/std (a separate loop keeps it tight). */
function zScoreOfRun(v: Float64Array, from: number, to: number, w: number, z: Float64Array): void {
  const invW = 1 / w;
  const invW1 = 1 / (w - 1);
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let sameRun = 1;
  for (let i = from + 1; i < from + w - 1 && i < to; i++) sameRun = v[i] === v[i - 1] ? sameRun + 1 : 1;
  let untilAnchor = 0;
  for (let i = from + w - 1; i < to; i++) {
    const vi = v[i];
    if (i > from) sameRun = vi === v[i - 1] ? sameRun + 1 : 1;
    if (untilAnchor-- === 0) {
      untilAnchor = w - 1;
      shift = vi;
      s1 = 0;
      s2 = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const d = v[j] - shift;
        s1 += d;
        s2 += d * d;
      }
    } else {
      const added = vi - shift;
      const removed = v[i - w] - shift;
      s1 += added - removed;
      s2 += (added - removed) * (added + removed);
    }
    const m = s1 * invW;
    const ss = s2 - s1 * m;
    const sd = Math.sqrt(ss > 0 ? ss * invW1 : 0);
    z[i] = sameRun < w && sd > 0 ? (vi - shift - m) / sd : NaN;
  }
}

/** Rolling mean and sample std (ddof 1) in one pass. */
export function rollingMoments(series: Series, window: number): RollingMoments {
  assertWindow(window);
  const v = toFloat64(series);
  const out = emptyOutputs(v.length);
  forEachFiniteRun(v, (a, b) => momentsOfRun(v, a, b, window, out));
  return out;
}

export function rollingMean(series: Series, window: number): Float64Array {
  return rollingMoments(series, window).mean;
}

export function rollingStd(series: Series, window: number): Float64Array {
  return rollingMoments(series, window).std;
}

/** z_t = (s_t − mean_w) / std_w over the window ending at t; NaN where std is 0 or undefined (pandas gives NaN for 0/0). */
export function rollingZScore(series: Series, window: number): Float64Array {
  assertWindow(window, 'window', 2);
  const v = toFloat64(series);
  const z = new Float64Array(v.length).fill(NaN);
  forEachFiniteRun(v, (a, b) => zScoreOfRun(v, a, b, window, z));
  return z;
}

/** Mean and sample std of the `window` values ending at `end` (inclusive), two-pass. NaN if any is NaN. */
export function windowMoments(v: ArrayLike<number>, end: number, window: number): { mean: number; std: number } {
  const from = end - window + 1;
  if (from < 0) return { mean: NaN, std: NaN };
  let s = 0;
  let same = true;
  for (let j = from; j <= end; j++) {
    s += v[j];
    if (v[j] !== v[from]) same = false;
  }
  if (Number.isNaN(s)) return { mean: NaN, std: NaN };
  if (same) return { mean: v[from], std: window > 1 ? 0 : NaN };
  const m = s / window;
  let c = 0;
  let m2 = 0;
  for (let j = from; j <= end; j++) {
    const d = v[j] - m;
    c += d;
    m2 += d * d;
  }
  m2 -= (c * c) / window;
  return { mean: m + c / window, std: window > 1 ? Math.sqrt(Math.max(m2, 0) / (window - 1)) : NaN };
}
