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
  // the mean of s[i+k] − s[i] comes from prefix sums; the centred sums of squares take one sweep per four lags
  const prefix = new Float64Array(s.length + 1);
  for (let i = 0; i < s.length; i++) prefix[i + 1] = prefix[i] + (s[i] - s[0]);
  const n = s.length;
  const meanDiff = (k: number) => (prefix[n] - prefix[k] - prefix[n - k]) / (n - k);
  const taus = new Float64Array(top);
  const finish = (k: number, ss: number, c: number, from: number) => {
    const m = n - k;
    const mu = meanDiff(k);
    for (let i = from; i < m; i++) {
      const d = s[i + k] - s[i] - mu;
      c += d;
      ss += d * d;
    }
    taus[k] = Math.sqrt(Math.max(ss - (c * c) / m, 0) / m);
  };
  let k = 2;
  for (; k + 3 < top; k += 4) {
    const mu0 = meanDiff(k), mu1 = meanDiff(k + 1), mu2 = meanDiff(k + 2), mu3 = meanDiff(k + 3);
    let ss0 = 0, ss1 = 0, ss2 = 0, ss3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    const common = n - (k + 3);
    for (let i = 0; i < common; i++) {
      const si = s[i];
      const d0 = s[i + k] - si - mu0;
      const d1 = s[i + k + 1] - si - mu1;
      const d2 = s[i + k + 2] - si - mu2;
      const d3 = s[i + k + 3] - si - mu3;
      c0 += d0;
      c1 += d1;
      c2 += d2;
      c3 += d3;
      ss0 += d0 * d0;
      ss1 += d1 * d1;
      ss2 += d2 * d2;
      ss3 += d3 * d3;
    }
    finish(k, ss0, c0, common);
    finish(k + 1, ss1, c1, common);
    finish(k + 2, ss2, c2, common);
    finish(k + 3, ss3, c3, common);
  }
  for (; k < top; k++) finish(k, 0, 0, 0);
  for (let k = 2; k < top; k++) {
    if (!(taus[k] > 0)) return NaN; // a lag with no variation: ln 0
    logLag.push(Math.log(k));
    logTau.push(Math.log(taus[k]));
  }
  return olsFit(logTau, logLag).beta;
}
