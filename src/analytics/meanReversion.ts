import { lagKernels } from './kernels/lagKernels';
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
  const taus = lagDifferenceStds(s, top);
  const logLag: number[] = [];
  const logTau: number[] = [];
  for (let k = 2; k < top; k++) {
    if (!(taus[k] > 0)) return NaN; // a lag with no variation: ln 0
    logLag.push(Math.log(k));
    logTau.push(Math.log(taus[k]));
  }
  return olsFit(logTau, logLag).beta;
}

/**
 * τ_k = std(s[k:] − s[:−k]) (ddof 0) for k = 2..top−1 (entries 0 and 1 unused). The means come from prefix sums
 * (the differences telescope), so each lag needs one pass; four lags share each pass (every s[i] load serves four
 * differences), in the SIMD kernel when there is one.
 */
function lagDifferenceStds(s: Float64Array, top: number): Float64Array {
  const n = s.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (s[i] - s[0]);
  const mu = new Float64Array(top);
  for (let k = 2; k < top; k++) mu[k] = (prefix[n] - prefix[k] - prefix[n - k]) / (n - k);
  const taus = new Float64Array(top);
  const sums = new Float64Array(4);
  const kernels = lagKernels();
  const placed = kernels ? kernels.place([s])[0] : 0;
  for (let k = 2; k < top; k += 4) {
    const lags = Math.min(4, top - k);
    let covered = 0; // rows already in sums[q]; each lag's remaining rows are added below
    if (lags === 4) {
      // rows all four lags have: i + k + 3 < n
      const shared = n - k - 3;
      if (kernels) {
        covered = shared - (shared % 2);
        sums.set(kernels.lagDiffSquares4(placed, covered, k, mu.subarray(k, k + 4)));
      } else {
        covered = shared;
        plainLagDiffSquares4(s, shared, k, mu, sums);
      }
    } else {
      sums.fill(0);
    }
    for (let q = 0; q < lags; q++) {
      const lag = k + q;
      let a = sums[q];
      for (let i = covered; i < n - lag; i++) {
        const d = s[i + lag] - s[i] - mu[lag];
        a += d * d;
      }
      taus[lag] = Math.sqrt(a / (n - lag));
    }
  }
  return taus;
}

/** Σ_{i<m} (s[i+k+q] − s[i] − mu[k+q])² for q = 0..3 into out[q]. */
function plainLagDiffSquares4(s: Float64Array, m: number, k: number, mu: Float64Array, out: Float64Array): void {
  const mu0 = mu[k], mu1 = mu[k + 1], mu2 = mu[k + 2], mu3 = mu[k + 3];
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let i = 0; i < m; i++) {
    const si = s[i];
    const b = i + k;
    const d0 = s[b] - si - mu0;
    const d1 = s[b + 1] - si - mu1;
    const d2 = s[b + 2] - si - mu2;
    const d3 = s[b + 3] - si - mu3;
    a0 += d0 * d0;
    a1 += d1 * d1;
    a2 += d2 * d2;
    a3 += d3 * d3;
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
}
