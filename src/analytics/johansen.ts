import { johansenMaxEig, johansenTrace } from './johansenTables';
import { johansenMoments } from './johansenMoments';
import { backSolve, choleskyInPlace, forwardSolve, jacobiSvd } from './linalg';
import { AnalyticsInputError, type Series, assertFinite, isConstant, toFloat64 } from './validate';

/**
 * Johansen cointegration test, equal to statsmodels `coint_johansen(endog, det_order, k_ar_diff)`:
 * eigenvalues of S11⁻¹·S10·S00⁻¹·S01 from the reduced-rank regression of ΔY_t on Y_{t−k} given
 * ΔY_{t−1..t−k}, trace and max-eigenvalue statistics, MacKinnon-Haug-Michelis critical values.
 * The residual moment matrices come from one compensated pass over the rows (`johansenMoments`) and a Schur
 * complement, never from materialised residuals; the eigenvalues are squared singular values (one-sided Jacobi)
 * and the statistics use log1p, so small eigenvalues keep their relative accuracy.
 */
export interface JohansenResult {
  /** Eigenvalues, descending. */
  eigenvalues: Float64Array;
  /** eigenvectors[j] is the cointegrating vector of eigenvalue j, scaled so vᵀS11v = 1, first nonzero entry positive. */
  eigenvectors: Float64Array[];
  /** Trace statistics lr1[r] for H0: rank ≤ r. */
  traceStat: Float64Array;
  /** Max-eigenvalue statistics lr2[r] for H0: rank = r vs r + 1. */
  maxEigStat: Float64Array;
  /** Critical values [90%, 95%, 99%] per row r (NaN beyond the tables' 12 series). */
  traceCrit: number[][];
  maxEigCrit: number[][];
  /** Rows of the reduced-rank regression (n − 1 − kArDiff). */
  nobs: number;
}

/** statsmodels' `detrend(y, 1)` slope on linspace(−1, 1, n), per series (the level columns' only dependence on det_order 1). */
function trendSlope(y: Float64Array): number {
  const n = y.length;
  const tt = (i: number) => (n === 1 ? -1 : -1 + (2 * i) / (n - 1));
  let mu = 0;
  for (let i = 0; i < n; i++) mu += y[i];
  mu /= n;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    stt += tt(i) * tt(i);
    sty += tt(i) * (y[i] - mu);
  }
  return sty / stt;
}

/** The level columns Y_{t−1}: raw (det_order −1, 0: the demeaning removes any constant) or with the linear trend removed. */
function lagLevels(y: Float64Array, detOrder: number): Float64Array {
  if (detOrder < 1) return y;
  const n = y.length;
  const slope = trendSlope(y);
  return Float64Array.from(y, (v, i) => v - slope * (n === 1 ? -1 : -1 + (2 * i) / (n - 1)));
}

/** Lower Cholesky factor of a k×k block, or a clear error. */
function factor(a: Float64Array, k: number): Float64Array {
  const { l, rank } = choleskyInPlace(a, k);
  if (rank < k) throw new AnalyticsInputError('Johansen: singular moment matrix (a series is constant or a linear combination of the others)');
  return l;
}

export function johansen(data: ReadonlyArray<Series>, detOrder: number, kArDiff: number): JohansenResult {
  const m = data.length;
  if (m < 1) throw new AnalyticsInputError('Johansen needs at least one series');
  if (!Number.isInteger(kArDiff) || kArDiff < 0) throw new AnalyticsInputError(`kArDiff must be a non-negative integer, got ${kArDiff}`);
  if (detOrder !== -1 && detOrder !== 0 && detOrder !== 1) throw new AnalyticsInputError(`detOrder must be −1 (none), 0 (constant) or 1 (linear trend), got ${detOrder}`);
  const cols = data.map(toFloat64);
  const n = cols[0].length;
  cols.forEach((c, j) => {
    if (c.length !== n) throw new AnalyticsInputError(`series ${j} has ${c.length} values but series 0 has ${n}: align them first`);
    if (isConstant(c)) throw new AnalyticsInputError(`series ${j} is constant: the Johansen test is undefined (statsmodels: "Singular matrix")`);
  });
  const rowsOut = n - 1 - kArDiff;
  if (rowsOut < m * (kArDiff + 1) + 2) throw new AnalyticsInputError(`${n} observations are too few for ${m} series with kArDiff ${kArDiff}`);
  const center = detOrder > -1;
  const { g, c, levelTransform } = johansenMoments(cols, cols.map((col) => lagLevels(col, detOrder)), kArDiff, center);
  // a NaN or ±Infinity anywhere in the input reaches the moments, so the inputs are scanned only to name it
  if (!g.every(Number.isFinite)) {
    cols.forEach((col, j) => assertFinite(col, `series ${j}`));
    throw new AnalyticsInputError('Johansen: the moment matrix overflowed (values beyond ~1e150); rescale the series first');
  }
  // partial the lagged differences out: S = G_ww − G_wz·G_zz⁻¹·G_zw for w = [ΔY, Y_{t−1}]
  const w = 2 * m;
  const kz = c - w;
  const s = new Float64Array(w * w);
  for (let i = 0; i < w; i++) for (let j = 0; j < w; j++) s[i * w + j] = g[i * c + j];
  if (kz > 0) {
    const gzz = new Float64Array(kz * kz);
    for (let i = 0; i < kz; i++) for (let j = 0; j < kz; j++) gzz[i * kz + j] = g[(w + i) * c + w + j];
    const { l, rank } = choleskyInPlace(gzz, kz);
    if (rank < kz) throw new AnalyticsInputError('Johansen: the lagged differences are collinear (a series is constant or an exact copy); drop it or lower kArDiff');
    const b = Array.from({ length: w }, (_, i) => forwardSolve(l, kz, Float64Array.from({ length: kz }, (_, q) => g[(w + q) * c + i])));
    for (let i = 0; i < w; i++) {
      for (let j = i; j < w; j++) {
        let d = 0;
        for (let q = 0; q < kz; q++) d += b[i][q] * b[j][q];
        s[i * w + j] -= d;
        s[j * w + i] = s[i * w + j];
      }
    }
  }
  const block = (r0: number, c0: number) => {
    const out = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i * m + j] = s[(r0 + i) * w + c0 + j] / rowsOut;
    return out;
  };
  const s00 = block(0, 0);
  const s11 = block(m, m);
  const s10 = block(m, 0);
  // the eigenvalues of S11⁻¹S10S00⁻¹S01 are σ² of A = L11⁻¹·S10·L00⁻ᵀ (never forming the product, so small
  // eigenvalues keep their relative accuracy); v = L11⁻ᵀu for A's left singular vectors u has vᵀS11v = 1
  const l00 = factor(s00, m);
  const l11 = factor(s11, m);
  const half = new Float64Array(m * m);
  for (let col = 0; col < m; col++) {
    const z = forwardSolve(l11, m, Float64Array.from({ length: m }, (_, i) => s10[i * m + col]));
    for (let i = 0; i < m; i++) half[i * m + col] = z[i];
  }
  // Aᵀ = L00⁻¹·(L11⁻¹S10)ᵀ, column by column
  const at = new Float64Array(m * m);
  for (let col = 0; col < m; col++) {
    const z = forwardSolve(l00, m, Float64Array.from({ length: m }, (_, i) => half[col * m + i]));
    for (let i = 0; i < m; i++) at[i * m + col] = z[i];
  }
  const svd = jacobiSvd(at, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((p, q) => svd.values[q] - svd.values[p]);
  const eigenvalues = Float64Array.from(order, (i) => Math.min(svd.values[i] * svd.values[i], 1 - 1e-16));
  const eigenvectors = order.map((col) => {
    const inBasis = backSolve(l11, m, Float64Array.from({ length: m }, (_, i) => svd.vectors[i * m + col]));
    const v = Float64Array.from({ length: m }, (_, i) => {
      let sum = 0;
      for (let q = 0; q < m; q++) sum += levelTransform[i * m + q] * inBasis[q];
      return sum;
    });
    const lead = v.find((e) => e !== 0) ?? 1;
    if (lead < 0) for (let i = 0; i < m; i++) v[i] = -v[i];
    return v;
  });
  const traceStat = new Float64Array(m);
  const maxEigStat = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    maxEigStat[i] = -rowsOut * Math.log1p(-eigenvalues[i]);
    let sum = 0;
    for (let j = i; j < m; j++) sum += Math.log1p(-eigenvalues[j]);
    traceStat[i] = -rowsOut * sum;
  }
  const table = (t: Record<string, number[][]>, size: number) => t[String(detOrder)]?.[size - 1] ?? [NaN, NaN, NaN];
  return {
    eigenvalues,
    eigenvectors,
    traceStat,
    maxEigStat,
    traceCrit: Array.from({ length: m }, (_, i) => [...table(johansenTrace, m - i)]),
    maxEigCrit: Array.from({ length: m }, (_, i) => [...table(johansenMaxEig, m - i)]),
    nobs: rowsOut,
  };
}
