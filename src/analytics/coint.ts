import { adfuller, type AdfAutolag, type AdfResult } from './adf';
import { type CriticalValues, mackinnoncrit, mackinnonp } from './mackinnon';
import { ols, type OlsResult } from './ols';
import { olsWithTrend, type TrendSpec } from './olsTrend';
import { AnalyticsInputError, type Series, assertFinite, finitePair, isConstant, toFloat64 } from './validate';

/**
 * Engle-Granger two-step cointegration test of y on one or more regressors, equal to statsmodels `coint(y, X)`:
 * OLS of y on [X, trend terms], then ADF *without* constant on the residuals, with MacKinnon p-value and critical
 * values for N = 1 + number of regressors (2..6). coint(y, x) ≠ coint(x, y).
 */
export interface CointOptions {
  /** Deterministic terms of the cointegrating regression (default 'c'); 'n' has no critical values (NaN), as statsmodels. */
  trend?: TrendSpec;
  maxlag?: number;
  autolag?: AdfAutolag;
}

export interface CointResult {
  statistic: number;
  pValue: number;
  criticalValues: CriticalValues;
  /** Lag chosen by the residual ADF. */
  usedLag: number;
  /** The first regressor's coefficient and the constant (0 for trend 'n'). */
  beta: number;
  intercept: number;
  /** Coefficients of all regressors, in order (plain arrays: results travel as JSON in snapshots). */
  betas: number[];
  /** statsmodels' trend coefficients [const, t, t²] (t = 1..n), as many as the trend has. */
  trendCoefficients: number[];
  /** Cointegrating vector on [y, x1, …, xk]: [1, −β1, …, −βk]. */
  vector: number[];
  /** True when y is (almost) a perfect combination of the regressors; statistic −∞ and p-value 0 as statsmodels. */
  collinear: boolean;
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);
/** MacKinnon's tables stop at N = 6 series. */
const MAX_REGRESSORS = 5;
const NO_CRIT: CriticalValues = { '1%': NaN, '5%': NaN, '10%': NaN };

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

function isSeriesList(x: Series | ReadonlyArray<Series>): x is ReadonlyArray<Series> {
  return x.length > 0 && typeof x[0] !== 'number';
}

function checkedRegressors(y: Series, x: Series | ReadonlyArray<Series>): { yf: Float64Array; xs: Float64Array[] } {
  if (!isSeriesList(x)) {
    const [yf, xf] = finitePair(y, x, 6, 'the Engle-Granger test');
    if (isConstant(xf)) throw new AnalyticsInputError('x is constant: cointegration is undefined for a series with no variation');
    return { yf, xs: [xf] };
  }
  if (x.length > MAX_REGRESSORS) throw new AnalyticsInputError(`coint takes 1..${MAX_REGRESSORS} regressors (MacKinnon's tables cover N ≤ 6 series), got ${x.length}`);
  const { yf } = checkedRegressors(y, x[0]);
  const xs = x.map((col, j) => {
    const xf = toFloat64(col);
    if (xf.length !== yf.length) throw new AnalyticsInputError(`regressor ${j} has ${xf.length} values but y has ${yf.length}: align them first`);
    assertFinite(xf, `regressor ${j}`);
    if (isConstant(xf)) throw new AnalyticsInputError(`regressor ${j} is constant: cointegration is undefined for a series with no variation`);
    return xf;
  });
  return { yf, xs };
}

function fitFor(yf: Float64Array, xs: Float64Array[], trend: TrendSpec) {
  if (xs.length === 1 && trend === 'c') {
    const f = ols(yf, xs[0]);
    return { betas: [f.beta], trendCoefficients: [f.intercept], resid: f.residuals, r2: f.rSquared };
  }
  if (xs.length === 1 && trend === 'n') {
    const f = noConstantFit(yf, xs[0]);
    return { betas: [f.beta], trendCoefficients: [], resid: f.resid, r2: f.r2 };
  }
  const f = olsWithTrend(yf, xs, trend);
  return { betas: Array.from(f.coefficients), trendCoefficients: Array.from(f.trendCoefficients), resid: f.residuals, r2: f.rSquared };
}

function vectorOf(betas: number[]): number[] {
  return [1, ...betas.map((b) => -b)];
}

/** `x` is one regressor or a list of up to 5 (y plus them: N ≤ 6 series). */
export function coint(y: Series, x: Series | ReadonlyArray<Series>, opts: CointOptions = {}): CointResult {
  const trend = opts.trend ?? 'c';
  if (trend !== 'c' && trend !== 'ct' && trend !== 'ctt' && trend !== 'n') throw new AnalyticsInputError(`coint trend must be 'c', 'ct', 'ctt' or 'n', got "${String(trend)}"`);
  const { yf, xs } = checkedRegressors(y, x);
  if (isConstant(yf)) throw new AnalyticsInputError('y is constant: cointegration is undefined for a series with no variation');
  const series = xs.length + 1;
  const { betas, trendCoefficients, resid, r2 } = fitFor(yf, xs, trend);
  const n = yf.length;
  const criticalValues = trend === 'n' ? NO_CRIT : mackinnoncrit(series, trend, n - 1);
  const base = { criticalValues, beta: betas[0], intercept: trend === 'n' ? 0 : trendCoefficients[0], betas, trendCoefficients, vector: vectorOf(betas) };
  if (!(r2 < 1 - 100 * SQRT_EPS)) return { ...base, statistic: -Infinity, pValue: 0, usedLag: 0, collinear: true };
  const adf = adfuller(resid, { regression: 'n', maxlag: opts.maxlag, autolag: opts.autolag === undefined ? 'aic' : opts.autolag });
  return { ...base, statistic: adf.statistic, pValue: mackinnonp(adf.statistic, trend, series), usedLag: adf.usedLag, collinear: false };
}

/**
 * Engle-Granger (trend 'c') from an OLS fit of y on x that is already at hand and the ADF ('n', AIC lags)
 * of its residuals, e.g. from `adfullerBoth`; equal to `coint(y, x)` on the same data.
 */
export function cointFromFit(fit: OlsResult, residualAdf: AdfResult): CointResult {
  const criticalValues = mackinnoncrit(2, 'c', fit.nobs - 1);
  const betas = [fit.beta];
  const base = { criticalValues, beta: fit.beta, intercept: fit.intercept, betas, trendCoefficients: [fit.intercept], vector: vectorOf(betas) };
  if (!(fit.rSquared < 1 - 100 * SQRT_EPS)) return { ...base, statistic: -Infinity, pValue: 0, usedLag: 0, collinear: true };
  return { ...base, statistic: residualAdf.statistic, pValue: mackinnonp(residualAdf.statistic, 'c', 2), usedLag: residualAdf.usedLag, collinear: false };
}
