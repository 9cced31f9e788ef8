import { AnalyticsInputError, type Series, assertSameLength, toFloat64 } from './validate';

/**
 * spread_t = y_t − (α_t + β_t·x_t). `beta`/`alpha` are a constant or a per-bar series (e.g. a rolling or
 * Kalman hedge ratio); NaN hedge ratios give NaN spread (not defined yet).
 */
export function spread(y: Series, x: Series, beta: number | Series, alpha: number | Series = 0): Float64Array {
  const yf = toFloat64(y);
  const xf = toFloat64(x);
  assertSameLength(yf, xf, 'y', 'x');
  const n = yf.length;
  const b = typeof beta === 'number' ? null : toFloat64(beta);
  const a = typeof alpha === 'number' ? null : toFloat64(alpha);
  if (b) assertSameLength(b, yf, 'beta', 'y');
  if (a) assertSameLength(a, yf, 'alpha', 'y');
  if (typeof beta === 'number' && !Number.isFinite(beta)) throw new AnalyticsInputError(`beta is ${beta}: a hedge ratio must be finite`);
  if (typeof alpha === 'number' && !Number.isFinite(alpha)) throw new AnalyticsInputError(`alpha is ${alpha}: an intercept must be finite`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bi = b ? b[i] : (beta as number);
    const ai = a ? a[i] : (alpha as number);
    out[i] = yf[i] - (ai + bi * xf[i]);
  }
  return out;
}
