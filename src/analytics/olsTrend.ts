import { backSolve, choleskyInPlace, forwardSolve } from './linalg';
import { toPowerBasis, trendColumns } from './trendTerms';
import { AnalyticsInputError, mean } from './validate';

/** Deterministic terms of a regression: none, constant, + linear trend, + quadratic trend (statsmodels' names). */
export type TrendSpec = 'n' | 'c' | 'ct' | 'ctt';

export interface TrendOlsResult {
  /** Coefficients of the regressors, in order. */
  coefficients: Float64Array;
  /** Coefficients of statsmodels' `add_trend` columns [const, t, t²] (t = 1..n), as many as the trend has. */
  trendCoefficients: Float64Array;
  residuals: Float64Array;
  /** Centred R² with a constant, uncentred for trend 'n' (as statsmodels). */
  rSquared: number;
  ssr: number;
  nobs: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The column with the deterministic terms partialled out: demeaned, then the (orthogonal) trend terms projected off. */
function detrended(v: Float64Array, hasConstant: boolean, terms: Float64Array[], norms: number[]): Float64Array {
  const out = Float64Array.from(v);
  if (hasConstant) {
    const mu = mean(v);
    for (let i = 0; i < out.length; i++) out[i] -= mu;
  }
  terms.forEach((q, k) => {
    const c = dot(out, q) / norms[k];
    for (let i = 0; i < out.length; i++) out[i] -= c * q[i];
  });
  return out;
}

/**
 * OLS of y on the columns of `xs` plus the trend's deterministic terms, equal to statsmodels
 * `OLS(y, add_trend(X, trend, prepend=False))`. The deterministic terms are partialled out first (in the
 * orthogonal basis of `trendTerms`), the regressors' normal equations solved by Cholesky with one step of
 * iterative refinement, so the coefficients carry the accuracy of a QR solve on price-level data.
 */
export function olsWithTrend(y: Float64Array, xs: readonly Float64Array[], trend: TrendSpec): TrendOlsResult {
  const n = y.length;
  const k = xs.length;
  const hasConstant = trend !== 'n';
  const terms = trendColumns(n, trend === 'ctt' ? 2 : trend === 'ct' ? 1 : 0);
  const norms = terms.map((q) => dot(q, q));
  const yt = detrended(y, hasConstant, terms, norms);
  const xt = xs.map((x) => detrended(x, hasConstant, terms, norms));
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) g[i * k + j] = g[j * k + i] = dot(xt[i], xt[j]);
  const { l, rank } = choleskyInPlace(g, k);
  if (rank < k) throw new AnalyticsInputError(`regressor ${rank} is a linear combination of the others (or of the trend terms): drop it`);
  const solve = (rhs: Float64Array) => backSolve(l, k, forwardSolve(l, k, rhs));
  const coef = solve(Float64Array.from(xt, (x) => dot(x, yt)));
  const resid = new Float64Array(n);
  const residual = () => {
    resid.set(yt);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) resid[i] -= coef[j] * xt[j][i];
  };
  residual();
  const step = solve(Float64Array.from(xt, (x) => dot(x, resid)));
  for (let j = 0; j < k; j++) coef[j] += step[j];
  residual();
  // deterministic coefficients in the orthogonal basis, from y − Xβ on the raw columns
  const rest = Float64Array.from(y);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) rest[i] -= coef[j] * xs[j][i];
  const basis = hasConstant ? [mean(rest), ...terms.map((q, c) => dot(rest, q) / norms[c])] : [];
  const ssr = dot(resid, resid);
  const yc = hasConstant ? detrended(y, true, [], []) : y;
  return { coefficients: coef, trendCoefficients: toPowerBasis(basis, n), residuals: resid, rSquared: 1 - ssr / dot(yc, yc), ssr, nobs: n };
}
