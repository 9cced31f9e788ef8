import { backSolve, choleskyInPlace } from './linalg';

/**
 * The cross-moment matrix of the Johansen regression's columns in one pass over the rows, without materialising them:
 * [ΔY_t (m), Y_{t−1} (m, level-detrended), ΔY_{t−1..t−k} (m·k)] for rows t = k+1..n−1, demeaned (det_order ≥ 0) or raw.
 *
 * Accuracy: every column is shifted by (almost) its mean before multiplying — the diffs' means telescope, the levels'
 * take one pass — and the remaining offset is removed exactly with the shifted column sums; products are summed
 * in blocks of 256 rows whose totals go into Neumaier-compensated accumulators, so the error does not grow with
 * the number of rows (plain running sums lose ~√n·ε, which shows in the trace statistic at n = 10⁶).
 */
export interface JohansenMoments {
  /** Columns: 2m + m·k. */
  c: number;
  /** c×c row-major, divided by nothing (raw sums of centred products). */
  g: Float64Array;
  rows: number;
  /**
   * m×m (row-major) T: the level columns in `g` are Y_{t−1}·T. Levels of cointegrated series are nearly collinear
   * (cond(S11) ~ 10⁶ for a pair at n = 10⁶), which costs six digits in the small eigenvalue; T = L⁻ᵀ from a pilot
   * Cholesky on a subsample makes them close to orthogonal. The eigenvalues do not depend on the basis; an
   * eigenvector v′ in the new basis is T·v′ in the original one.
   */
  levelTransform: Float64Array;
}

const PILOT_ROWS = 4096;

/** T = L⁻ᵀ for the Cholesky factor L of the shifted level columns' Gram matrix on every s-th row (identity if singular). */
function pilotTransform(lagLevels: readonly Float64Array[], shift: Float64Array, m: number, rows: number): Float64Array {
  const step = Math.max(1, Math.floor(rows / PILOT_ROWS));
  const g = new Float64Array(m * m);
  for (let r = 0; r < rows; r += step) {
    for (let a = 0; a < m; a++) {
      const va = lagLevels[a][r + 1] - shift[m + a];
      for (let b = a; b < m; b++) g[a * m + b] += va * (lagLevels[b][r + 1] - shift[m + b]);
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) g[a * m + b] = g[b * m + a];
  const t = new Float64Array(m * m);
  const { l, rank } = choleskyInPlace(g, m);
  for (let col = 0; col < m; col++) {
    const unit = new Float64Array(m);
    unit[col] = 1;
    const x = rank === m ? backSolve(l, m, unit) : unit;
    for (let i = 0; i < m; i++) t[i * m + col] = x[i];
  }
  return t;
}

const BLOCK = 1024;

/** buf[o + i] = y[t0 + i + 1] − y[t0 + i] − shift */
function fillDiff(buf: Float64Array, o: number, y: Float64Array, t0: number, len: number, shift: number): void {
  for (let i = 0; i < len; i++) buf[o + i] = y[t0 + i + 1] - y[t0 + i] - shift;
}

/** Column a against four consecutive columns from ob: out[q] = Σ buf[oa + i]·buf[ob + q·BLOCK + i] (one load of a for four products). */
function dotBlock4(buf: Float64Array, oa: number, ob: number, len: number, out: Float64Array): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const o1 = ob + BLOCK;
  const o2 = o1 + BLOCK;
  const o3 = o2 + BLOCK;
  for (let i = 0; i < len; i++) {
    const va = buf[oa + i];
    s0 += va * buf[ob + i];
    s1 += va * buf[o1 + i];
    s2 += va * buf[o2 + i];
    s3 += va * buf[o3 + i];
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

function dotBlock(buf: Float64Array, oa: number, ob: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += buf[oa + i] * buf[ob + i];
    s1 += buf[oa + i + 1] * buf[ob + i + 1];
  }
  if (i < len) s0 += buf[oa + i] * buf[ob + i];
  return s0 + s1;
}

export function johansenMoments(levels: readonly Float64Array[], lagLevels: readonly Float64Array[], kArDiff: number, center: boolean): JohansenMoments {
  const m = levels.length;
  const n = levels[0].length;
  const k = kArDiff;
  const rows = n - 1 - k;
  const c = 2 * m + m * k;
  // column j of row r: ΔY: y[r+k+1] − y[r+k]; level: lagLevels[r+1]; lag ℓ: y[r+k+1−ℓ] − y[r+k−ℓ]
  const shift = new Float64Array(c);
  if (center) {
    for (let j = 0; j < m; j++) {
      const y = levels[j];
      shift[j] = (y[n - 1] - y[k]) / rows;
      for (let l = 1; l <= k; l++) shift[2 * m + (l - 1) * m + j] = (y[n - 1 - l] - y[k - l]) / rows;
      let s = 0;
      const x = lagLevels[j];
      for (let r = 1; r <= rows; r++) s += x[r];
      shift[m + j] = s / rows;
    }
  }
  const t = pilotTransform(lagLevels, shift, m, rows);
  const tri = (c * (c + 1)) / 2;
  const total = new Float64Array(tri + c);
  const comp = new Float64Array(tri + c);
  const add = (i: number, b: number) => {
    const a = total[i];
    const s = a + b;
    comp[i] += Math.abs(a) >= Math.abs(b) ? a - s + b : b - s + a;
    total[i] = s;
  };
  // a block of rows, column-major (column a at buf[a·BLOCK ..]), so that each product is a tight dot-product loop
  const buf = new Float64Array(c * BLOCK);
  const four = new Float64Array(4);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const len = Math.min(BLOCK, rows - r0);
    for (let j = 0; j < m; j++) {
      const y = levels[j];
      const x = lagLevels[j];
      fillDiff(buf, j * BLOCK, y, r0 + k, len, shift[j]);
      const o = (m + j) * BLOCK;
      const sh = shift[m + j];
      for (let i = 0; i < len; i++) buf[o + i] = x[r0 + 1 + i] - sh;
      for (let l = 1; l <= k; l++) {
        const col = 2 * m + (l - 1) * m + j;
        fillDiff(buf, col * BLOCK, y, r0 + k - l, len, shift[col]);
      }
    }
    // T is upper triangular: the new column j takes old columns a ≤ j, so going down from the last it works in place
    for (let j = m - 1; j >= 0; j--) {
      const oj = (m + j) * BLOCK;
      const tjj = t[j * m + j];
      for (let i = 0; i < len; i++) buf[oj + i] *= tjj;
      for (let a = 0; a < j; a++) {
        const oa = (m + a) * BLOCK;
        const taj = t[a * m + j];
        for (let i = 0; i < len; i++) buf[oj + i] += buf[oa + i] * taj;
      }
    }
    let p = 0;
    for (let a = 0; a < c; a++) {
      const oa = a * BLOCK;
      let sum = 0;
      for (let i = 0; i < len; i++) sum += buf[oa + i];
      add(tri + a, sum);
      let b = a;
      for (; b + 3 < c; b += 4) {
        dotBlock4(buf, oa, b * BLOCK, len, four);
        for (let q = 0; q < 4; q++) add(p++, four[q]);
      }
      for (; b < c; b++) add(p++, dotBlock(buf, oa, b * BLOCK, len));
    }
  }
  const g = new Float64Array(c * c);
  let p = 0;
  for (let a = 0; a < c; a++) {
    for (let b = a; b < c; b++) {
      let s = total[p] + comp[p];
      // Σ(u − ū)(w − w̄) = Σuw − Σu·Σw / rows, with u, w the shifted columns
      if (center) s -= ((total[tri + a] + comp[tri + a]) * (total[tri + b] + comp[tri + b])) / rows;
      g[a * c + b] = g[b * c + a] = s;
      p++;
    }
  }
  return { c, g, rows, levelTransform: t };
}
