import { adfullerBoth, type AdfResult } from './adf';
import { coint, cointFromFit, type CointResult } from './coint';
import { crossCorrelation, type CrossCorrelation, returns } from './correlation';
import { halfLife, hurst, type HalfLifeResult } from './meanReversion';
import { ols } from './ols';
import { type PairModelOptions } from './pairModel';
import { pairSeries, type PairSeriesResult } from './pairSeries';
import { type Series, finitePair, toFloat64 } from './validate';

/**
 * Everything the panel shows for one pair over a loaded range: the bar-by-bar series (hedge ratio, spread,
 * z-score, correlation — each from trailing data only, see `pairSeries`) and whole-range statistics
 * (in-sample OLS fit, ADF of the OLS spread, Engle-Granger both ways, half-life, Hurst, lead-lag).
 */
export interface PairSnapshotOptions extends PairModelOptions {
  /** Cross-correlation lags −L..L of returns (default 5). */
  maxLeadLag?: number;
  /** Skip the Engle-Granger tests (they cost two ADF searches). */
  skipCoint?: boolean;
}

export interface PairSnapshot {
  series: PairSeriesResult;
  /** In-sample statistics over the whole range (they use every bar in it). */
  inSample: {
    beta: number;
    intercept: number;
    rSquared: number;
    adf: AdfResult;
    cointYX: CointResult | null;
    cointXY: CointResult | null;
    halfLife: HalfLifeResult;
    hurst: number;
    leadLag: CrossCorrelation;
  };
  /** Values at the last bar. */
  latest: { time: number; beta: number; alpha: number; spread: number; zScore: number; correlation: number; adfPValue: number };
}

export function pairSnapshot(times: Series, y: Series, x: Series, opts: PairSnapshotOptions): PairSnapshot {
  const [yf, xf] = finitePair(y, x, 20, 'a pair snapshot');
  const series = pairSeries(toFloat64(times), yf, xf, opts);
  const fit = ols(yf, xf);
  const last = yf.length - 1;
  // one lag search serves the spread's ADF ('c') and the Engle-Granger residual test ('n')
  const residualAdf = adfullerBoth(fit.residuals, { autolag: 'aic' });
  return {
    series,
    inSample: {
      beta: fit.beta,
      intercept: fit.intercept,
      rSquared: fit.rSquared,
      adf: residualAdf.c,
      cointYX: opts.skipCoint ? null : cointFromFit(fit, residualAdf.n),
      cointXY: opts.skipCoint ? null : coint(xf, yf),
      halfLife: halfLife(fit.residuals),
      hurst: hurst(fit.residuals),
      leadLag: crossCorrelation(returns(yf).subarray(1), returns(xf).subarray(1), Math.min(opts.maxLeadLag ?? 5, yf.length - 3)),
    },
    latest: {
      time: series.time[last],
      beta: series.beta[last],
      alpha: series.alpha[last],
      spread: series.spread[last],
      zScore: series.zScore[last],
      correlation: series.correlation[last],
      adfPValue: series.adfPValue[last],
    },
  };
}
