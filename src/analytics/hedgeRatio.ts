import { AnalyticsInputError, type Series, assertWindow, finitePair, isConstant } from './validate';
import { olsFit } from './ols';
import { huber, type HuberOptions } from './huber';

/**
 * Rolling and expanding hedge ratios, re-estimated every `every` bars on trailing data only:
 * the estimate made at bar t uses bars ≤ t and is carried forward until the next re-estimate.
 * Before the first estimate (and for windows where x is constant) the values are NaN.
 */
export type HedgeMethod = 'ols' | 'huber';

export interface HedgeRatioOptions {
  method?: HedgeMethod;
  /** Bars in each estimation window (rolling) or the minimum bars before the first estimate (expanding). */
  window: number;
  /** Re-estimate every k bars (default 1). */
  every?: number;
  /**
   * Rolling only: until the window fills, estimate on all bars so far once there are this many (pandas' `min_periods`),
   * at the same re-estimate bars. Default `window` (no estimate before the window is full).
   */
  minPeriods?: number;
  huber?: HuberOptions;
}

export interface HedgeRatioSeries {
  beta: Float64Array;
  alpha: Float64Array;
  /** Index of the last bar used by the estimate in force at each bar (−1 before the first). */
  estimatedAt: Int32Array;
}

/** Slope and intercept over [from, to); [NaN, NaN] when either leg is constant there (no fit exists). */
export function fitHedgeWindow(y: Float64Array, x: Float64Array, from: number, to: number, method: HedgeMethod, hopts?: HuberOptions): [number, number] {
  if (isConstant(x, from, to) || isConstant(y, from, to)) return [NaN, NaN];
  if (method === 'ols') {
    const f = olsFit(y, x, from, to);
    return [f.beta, f.intercept];
  }
  const h = huber(y.subarray(from, to), x.subarray(from, to), hopts);
  return [h.beta, h.intercept];
}

function hedgeSeries(y: Series, x: Series, opts: HedgeRatioOptions, expanding: boolean): HedgeRatioSeries {
  const method = opts.method ?? 'ols';
  if (method !== 'ols' && method !== 'huber') throw new AnalyticsInputError(`unknown hedge method "${String(method)}": use 'ols' or 'huber'`);
  const every = opts.every ?? 1;
  assertWindow(opts.window, 'window', 3);
  assertWindow(every, 'every', 1);
  const [yf, xf] = finitePair(y, x, 0, 'a hedge ratio');
  const n = yf.length;
  const out: HedgeRatioSeries = {
    beta: new Float64Array(n).fill(NaN),
    alpha: new Float64Array(n).fill(NaN),
    estimatedAt: new Int32Array(n).fill(-1),
  };
  const minPeriods = expanding ? opts.window : opts.minPeriods ?? opts.window;
  if (!Number.isInteger(minPeriods) || minPeriods < 3 || minPeriods > opts.window) {
    throw new AnalyticsInputError(`minPeriods must be an integer from 3 to the window (${opts.window}), got ${minPeriods}`);
  }
  let beta = NaN;
  let alpha = NaN;
  let at = -1;
  // the first re-estimate bar at or after minPeriods − 1, in phase with the ones after the window fills
  const first = minPeriods - 1 + ((((opts.window - minPeriods) % every) + every) % every);
  for (let t = first; t < n; t++) {
    if ((t - (opts.window - 1)) % every === 0) {
      const from = expanding ? 0 : Math.max(0, t - opts.window + 1);
      [beta, alpha] = fitHedgeWindow(yf, xf, from, t + 1, method, opts.huber);
      at = t;
    }
    out.beta[t] = beta;
    out.alpha[t] = alpha;
    out.estimatedAt[t] = at;
  }
  return out;
}

/** Hedge ratio from the last `window` bars, re-estimated every `every` bars. */
export function rollingHedgeRatio(y: Series, x: Series, opts: HedgeRatioOptions): HedgeRatioSeries {
  return hedgeSeries(y, x, opts, false);
}

/** Hedge ratio from all bars so far (at least `window`), re-estimated every `every` bars. */
export function expandingHedgeRatio(y: Series, x: Series, opts: HedgeRatioOptions): HedgeRatioSeries {
  return hedgeSeries(y, x, opts, true);
}
