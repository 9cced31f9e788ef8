import { adfuller, type AdfAutolag, type AdfResult } from './adf';
import { type CriticalValues, mackinnoncrit, mackinnonp } from './mackinnon';
import { ols, type OlsResult } from './ols';
import { AnalyticsInputError, type Series, finitePair, isConstant } from './validate';

/**
 * Engle-Granger two-step cointegration test of y on x, equal to statsmodels `coint(y, x)`:
 * OLS of y on [x, const] (or [x] for trend 'n'), then ADF *without* constant on the residuals,
 * with MacKinnon p-value and critical values for N = 2 series. coint(y, x) ≠ coint(x, y).
 */
export interface CointOptions {
  trend?: 'c' | 'n';
  maxlag?: number;
  autolag?: AdfAutolag;
}

export interface CointResult {
  statistic: number;
  pValue: number;
  criticalValues: CriticalValues;
  /** Lag chosen by the residual ADF. */
  usedLag: number;
  /** The cointegrating regression's hedge ratio and intercept (0 for trend 'n'). */
  beta: number;
  intercept: number;
  /** True when y and x are (almost) perfectly collinear; statistic −∞ and p-value 0 as statsmodels. */
  collinear: boolean;
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);

function noConstantFit(y: Float64Array, x: Float64Array): { beta: number; resid: Float64Array; r2: number } {
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < y.length; i++) {
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
    syy += y[i] * y[i];
  }
  const beta = sxy / sxx;
  const resid = new Float64Array(y.length);
  let ssr = 0;
  for (let i = 0; i < y.length; i++) {
    resid[i] = y[i] - beta * x[i];
    ssr += resid[i] * resid[i];
  }
  return { beta, resid, r2: 1 - ssr / syy }; // uncentred R², as statsmodels without a constant
}

export function coint(y: Series, x: Series, opts: CointOptions = {}): CointResult {
  const trend = opts.trend ?? 'c';
  if (trend !== 'c' && trend !== 'n') throw new AnalyticsInputError(`coint trend must be 'c' or 'n', got "${String(trend)}"`);
  const [yf, xf] = finitePair(y, x, 6, 'the Engle-Granger test');
  if (isConstant(yf)) throw new AnalyticsInputError('y is constant: cointegration is undefined for a series with no variation');
  if (isConstant(xf)) throw new AnalyticsInputError('x is constant: cointegration is undefined for a series with no variation');
  let beta: number, intercept: number, resid: Float64Array, r2: number;
  if (trend === 'c') {
    const fit = ols(yf, xf);
    ({ beta, intercept, residuals: resid, rSquared: r2 } = fit);
  } else {
    ({ beta, resid, r2 } = noConstantFit(yf, xf));
    intercept = 0;
  }
  const n = yf.length;
  const criticalValues = trend === 'c' ? mackinnoncrit(2, 'c', n - 1) : { '1%': NaN, '5%': NaN, '10%': NaN };
  if (!(r2 < 1 - 100 * SQRT_EPS)) {
    return { statistic: -Infinity, pValue: 0, criticalValues, usedLag: 0, beta, intercept, collinear: true };
  }
  const adf = adfuller(resid, { regression: 'n', maxlag: opts.maxlag, autolag: opts.autolag === undefined ? 'aic' : opts.autolag });
  return {
    statistic: adf.statistic,
    pValue: mackinnonp(adf.statistic, trend, 2),
    criticalValues,
    usedLag: adf.usedLag,
    beta,
    intercept,
    collinear: false,
  };
}

/**
 * Engle-Granger (trend 'c') from an OLS fit of y on x that is already at hand and the ADF ('n', AIC lags)
 * of its residuals, e.g. from `adfullerBoth`; equal to `coint(y, x)` on the same data.
 */
export function cointFromFit(fit: OlsResult, residualAdf: AdfResult): CointResult {
  const criticalValues = mackinnoncrit(2, 'c', fit.nobs - 1);
  const base = { criticalValues, beta: fit.beta, intercept: fit.intercept };
  if (!(fit.rSquared < 1 - 100 * SQRT_EPS)) return { ...base, statistic: -Infinity, pValue: 0, usedLag: 0, collinear: true };
  return { ...base, statistic: residualAdf.statistic, pValue: mackinnonp(residualAdf.statistic, 'c', 2), usedLag: residualAdf.usedLag, collinear: false };
}
