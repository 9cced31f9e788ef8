import { type AdfColumns, type AdfSums, adfColumns, adfGram, adfSums, refitSums } from './adfGram';
import { backSolve, choleskyInPlace, forwardSolve } from './linalg';
import { type CriticalValues, mackinnoncrit, mackinnonp } from './mackinnon';
import { AnalyticsInputError, type Series, assertFinite, assertMinLength, isConstant, toFloat64 } from './validate';

/** Augmented Dickey-Fuller test, equal to statsmodels `adfuller` for regression 'c', 'ct', 'ctt' and 'n'. */
export type AdfRegression = 'c' | 'ct' | 'ctt' | 'n';
export type AdfAutolag = 'aic' | 'bic' | 't-stat' | null;

export interface AdfOptions {
  /** Largest lag considered (default ⌈12·(n/100)^¼⌉, capped at n//2 − ntrend − 1, as statsmodels). */
  maxlag?: number;
  regression?: AdfRegression;
  /** Lag selection; null fits `maxlag` lags directly. Default 'aic'. */
  autolag?: AdfAutolag;
}

export interface AdfResult {
  statistic: number;
  pValue: number;
  usedLag: number;
  /** Rows of the final regression (n − 1 − usedLag). */
  nobs: number;
  criticalValues: CriticalValues;
  /** Best information criterion of the lag search (NaN without autolag). */
  icBest: number;
  maxLag: number;
}

const LN_2PI = Math.log(2 * Math.PI);

export function defaultMaxLag(n: number, ntrend: number): number {
  return Math.min(Math.floor(n / 2) - ntrend - 1, Math.ceil(12 * Math.pow(n / 100, 1 / 4)));
}

function collinear(what: string): AnalyticsInputError {
  return new AnalyticsInputError(`ADF regressors are collinear (${what}): the series is too regular for this lag length; use a smaller maxlag`);
}

/** Picks the lag by information criterion on the common sample (rows t ≥ maxlag), as statsmodels `_autolag`. */
function selectLag(sums: AdfSums, ntrend: number, method: Exclude<AdfAutolag, null>): { lag: number; ic: number } {
  const maxlag = sums.p;
  const { g, m, rows } = adfGram(sums, ntrend > 0);
  const k = m - 1;
  const { l, rank } = choleskyInPlace(g, m, k);
  if (rank < 1) throw collinear('level');
  const rhs = new Float64Array(k);
  for (let i = 0; i < k; i++) rhs[i] = g[i * m + k];
  const b = forwardSolve(l, m, rhs, rank);
  let ssr = g[k * m + k];
  const ssrs: number[] = [];
  for (let j = 0; j < rank; j++) {
    ssr -= b[j] * b[j];
    ssrs.push(ssr);
  }
  if (method === 't-stat') {
    // statsmodels walks down from maxlag and stops at the first |t| of the last lag ≥ 1.645
    for (let lag = maxlag; lag >= 0; lag--) {
      const cols = lag + 1;
      if (cols > rank) throw collinear(`lag ${lag}`);
      const t = Math.abs(b[cols - 1]) / Math.sqrt(ssrs[cols - 1] / (rows - cols - ntrend));
      if (t >= 1.6448536269514722 || lag === 0) return { lag, ic: t };
    }
  }
  let best = { lag: 0, ic: Infinity };
  for (let lag = 0; lag <= maxlag; lag++) {
    const cols = lag + 1;
    if (cols > rank) throw collinear(`lag ${lag}`);
    const llf = (-rows / 2) * (LN_2PI + Math.log(ssrs[cols - 1] / rows) + 1);
    const params = cols + ntrend;
    const ic = method === 'aic' ? -2 * llf + 2 * params : -2 * llf + Math.log(rows) * params;
    if (ic < best.ic) best = { lag, ic };
  }
  return best;
}

/** t-statistic of γ in the regression with `lag` lags on rows t ≥ lag (from the lag search's sums when given). */
function gammaTStat(cols: AdfColumns, lag: number, ntrend: number, search?: AdfSums): { stat: number; nobs: number } {
  const { g, m, rows } = adfGram(search ? refitSums(search, cols, lag) : adfSums(cols, lag, lag, trendOrder(ntrend)), ntrend > 0);
  const k = m - 1;
  const { l, rank } = choleskyInPlace(g, m, k);
  if (rank < k) throw collinear(`lag ${lag}`);
  const rhs = new Float64Array(k);
  for (let i = 0; i < k; i++) rhs[i] = g[i * m + k];
  const z = forwardSolve(l, m, rhs, k);
  const coef = backSolve(l, m, z, k);
  let ssr = g[k * m + k];
  for (let j = 0; j < k; j++) ssr -= z[j] * z[j];
  // (GᵀG)⁻¹[0,0] = ‖L⁻¹e₀‖²
  const e0 = new Float64Array(k);
  e0[0] = 1;
  const w = forwardSolve(l, m, e0, k);
  let inv00 = 0;
  for (let j = 0; j < k; j++) inv00 += w[j] * w[j];
  const dof = rows - k - ntrend;
  return { stat: coef[0] / Math.sqrt((Math.max(ssr, 0) / dof) * inv00), nobs: rows };
}

function checkedSeries(series: Series): Float64Array {
  const x = toFloat64(series);
  assertMinLength(x, 6, 'x', 'the ADF test');
  assertFinite(x, 'x');
  if (isConstant(x)) throw new AnalyticsInputError('x is constant: the ADF test is undefined for a series with no variation (statsmodels: "Invalid input, x is constant")');
  return x;
}

/** Deterministic columns of the regression: constant, t, t² (statsmodels' `ntrend`). */
export function trendCount(regression: AdfRegression): number {
  return regression === 'n' ? 0 : regression.length;
}

/** The number of time-trend terms beside the constant. */
function trendOrder(ntrend: number): number {
  return Math.max(0, ntrend - 1);
}

function resolveMaxLag(n: number, regression: AdfRegression, requested: number | undefined): number {
  const ntrend = trendCount(regression);
  if (requested === undefined) {
    const maxlag = defaultMaxLag(n, ntrend);
    if (maxlag < 0) throw new AnalyticsInputError(`x has ${n} values: too short for the ADF regression with regression '${regression}'`);
    return maxlag;
  }
  const limit = Math.floor(n / 2) - ntrend - 1;
  if (!Number.isInteger(requested) || requested < 0) throw new AnalyticsInputError(`maxlag must be a non-negative integer, got ${requested}`);
  if (requested > limit) throw new AnalyticsInputError(`maxlag ${requested} is too large for ${n} values: it must be ≤ n//2 − ntrend − 1 = ${limit}`);
  return requested;
}

function resolveAutolag(opts: AdfOptions): AdfAutolag {
  const autolag = opts.autolag === undefined ? 'aic' : opts.autolag;
  if (autolag !== null && autolag !== 'aic' && autolag !== 'bic' && autolag !== 't-stat') {
    throw new AnalyticsInputError(`autolag must be 'aic', 'bic', 't-stat' or null, got "${String(autolag)}"`);
  }
  return autolag;
}

/** The test on prepared columns; `searchSums` (cross sums at maxlag) may be shared between regressions. */
function adfOnColumns(cols: AdfColumns, regression: AdfRegression, maxlag: number, autolag: AdfAutolag, searchSums?: AdfSums): AdfResult {
  const ntrend = trendCount(regression);
  let usedLag = maxlag;
  let icBest = NaN;
  const search = autolag !== null ? searchSums ?? adfSums(cols, maxlag, maxlag, trendOrder(ntrend)) : undefined;
  if (search && autolag !== null) {
    const best = selectLag(search, ntrend, autolag);
    usedLag = best.lag;
    icBest = best.ic;
  }
  const { stat, nobs } = gammaTStat(cols, usedLag, ntrend, search);
  return {
    statistic: stat,
    pValue: mackinnonp(stat, regression, 1),
    usedLag,
    nobs,
    criticalValues: mackinnoncrit(1, regression, nobs),
    icBest,
    maxLag: maxlag,
  };
}

export function adfuller(series: Series, opts: AdfOptions = {}): AdfResult {
  const regression = opts.regression ?? 'c';
  if (regression !== 'c' && regression !== 'ct' && regression !== 'ctt' && regression !== 'n') {
    throw new AnalyticsInputError(`ADF regression must be 'c', 'ct', 'ctt' or 'n', got "${String(regression)}"`);
  }
  const autolag = resolveAutolag(opts);
  const x = checkedSeries(series);
  return adfOnColumns(adfColumns(x), regression, resolveMaxLag(x.length, regression, opts.maxlag), autolag);
}

/**
 * `adfuller` with regression 'c' and with 'n' on the same series, sharing the lag search's cross products
 * (e.g. the spread test and the Engle-Granger residual test of one OLS fit). Equal to two separate calls.
 */
export function adfullerBoth(series: Series, opts: Omit<AdfOptions, 'regression'> = {}): { c: AdfResult; n: AdfResult } {
  const autolag = resolveAutolag(opts);
  const x = checkedSeries(series);
  const cols = adfColumns(x);
  const maxC = resolveMaxLag(x.length, 'c', opts.maxlag);
  const maxN = resolveMaxLag(x.length, 'n', opts.maxlag);
  const shared = autolag !== null && maxC === maxN ? adfSums(cols, maxC, maxC) : undefined;
  return { c: adfOnColumns(cols, 'c', maxC, autolag, shared), n: adfOnColumns(cols, 'n', maxN, autolag, shared) };
}
