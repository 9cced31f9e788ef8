// The metric cards of a pair view — hedge ratio, R², ADF, half-life, current z — and the cross-correlation by
// lag, computed on the newest `testBars` bars. A number that cannot be computed (too few bars, constant data)
// is NaN, never a guess.
import { adfuller, crossCorrelation, halfLife, ols, returns } from '../../../src/analytics';
import { type OuCard, ouCard } from './ouCard';
import type { PairSeriesArrays } from './series';

/** The cards of a pair view; NaN where undefined. */
export interface PairMetrics {
  hedgeRatio: number;
  intercept: number;
  /** R² of OLS y on x over the test bars. */
  rSquared: number;
  adfStatistic: number;
  adfPValue: number;
  /** Lag the ADF chose (AIC). */
  adfLag: number;
  /** Ornstein-Uhlenbeck half-life of the spread, bars. */
  halfLifeBars: number;
  zScore: number;
  spread: number;
  correlation: number;
  bars: number;
  lastTime: number;
  /** Bars the tests used. */
  testBars: number;
  /** OU fit of the spread over the test bars and Bertram's levels (NaN with a reason when it refuses). */
  ou: OuCard;
}

/** Cross-correlation of the legs' returns; a positive lag where |ρ| peaks means y leads x. */
export interface LagCorrelation {
  lags: number[];
  values: number[];
  bestLag: number;
}

/** Runs `fn`, answering NaN when the analytics refuse the input (too short, constant, …). */
function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** The index from which all of `values` are finite (the spread is NaN while the hedge ratio warms up). */
function finiteFrom(values: Float64Array, from: number): number {
  let i = values.length;
  while (i > from && Number.isFinite(values[i - 1])) i--;
  return i;
}

/** The cards that are the newest bar's values (hedge ratio, spread, z, correlation) and the bar count: no test involved. */
export function newestCards(time: Float64Array, series: PairSeriesArrays): Pick<PairMetrics, 'hedgeRatio' | 'intercept' | 'zScore' | 'spread' | 'correlation' | 'bars' | 'lastTime'> {
  const n = time.length;
  const last = n - 1;
  return {
    hedgeRatio: n ? series.hedgeRatio[last] : NaN,
    intercept: n ? series.intercept[last] : NaN,
    zScore: n ? series.zScore[last] : NaN,
    spread: n ? series.spread[last] : NaN,
    correlation: n ? series.correlation[last] : NaN,
    bars: n,
    lastTime: n ? time[last] : NaN,
  };
}

/** Metric cards and cross-correlation over the newest `testBars` bars. */
export function pairMetrics(
  time: Float64Array, yClose: Float64Array, xClose: Float64Array, series: PairSeriesArrays, testBars: number, maxLag: number, barSeconds: number,
): { metrics: PairMetrics; crossCorrelation: LagCorrelation } {
  const n = time.length;
  const from = Math.max(0, n - testBars);
  const last = n - 1;
  const spreadFrom = finiteFrom(series.spread, from);
  const spread = series.spread.subarray(spreadFrom);
  const adf = attempt(() => adfuller(spread, { regression: 'c', autolag: 'aic', maxlag: Math.min(20, Math.floor(spread.length / 4)) }), null);
  const fit = attempt(() => ols(yClose.subarray(from), xClose.subarray(from)), null);
  const metrics: PairMetrics = {
    ...newestCards(time, series),
    rSquared: fit ? fit.rSquared : NaN,
    adfStatistic: adf ? adf.statistic : NaN,
    adfPValue: adf ? adf.pValue : NaN,
    adfLag: adf ? adf.usedLag : NaN,
    halfLifeBars: attempt(() => halfLife(spread).halfLife, NaN),
    testBars: n - from,
    ou: ouCard(spread, barSeconds, n ? yClose[last] : NaN),
  };
  const lag = Math.min(maxLag, Math.max(0, n - from - 3));
  const xc = attempt(() => crossCorrelation(returns(yClose.subarray(from)), returns(xClose.subarray(from)), lag), null);
  return {
    metrics,
    crossCorrelation: xc
      ? { lags: Array.from(xc.lags), values: Array.from(xc.values), bestLag: xc.bestLag }
      : { lags: [], values: [], bestLag: NaN },
  };
}
