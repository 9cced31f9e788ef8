// The per-bar series of a pair view — hedge ratio, intercept, spread, z-score, rolling correlation — computed
// causally (each value from bars at or before its index), for all bars or for a tail after new bars arrive.
// A tail computation re-reads only the trailing bars the rolling windows need, so a live refresh costs
// O(new bars × window), and gives the same values as a full computation. Since it reads nothing older, a live view
// may drop its oldest bars (see {@link seriesLookback}) and its later tails stay exactly what they would have been.
import { KalmanFilter, type KalmanParams, rollingCorrelation, rollingHedgeRatio, rollingZScore } from '../../../src/analytics';
import type { HedgeMethod } from '../protocol';

/** How a view's series are computed. */
export interface SeriesOptions {
  /** z-score and correlation window, bars. */
  window: number;
  hedge: HedgeMethod;
  /** Trailing bars of the OLS/Huber fit. */
  hedgeWindow: number;
  /** Re-fit OLS/Huber every this many bars. */
  hedgeEvery: number;
  /**
   * Bars before the first OLS/Huber fit: until `hedgeWindow` bars exist, each fit uses every bar so far (expanding),
   * flagged by {@link hedgeFitBars}. Default `hedgeWindow`: no value until the window is full.
   */
  hedgeMinBars?: number;
  /** Kalman filter parameters; unset ones are scaled to the first bar's prices (see {@link kalmanParamsFor}). */
  kalman?: Partial<KalmanParams>;
}

/** Per-bar series, one value per bar (NaN while warming up). */
export interface PairSeriesArrays {
  hedgeRatio: Float64Array;
  intercept: Float64Array;
  spread: Float64Array;
  zScore: Float64Array;
  correlation: Float64Array;
}

/**
 * Kalman filter state after a given bar, so a tail can resume exactly there. It carries the filter's parameters:
 * they are scaled to the first bar's prices, which a live view may since have dropped.
 */
export interface KalmanCheckpoint {
  index: number;
  beta: number;
  alpha: number;
  covariance: [number, number, number];
  params: Partial<KalmanParams>;
}

/** Bars at the end of a Kalman computation whose filter state is kept: a tail may redo up to this many bars. */
export const KALMAN_CHECKPOINTS = 40;

/** The result of computing bars [from, n): series for those bars and Kalman checkpoints after each of the newest bars. */
export interface SeriesTail {
  from: number;
  series: PairSeriesArrays;
  /** Ascending by index: the states after bars max(from, n − {@link KALMAN_CHECKPOINTS}) … n − 1. */
  kalman?: KalmanCheckpoint[];
}

const nanArray = (n: number): Float64Array => new Float64Array(n).fill(NaN);

/**
 * Kalman parameters scaled to the legs' first prices (known at bar 0, so no look-ahead): β starts at the price ratio
 * with a prior as wide as β itself, α at 0 with a prior as wide as y, observation noise 0.1% of y, δ = 1e-7.
 * The library's unit-scale defaults suit returns, not price levels in the thousands. `user` overrides any field.
 */
export function kalmanParamsFor(y0: number, x0: number, user: Partial<KalmanParams> = {}): Partial<KalmanParams> {
  if (!(Number.isFinite(y0) && Number.isFinite(x0) && x0 !== 0 && y0 !== 0)) return user;
  const ratio = y0 / x0;
  return {
    delta: 1e-7,
    observationVariance: (1e-3 * y0) ** 2,
    initialState: [ratio, 0],
    initialCovariance: [ratio ** 2, 0, y0 ** 2],
    ...user,
  };
}

/**
 * Bars before `from` that a tail computation reads. Bars older than that can be dropped from the front of the inputs
 * (with the prior spread and Kalman checkpoint indices shifted alike) without changing any later value, provided the
 * count dropped is a multiple of {@link refitPhase}.
 */
export function seriesLookback(opts: SeriesOptions): number {
  const hedge = opts.hedge === 'kalman' ? 0 : opts.hedgeWindow + 2 * opts.hedgeEvery;
  return Math.max(opts.window + 2, hedge);
}

/** OLS/Huber re-fit at bars whose index is in phase with `hedgeEvery`, counted from bar 0; Kalman has no phase. */
export function refitPhase(opts: SeriesOptions): number {
  return opts.hedge === 'kalman' ? 1 : opts.hedgeEvery;
}

/**
 * What a tail computation reuses: the spread of the bars before `from`, the Kalman state after bar from − 1, and (when
 * given) the OLS/Huber hedge ratio and intercept of the bars before `from`, so only re-fits from `from` on are made.
 */
export interface PriorSeries {
  spread: ArrayLike<number>;
  kalman?: KalmanCheckpoint;
  hedgeRatio?: ArrayLike<number>;
  intercept?: ArrayLike<number>;
}

/** Computes the series for bars [from, n) of `yClose`/`xClose` (from = 0: all bars; otherwise `prior` is required). */
export function computeSeries(yClose: Float64Array, xClose: Float64Array, opts: SeriesOptions, from = 0, prior?: PriorSeries): SeriesTail {
  const n = yClose.length;
  if (from > 0 && !prior) throw new Error('computeSeries: a tail (from > 0) needs the prior spread');
  const count = Math.max(0, n - from);
  const out: PairSeriesArrays = {
    hedgeRatio: nanArray(count), intercept: nanArray(count), spread: nanArray(count), zScore: nanArray(count), correlation: nanArray(count),
  };
  const tail: SeriesTail = { from, series: out };
  if (count === 0) return tail;

  const hedge = opts.hedge === 'kalman'
    ? kalmanTail(yClose, xClose, opts, from, prior?.kalman, tail)
    : rollingTail(yClose, xClose, opts, from, prior);
  // The z-score of bar `from` needs the spread of the `window − 1` bars before it, which never change.
  const spreadFrom = Math.max(0, from - opts.window + 1);
  const spread = new Float64Array(n - spreadFrom);
  for (let i = spreadFrom; i < from; i++) spread[i - spreadFrom] = prior ? prior.spread[i] : NaN;
  for (let i = from; i < n; i++) {
    const k = i - from;
    out.hedgeRatio[k] = hedge.beta[k];
    out.intercept[k] = hedge.alpha[k];
    out.spread[k] = spread[i - spreadFrom] = yClose[i] - hedge.beta[k] * xClose[i] - hedge.alpha[k];
  }
  if (n >= opts.window) {
    const z = rollingZScore(spread, Math.min(opts.window, spread.length));
    for (let k = 0; k < count; k++) if (from + k >= opts.window - 1) out.zScore[k] = z[from - spreadFrom + k];
  }
  const corrFrom = Math.max(0, from - opts.window - 1);
  if (n - corrFrom > opts.window + 1) {
    const corr = rollingCorrelation(yClose.subarray(corrFrom), xClose.subarray(corrFrom), opts.window);
    for (let k = 0; k < count; k++) out.correlation[k] = corr[from - corrFrom + k];
  }
  return tail;
}

/** OLS/Huber re-fitted every `hedgeEvery` bars on the trailing `hedgeWindow`, for bars [start, n). */
function rollingTail(y: Float64Array, x: Float64Array, opts: SeriesOptions, start: number, prior?: PriorSeries): { beta: Float64Array; alpha: Float64Array } {
  const n = y.length;
  const w = opts.hedgeWindow;
  const every = opts.hedgeEvery;
  if (n < Math.max(3, opts.hedgeMinBars ?? w)) return { beta: nanArray(n - start), alpha: nanArray(n - start) };
  if (prior?.hedgeRatio && prior.intercept && start - 1 >= w - 1 + every) return refitsOnly(y, x, opts, start, prior.hedgeRatio[start - 1], prior.intercept[start - 1]);
  // Re-fits happen at bars t with (t − w + 1) % every = 0; a slice keeps that phase when it starts at a multiple
  // of `every`, and it must reach back far enough for the fit in force at `start`.
  const sliceFrom = Math.max(0, Math.floor((start - every - w + 2) / every) * every);
  // A slice from a later bar never reaches back into its own warm-up: the fit in force at `start` had a full window.
  const minPeriods = sliceFrom === 0 ? opts.hedgeMinBars ?? w : w;
  const fit = rollingHedgeRatio(y.subarray(sliceFrom), x.subarray(sliceFrom), { method: opts.hedge === 'huber' ? 'huber' : 'ols', window: w, every, minPeriods });
  return { beta: fit.beta.subarray(start - sliceFrom), alpha: fit.alpha.subarray(start - sliceFrom) };
}

/**
 * Past the warm-up, the fit in force at `start` is the one in force at bar start − 1 (β0, α0) until the next re-fit
 * bar: only the re-fits from there on are made, each on its own trailing window, as the full computation makes them.
 */
function refitsOnly(y: Float64Array, x: Float64Array, opts: SeriesOptions, start: number, beta0: number, alpha0: number): { beta: Float64Array; alpha: Float64Array } {
  const n = y.length;
  const w = opts.hedgeWindow;
  const every = opts.hedgeEvery;
  const beta = new Float64Array(n - start);
  const alpha = new Float64Array(n - start);
  // re-fits happen at bars t with (t − w + 1) % every = 0
  const refit = start + ((((w - 1 - start) % every) + every) % every);
  for (let t = start; t < Math.min(refit, n); t++) {
    beta[t - start] = beta0;
    alpha[t - start] = alpha0;
  }
  if (refit < n) {
    const sliceFrom = refit - w + 1;
    const fit = rollingHedgeRatio(y.subarray(sliceFrom), x.subarray(sliceFrom), { method: opts.hedge === 'huber' ? 'huber' : 'ols', window: w, every, minPeriods: w });
    beta.set(fit.beta.subarray(refit - sliceFrom), refit - start);
    alpha.set(fit.alpha.subarray(refit - sliceFrom), refit - start);
  }
  return { beta, alpha };
}

/**
 * How many bars the OLS/Huber fit in force at bar `t` (counted from the first bar computed) was made on: fewer than
 * `hedgeWindow` during the expanding warm-up, NaN before the first fit. Kalman has no window: NaN.
 */
export function hedgeFitBars(opts: SeriesOptions, t: number): number {
  if (opts.hedge === 'kalman') return NaN;
  const w = opts.hedgeWindow;
  const every = opts.hedgeEvery;
  // the last re-fit bar at or before t, in phase with (t − w + 1) % every = 0
  const fitAt = t - ((((t - w + 1) % every) + every) % every);
  if (fitAt < Math.max(2, (opts.hedgeMinBars ?? w) - 1)) return NaN;
  return Math.min(w, fitAt + 1);
}

/** The OLS/Huber hedge fit's warm-up over a view's held bars (see {@link hedgeWarmup}). */
export interface HedgeWarmup {
  window: number;
  minBars: number;
  /** Bars the fit in force at the newest bar was made on: below `window` while it still expands, NaN before the first fit. */
  fitBars: number;
  /** Time of the newest shown bar whose fit used fewer than `window` bars (NaN when none is shown). */
  until: number;
}

/**
 * The warm-up of held bars `time` (counted from a load, `dropped` since dropped from the front, shown from index
 * `shownFrom`). Kalman has no window: every figure NaN.
 */
export function hedgeWarmup(opts: SeriesOptions, time: Float64Array, dropped: number, shownFrom: number): HedgeWarmup {
  const n = time.length;
  const kalman = opts.hedge === 'kalman';
  const window = kalman ? NaN : opts.hedgeWindow;
  // Held bars are counted from the load until the first drop, and a drop only happens long after the window filled.
  const fitBars = n === 0 ? NaN : dropped > 0 ? window : hedgeFitBars(opts, n - 1);
  const lastPartial = Math.min(n, opts.hedgeWindow - 1) - 1;
  const until = !kalman && dropped === 0 && lastPartial >= shownFrom ? time[lastPartial] : NaN;
  return { window, minBars: kalman ? NaN : opts.hedgeMinBars ?? opts.hedgeWindow, fitBars, until };
}

/**
 * Kalman filtered β, α for bars [from, n), resuming from `checkpoint` when it is the state after bar from − 1 (else
 * filtering from bar 0 with parameters scaled to its prices).
 */
function kalmanTail(y: Float64Array, x: Float64Array, opts: SeriesOptions, from: number, checkpoint: KalmanCheckpoint | undefined, tail: SeriesTail): { beta: Float64Array; alpha: Float64Array } {
  const n = y.length;
  const resumable = checkpoint !== undefined && checkpoint.index === from - 1;
  const params = resumable ? checkpoint.params : kalmanParamsFor(y[0], x[0], opts.kalman);
  const beta = nanArray(n - from);
  const alpha = nanArray(n - from);
  const filter = resumable ? resume(checkpoint, params) : new KalmanFilter(params);
  const checkpoints: KalmanCheckpoint[] = [];
  for (let i = resumable ? from : 0; i < n; i++) {
    const step = filter.update(y[i], x[i]);
    if (i >= from) {
      beta[i - from] = step.beta;
      alpha[i - from] = step.alpha;
    }
    if (i >= n - KALMAN_CHECKPOINTS && i >= from) checkpoints.push(snapshot(filter, i, params));
  }
  tail.kalman = checkpoints;
  return { beta, alpha };
}

function snapshot(filter: KalmanFilter, index: number, params: Partial<KalmanParams>): KalmanCheckpoint {
  const s = filter.state;
  return { index, beta: s.beta, alpha: s.alpha, covariance: s.covariance, params };
}

/** A filter continuing from the state after a step: the state noise a running filter adds before each step is folded in. */
function resume(cp: KalmanCheckpoint, params: Partial<KalmanParams>): KalmanFilter {
  const delta = new KalmanFilter(params).params.delta;
  const vw = delta / (1 - delta);
  const [p00, p01, p11] = cp.covariance;
  return new KalmanFilter({ ...params, initialState: [cp.beta, cp.alpha], initialCovariance: [p00 + vw, p01, p11 + vw] });
}
