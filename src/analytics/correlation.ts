import { forEachFiniteRun } from './rolling';
import { AnalyticsInputError, type Series, assertSameLength, assertWindow, toFloat64 } from './validate';

export type ReturnKind = 'simple' | 'log';

/** Bar returns: simple p_t/p_{t−1} − 1 (pandas pct_change) or log ln(p_t/p_{t−1}); r_0 = NaN. */
export function returns(prices: Series, kind: ReturnKind = 'simple'): Float64Array {
  if (kind !== 'simple' && kind !== 'log') throw new AnalyticsInputError(`returns kind must be 'simple' or 'log', got "${String(kind)}"`);
  const p = toFloat64(prices);
  const r = new Float64Array(p.length);
  if (p.length) r[0] = NaN;
  for (let t = 1; t < p.length; t++) r[t] = kind === 'simple' ? p[t] / p[t - 1] - 1 : Math.log(p[t] / p[t - 1]);
  return r;
}

/**
 * Rolling Pearson correlation of two series over windows ending at each index (pandas `a.rolling(w).corr(b)`):
 * NaN while the window is incomplete, contains a NaN in either series, or either side has zero variance.
 * Co-moments are recomputed two-pass every `window` steps and slid in between (no drift).
 */
export function rollingPearson(a: Series, b: Series, window: number): Float64Array {
  assertWindow(window, 'window', 2);
  const x = toFloat64(a);
  const y = toFloat64(b);
  assertSameLength(x, y, 'a', 'b');
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  const both = new Float64Array(n);
  for (let i = 0; i < n; i++) both[i] = x[i] + y[i]; // NaN where either is NaN (∞ + −∞ too)
  forEachFiniteRun(both, (from, to) => {
    // moments of values shifted by the block's anchor, as in rolling.ts (rounding at the scale of the variation)
    let kx = 0, ky = 0, mx = 0, my = 0, cxx = 0, cyy = 0, cxy = 0;
    // runs of equal values, so that a window with no variation is NaN exactly (not 0/round-off)
    let sameX = 1, sameY = 1;
    for (let i = from + 1; i < from + window - 1 && i < to; i++) {
      sameX = x[i] === x[i - 1] ? sameX + 1 : 1;
      sameY = y[i] === y[i - 1] ? sameY + 1 : 1;
    }
    for (let i = from + window - 1; i < to; i++) {
      if (i > from) {
        sameX = x[i] === x[i - 1] ? sameX + 1 : 1;
        sameY = y[i] === y[i - 1] ? sameY + 1 : 1;
      }
      if ((i - (from + window - 1)) % window === 0) {
        kx = x[i];
        ky = y[i];
        mx = 0;
        my = 0;
        for (let j = i - window + 1; j <= i; j++) {
          mx += x[j] - kx;
          my += y[j] - ky;
        }
        mx /= window;
        my /= window;
        cxx = 0;
        cyy = 0;
        cxy = 0;
        for (let j = i - window + 1; j <= i; j++) {
          const dx = x[j] - kx - mx;
          const dy = y[j] - ky - my;
          cxx += dx * dx;
          cyy += dy * dy;
          cxy += dx * dy;
        }
      } else {
        const ax = x[i] - kx, rx = x[i - window] - kx, ay = y[i] - ky, ry = y[i - window] - ky;
        const mxNew = mx + (ax - rx) / window;
        const myNew = my + (ay - ry) / window;
        cxx += (ax - rx) * (ax - mxNew + rx - mx);
        cyy += (ay - ry) * (ay - myNew + ry - my);
        cxy += (ax - mx) * (ay - myNew) - (rx - mx) * (ry - myNew);
        mx = mxNew;
        my = myNew;
      }
      const denom = Math.sqrt(Math.max(cxx, 0) * Math.max(cyy, 0));
      out[i] = denom > 0 && sameX < window && sameY < window ? Math.max(-1, Math.min(1, cxy / denom)) : NaN;
    }
  });
  return out;
}

export interface RollingCorrelationOptions {
  /** Correlate returns of this kind (default 'simple'); 'none' correlates the series themselves. */
  returns?: ReturnKind | 'none';
}

/** Rolling correlation of the two legs' returns (first value at index `window`). */
export function rollingCorrelation(a: Series, b: Series, window: number, opts: RollingCorrelationOptions = {}): Float64Array {
  const kind = opts.returns ?? 'simple';
  if (kind === 'none') return rollingPearson(a, b, window);
  assertSameLength(a, b, 'a', 'b');
  return rollingPearson(returns(a, kind), returns(b, kind), window);
}

/** Pearson correlation over the pairs where both values are finite; NaN with < 2 pairs or zero variance. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, xFrom = 0, yFrom = 0, count = x.length): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < count; i++) {
    const a = x[xFrom + i], b = y[yFrom + i];
    if (a - a === 0 && b - b === 0) {
      n++;
      sx += a;
      sy += b;
    }
  }
  if (n < 2) return NaN;
  const mx = sx / n, my = sy / n;
  let cxx = 0, cyy = 0, cxy = 0;
  if (n === count) {
    for (let i = 0; i < count; i++) {
      const da = x[xFrom + i] - mx, db = y[yFrom + i] - my;
      cxx += da * da;
      cyy += db * db;
      cxy += da * db;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const a = x[xFrom + i], b = y[yFrom + i];
      if (a - a === 0 && b - b === 0) {
        cxx += (a - mx) * (a - mx);
        cyy += (b - my) * (b - my);
        cxy += (a - mx) * (b - my);
      }
    }
  }
  const denom = Math.sqrt(cxx * cyy);
  return denom > 0 ? cxy / denom : NaN;
}

export interface CrossCorrelation {
  /** Lags −maxLag..maxLag. */
  lags: Int32Array;
  /** corr(a_t, b_{t+k}) at each lag k (pandas `a.corr(b.shift(−k))`); k > 0 peaks ⇔ a leads b. */
  values: Float64Array;
  /** Lag with the largest |correlation|. */
  bestLag: number;
}

/** Cross-correlation of two (return) series at lags −maxLag..maxLag, each lag over its own overlapping pairs. */
export function crossCorrelation(a: Series, b: Series, maxLag: number): CrossCorrelation {
  const x = toFloat64(a);
  const y = toFloat64(b);
  assertSameLength(x, y, 'a', 'b');
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new AnalyticsInputError(`maxLag must be a non-negative integer, got ${maxLag}`);
  if (maxLag >= x.length - 1) throw new AnalyticsInputError(`maxLag ${maxLag} leaves fewer than 2 overlapping values in series of ${x.length}`);
  const lags = new Int32Array(2 * maxLag + 1);
  const values = new Float64Array(2 * maxLag + 1);
  let bestLag = 0;
  let best = -1;
  for (let k = -maxLag; k <= maxLag; k++) {
    const count = x.length - Math.abs(k);
    const v = k >= 0 ? pearson(x, y, 0, k, count) : pearson(x, y, -k, 0, count);
    lags[k + maxLag] = k;
    values[k + maxLag] = v;
    if (Math.abs(v) > best) {
      best = Math.abs(v);
      bestLag = k;
    }
  }
  return { lags, values, bestLag };
}
