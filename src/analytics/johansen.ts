import { johansenMaxEig, johansenTrace } from './johansenTables';
import { backSolve, choleskyInPlace, forwardSolve, matMul, spdInverse, symmetricEigen, transpose } from './linalg';
import { AnalyticsInputError, type Series, assertFinite, isConstant, toFloat64 } from './validate';

/**
 * Johansen cointegration test, equal to statsmodels `coint_johansen(endog, det_order, k_ar_diff)`:
 * eigenvalues of S11⁻¹·S10·S00⁻¹·S01 from the reduced-rank regression of ΔY_t on Y_{t−k} given
 * ΔY_{t−1..t−k}, trace and max-eigenvalue statistics, MacKinnon-Haug-Michelis critical values.
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

type Matrix = { rows: number; cols: number; a: Float64Array };

function detrend(m: Matrix, order: number): void {
  if (order < 0 || m.cols === 0) return;
  const { rows, cols, a } = m;
  // time regressor linspace(−1, 1, rows), centred by construction
  const tt = (i: number) => (rows === 1 ? -1 : -1 + (2 * i) / (rows - 1));
  let stt = 0;
  for (let i = 0; i < rows; i++) stt += tt(i) * tt(i);
  for (let c = 0; c < cols; c++) {
    let mu = 0;
    for (let i = 0; i < rows; i++) mu += a[i * cols + c];
    mu /= rows;
    let slope = 0;
    if (order >= 1) {
      let sty = 0;
      for (let i = 0; i < rows; i++) sty += tt(i) * (a[i * cols + c] - mu);
      slope = sty / stt;
    }
    for (let i = 0; i < rows; i++) a[i * cols + c] -= mu + slope * (order >= 1 ? tt(i) : 0);
  }
}

/** y − Z·(ZᵀZ)⁻¹Zᵀy, column by column (Z has full column rank for non-degenerate data). */
function residualize(y: Matrix, z: Matrix): Matrix {
  if (z.cols === 0) return y;
  const zt = transpose(z.a, z.rows, z.cols);
  const ztz = matMul(zt, z.a, z.cols, z.rows, z.cols);
  const { l, rank } = choleskyInPlace(ztz, z.cols);
  if (rank < z.cols) throw new AnalyticsInputError('Johansen: the lagged differences are collinear (a series is constant or an exact copy); drop it or lower kArDiff');
  const zty = matMul(zt, y.a, z.cols, z.rows, y.cols);
  const coef = new Float64Array(z.cols * y.cols);
  for (let c = 0; c < y.cols; c++) {
    const rhs = Float64Array.from({ length: z.cols }, (_, i) => zty[i * y.cols + c]);
    const sol = backSolve(l, z.cols, forwardSolve(l, z.cols, rhs));
    for (let i = 0; i < z.cols; i++) coef[i * y.cols + c] = sol[i];
  }
  const fitted = matMul(z.a, coef, z.rows, z.cols, y.cols);
  const out = new Float64Array(y.a.length);
  for (let i = 0; i < out.length; i++) out[i] = y.a[i] - fitted[i];
  return { rows: y.rows, cols: y.cols, a: out };
}

function crossProduct(p: Matrix, q: Matrix, scale: number): Float64Array {
  const out = matMul(transpose(p.a, p.rows, p.cols), q.a, p.cols, p.rows, q.cols);
  for (let i = 0; i < out.length; i++) out[i] /= scale;
  return out;
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
    assertFinite(c, `series ${j}`);
    if (isConstant(c)) throw new AnalyticsInputError(`series ${j} is constant: the Johansen test is undefined (statsmodels: "Singular matrix")`);
  });
  const rowsOut = n - 1 - kArDiff;
  if (rowsOut < m * (kArDiff + 1) + 2) throw new AnalyticsInputError(`${n} observations are too few for ${m} series with kArDiff ${kArDiff}`);
  const y: Matrix = { rows: n, cols: m, a: new Float64Array(n * m) };
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) y.a[i * m + j] = cols[j][i];
  detrend(y, detOrder);
  const f = detOrder > -1 ? 0 : detOrder;
  const dx = (i: number, j: number) => y.a[(i + 1) * m + j] - y.a[i * m + j];
  const z: Matrix = { rows: rowsOut, cols: m * kArDiff, a: new Float64Array(rowsOut * m * kArDiff) };
  const d0: Matrix = { rows: rowsOut, cols: m, a: new Float64Array(rowsOut * m) };
  const lx: Matrix = { rows: rowsOut, cols: m, a: new Float64Array(rowsOut * m) };
  for (let r = 0; r < rowsOut; r++) {
    const t = r + kArDiff; // row of diff(Y)
    for (let j = 0; j < m; j++) {
      d0.a[r * m + j] = dx(t, j);
      lx.a[r * m + j] = y.a[(r + 1) * m + j];
      for (let lag = 1; lag <= kArDiff; lag++) z.a[r * z.cols + (lag - 1) * m + j] = dx(t - lag, j);
    }
  }
  detrend(z, f);
  detrend(d0, f);
  detrend(lx, f);
  const r0 = residualize(d0, z);
  const r1 = residualize(lx, z);
  const s11 = crossProduct(r1, r1, rowsOut);
  const s10 = crossProduct(r1, r0, rowsOut);
  const s00 = crossProduct(r0, r0, rowsOut);
  const s00inv = spdInverse(s00, m);
  const { l, rank } = choleskyInPlace(s11, m);
  if (!s00inv || rank < m) throw new AnalyticsInputError('Johansen: singular moment matrix (a series is constant or a linear combination of the others)');
  const sig = matMul(matMul(s10, s00inv, m, m, m), transpose(s10, m, m), m, m, m);
  // A = L⁻¹·sig·L⁻ᵀ is symmetric with the eigenvalues of S11⁻¹·sig; v = L⁻ᵀu has vᵀS11v = 1
  const half = new Float64Array(m * m);
  for (let c = 0; c < m; c++) {
    const col = forwardSolve(l, m, Float64Array.from({ length: m }, (_, i) => sig[i * m + c]));
    for (let i = 0; i < m; i++) half[i * m + c] = col[i];
  }
  const a = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    const row = forwardSolve(l, m, Float64Array.from({ length: m }, (_, i) => half[r * m + i]));
    for (let i = 0; i < m; i++) a[r * m + i] = row[i];
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) a[i * m + j] = a[j * m + i] = (a[i * m + j] + a[j * m + i]) / 2;
  const eig = symmetricEigen(a, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((p, q) => eig.values[q] - eig.values[p]);
  const eigenvalues = Float64Array.from(order, (i) => Math.min(Math.max(eig.values[i], 0), 1 - 1e-16));
  const eigenvectors = order.map((c) => {
    const v = backSolve(l, m, Float64Array.from({ length: m }, (_, i) => eig.vectors[i * m + c]));
    const lead = v.find((e) => e !== 0) ?? 1;
    if (lead < 0) for (let i = 0; i < m; i++) v[i] = -v[i];
    return v;
  });
  const traceStat = new Float64Array(m);
  const maxEigStat = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    maxEigStat[i] = -rowsOut * Math.log(1 - eigenvalues[i]);
    let s = 0;
    for (let j = i; j < m; j++) s += Math.log(1 - eigenvalues[j]);
    traceStat[i] = -rowsOut * s;
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
