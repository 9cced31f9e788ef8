/**
 * The deflated Sharpe ratio (Bailey & López de Prado, 2014): the probability that a Sharpe ratio chosen
 * as the best of `trials` backtests beats what the best of that many worthless strategies would show,
 * given the length, skewness and kurtosis of its returns. Everything is per bar (not annualised).
 */
import { normalCdf } from '../analytics';

const EULER_GAMMA = 0.5772156649015329;

// Acklam's rational approximation, then one Halley step on the erfc-based Φ (error far below 1e-12).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p), the standard normal quantile. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The Sharpe ratio the best of `trials` independent zero-skill strategies would be expected to show. */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1) return 0;
  return Math.sqrt(sharpeVariance) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)));
}

export interface DeflatedSharpeInput {
  /** Per-bar Sharpe ratio of the chosen strategy. */
  sharpe: number;
  /** Number of returns it was measured on. */
  bars: number;
  skewness: number;
  /** Kurtosis (3 for a normal distribution, not the excess). */
  kurtosis: number;
  /** How many parameter sets were tried. */
  trials: number;
  /** Variance of the per-bar Sharpe ratios across the trials. */
  sharpeVariance: number;
}

export function deflatedSharpe(i: DeflatedSharpeInput): number {
  const benchmark = expectedMaxSharpe(i.trials, i.sharpeVariance);
  const sr = i.sharpe;
  const spread = 1 - i.skewness * sr + ((i.kurtosis - 1) / 4) * sr * sr;
  if (!(spread > 0) || !(i.bars > 1)) return NaN;
  return normalCdf(((sr - benchmark) * Math.sqrt(i.bars - 1)) / Math.sqrt(spread));
}

/** Sample skewness and kurtosis (population moments, as in the paper). */
export function returnMoments(returns: Float64Array): { skewness: number; kurtosis: number } {
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { skewness: m3 / Math.pow(m2, 1.5), kurtosis: m4 / (m2 * m2) };
}
