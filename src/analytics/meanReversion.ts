import { olsFit } from './ols';
import { AnalyticsInputError, type Series, assertFinite, assertMinLength, isConstant, toFloat64 } from './validate';

/** Ornstein-Uhlenbeck half-life from Δs_t = a + b·s_{t−1} + e_t (OLS with intercept). */
export interface HalfLifeResult {
  /** −ln 2 / b in bars; +Infinity when b ≥ 0 (not mean-reverting). */
  halfLife: number;
  /** Discrete AR(1) form −ln 2 / ln(1 + b); +Infinity when b ≥ 0, NaN when b ≤ −1. */
  halfLifeAr1: number;
  /** The mean-reversion slope b (negative for a mean-reverting spread). */
  slope: number;
  intercept: number;
}

export function halfLife(spreadSeries: Series): HalfLifeResult {
  const s = toFloat64(spreadSeries);
  assertMinLength(s, 3, 'spread', 'the half-life regression');
  assertFinite(s, 'spread');
  if (isConstant(s)) throw new AnalyticsInputError('spread is constant: its half-life is undefined');
  const n = s.length;
  const lagged = s.subarray(0, n - 1);
  const delta = new Float64Array(n - 1);
  for (let t = 1; t < n; t++) delta[t - 1] = s[t] - s[t - 1];
  const fit = olsFit(delta, lagged);
  const b = fit.beta;
  return {
    halfLife: b < 0 ? -Math.LN2 / b : Infinity,
    halfLifeAr1: b >= 0 ? Infinity : b > -1 ? -Math.LN2 / Math.log1p(b) : NaN,
    slope: b,
    intercept: fit.intercept,
  };
}

/**
 * Hurst exponent by the "std of lagged differences" convention: τ_k = std(s[k:] − s[:−k]) (ddof 0)
 * for k = 2..min(maxLag, n//2)−1, H = OLS slope of ln τ_k on ln k. ≈0.5 random walk, < 0.5 mean-reverting.
 */
export function hurst(series: Series, maxLag = 100): number {
  const s = toFloat64(series);
  assertFinite(s, 'series');
  const top = Math.min(maxLag, Math.floor(s.length / 2));
  if (top - 2 < 2) throw new AnalyticsInputError(`series has ${s.length} values: the Hurst exponent needs at least 8 (two lags)`);
  if (isConstant(s)) throw new AnalyticsInputError('series is constant: the Hurst exponent is undefined');
  const logLag: number[] = [];
  const logTau: number[] = [];
  // the mean of s[i+k] − s[i] comes from prefix sums, so each lag costs one pass (centred sum of squares)
  const n = s.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (s[i] - s[0]);
  const taus = new Float64Array(top);
  for (let k = 2; k < top; k++) {
    const m = n - k;
    const mu = (prefix[n] - prefix[k] - prefix[m]) / m;
    let ss = 0;
    let c = 0;
    for (let i = 0; i < m; i++) {
      const d = s[i + k] - s[i] - mu;
      c += d;
      ss += d * d;
    }
    taus[k] = Math.sqrt(Math.max(ss - (c * c) / m, 0) / m);
  }
  for (let k = 2; k < top; k++) {
    if (!(taus[k] > 0)) return NaN; // a lag with no variation: ln 0
    logLag.push(Math.log(k));
    logTau.push(Math.log(taus[k]));
  }
  return olsFit(logTau, logLag).beta;
}
