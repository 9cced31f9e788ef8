import { type LagKernels, lagKernels } from './kernels/lagKernels';
import { backSolve, choleskyInPlace } from './linalg';

/**
 * The cross-moment matrix of the Johansen regression's columns in one pass over the rows, without materialising them:
 * [ΔY_t (m), Y_{t−1} (m, level-detrended), ΔY_{t−1..t−k} (m·k)] for rows t = k+1..n−1, demeaned (det_order ≥ 0) or raw.
 *
 * Accuracy: every column is shifted by (almost) its mean before multiplying — the diffs' means telescope, the levels'
 * a mean over a subsample — and the remaining offset is removed exactly with the shifted column sums; products are summed
 * in blocks of 1024 rows whose totals go into Neumaier-compensated accumulators, so the error does not grow with
 * the number of rows (plain running sums lose ~√n·ε, which shows in the trace statistic at n = 10⁶).
 *
 * Speed: a block is written column by column (each series' differences once, the lags being views of them), the
 * products of two lags are derived from ΔY × lag products, and the rest run in the WebAssembly SIMD kernels
 * (two rows per instruction) where available, else in plain loops over the same block.
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

/**
 * The mean of the level column on the pilot's rows (all of them up to PILOT_ROWS): the shift need only be close to
 * the mean, for conditioning; the remaining offset is removed exactly with the column sums.
 */
function pilotMean(x: Float64Array, rows: number): number {
  const step = Math.max(1, Math.floor(rows / PILOT_ROWS));
  let sum = 0;
  let count = 0;
  for (let r = 0; r < rows; r += step, count++) sum += x[r + 1];
  return sum / count;
}

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

/** buf[o + h] = y[from + h + 1] − y[from + h] − shift for h < count (one load per value). */
function fillDiffs(buf: Float64Array, o: number, y: Float64Array, from: number, count: number, shift: number): void {
  let prev = y[from];
  for (let h = 0; h < count; h++) {
    const next = y[from + h + 1];
    buf[o + h] = next - prev - shift;
    prev = next;
  }
}

/** buf[o + i] = (x[from + i] − shift)·scale */
function fillLevel(buf: Float64Array, o: number, x: Float64Array, from: number, len: number, shift: number, scale: number): void {
  for (let i = 0; i < len; i++) buf[o + i] = (x[from + i] - shift) * scale;
}

/** buf[o + i] = (x[from + i] − shift)·scale + (x0[from + i] − shift0)·scale0: two levels in one pass. */
function fillLevelPair(buf: Float64Array, o: number, x: Float64Array, shift: number, scale: number, x0: Float64Array, shift0: number, scale0: number, from: number, len: number): void {
  for (let i = 0; i < len; i++) buf[o + i] = (x[from + i] - shift) * scale + (x0[from + i] - shift0) * scale0;
}

/** buf[o + i] += (x[from + i] − shift)·scale */
function addLevel(buf: Float64Array, o: number, x: Float64Array, from: number, len: number, shift: number, scale: number): void {
  for (let i = 0; i < len; i++) buf[o + i] += (x[from + i] - shift) * scale;
}

/** Σ buf[o .. o+len) with four accumulators (one would wait on each add's latency). */
function sumBlock(buf: Float64Array, o: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += buf[o + i];
    s1 += buf[o + i + 1];
    s2 += buf[o + i + 2];
    s3 += buf[o + i + 3];
  }
  for (; i < len; i++) s0 += buf[o + i];
  return s0 + s1 + (s2 + s3);
}

const four = new Float64Array(4);

/** Column a against four columns: out[q] = Σ buf[oa + i]·buf[ob[q] + i] (one load of a for four products). */
function dotBlock4(buf: Float64Array, oa: number, ob: Int32Array, q0: number, len: number, out: Float64Array): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const o0 = ob[q0];
  const o1 = ob[q0 + 1];
  const o2 = ob[q0 + 2];
  const o3 = ob[q0 + 3];
  for (let i = 0; i < len; i++) {
    const va = buf[oa + i];
    s0 += va * buf[o0 + i];
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

/** out[at + b] = Σ buf[oa + i]·buf[ob + i] over the block for the columns b of `cols` (buffer offsets `ob`). */
function directProducts(buf: Float64Array, oa: number, ob: Int32Array, cols: Int32Array, len: number, out: Float64Array, at: number): void {
  let q = 0;
  for (; q + 3 < cols.length; q += 4) {
    dotBlock4(buf, oa, ob, q, len, four);
    for (let u = 0; u < 4; u++) out[at + cols[q + u]] = four[u];
  }
  for (; q < cols.length; q++) out[at + cols[q]] = dotBlock(buf, oa, ob[q], len);
}

/** directProducts by the SIMD kernels, on a block in their scratch memory. */
function directProductsSimd(kernels: LagKernels, oa: number, ob: Int32Array, cols: Int32Array, len: number, out: Float64Array, at: number): void {
  const byte = (o: number) => kernels.scratchOffset + 8 * o;
  let q = 0;
  for (; q + 3 < cols.length; q += 4) {
    const r = kernels.dots4(byte(oa), byte(ob[q]), byte(ob[q + 1]), byte(ob[q + 2]), byte(ob[q + 3]), len);
    for (let u = 0; u < 4; u++) out[at + cols[q + u]] = r[u];
  }
  for (; q < cols.length; q++) out[at + cols[q]] = kernels.dot(byte(oa), byte(ob[q]), len);
}

/** Σ buf[oa + i]·buf[ob + i] for i in [from, to): the few rows by which a lagged product's window differs from its base's. */
function dotRange(buf: Float64Array, oa: number, ob: number, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += buf[oa + i] * buf[ob + i];
  return s;
}

/**
 * Where each product of the upper triangle comes from. The lagged differences are the differences seen ℓ rows
 * earlier, so a block holds each series' differences once, with k rows of history in front, and lag ℓ is a view
 * ℓ rows back. A product of two lags (ℓ ≤ ℓ′) is then the product of ΔY with lag ℓ′ − ℓ over a window ℓ rows
 * earlier: its block sum is that base's block sum, less its last ℓ rows, plus the ℓ rows before the block.
 */
interface ProductPlan {
  /** Buffer offset of each column's row 0. */
  offset: Int32Array;
  /** Per column a: the columns b ≥ a whose products are summed directly, in order. */
  direct: Int32Array[];
  /** Per lag-lag product p (index into the triangle): its base product index and its lag ℓ (−1: direct). */
  base: Int32Array;
  back: Int32Array;
}

function planProducts(m: number, k: number, stride: number): ProductPlan {
  const c = 2 * m + m * k;
  const offset = new Int32Array(c);
  const series = new Int32Array(c);
  const lag = new Int32Array(c);
  for (let j = 0; j < m; j++) {
    offset[j] = j * stride + k;
    offset[m + j] = m * stride + j * BLOCK;
    series[j] = j;
    series[m + j] = -1;
    for (let l = 1; l <= k; l++) {
      const col = 2 * m + (l - 1) * m + j;
      offset[col] = j * stride + k - l;
      series[col] = j;
      lag[col] = l;
    }
  }
  const column = (s: number, l: number) => (l === 0 ? s : 2 * m + (l - 1) * m + s);
  const index = (a: number, b: number) => a * c - (a * (a - 1)) / 2 + (b - a);
  const tri = (c * (c + 1)) / 2;
  const base = new Int32Array(tri).fill(-1);
  const back = new Int32Array(tri).fill(-1);
  const direct: Int32Array[] = [];
  for (let a = 0; a < c; a++) {
    const list: number[] = [];
    for (let b = a; b < c; b++) {
      if (lag[a] > 0 && lag[b] >= lag[a]) {
        base[index(a, b)] = index(series[a], column(series[b], lag[b] - lag[a]));
        back[index(a, b)] = lag[a];
      } else list.push(b);
    }
    direct.push(Int32Array.from(list));
  }
  return { offset, direct, base, back };
}

export function johansenMoments(levels: readonly Float64Array[], lagLevels: readonly Float64Array[], kArDiff: number, center: boolean): JohansenMoments {
  const m = levels.length;
  const n = levels[0].length;
  const k = kArDiff;
  const rows = n - 1 - k;
  const c = 2 * m + m * k;
  // column j of row r: ΔY: y[r+k+1] − y[r+k]; level: lagLevels[r+1]; lag ℓ: y[r+k+1−ℓ] − y[r+k−ℓ]. A series' lags
  // share its differences' shift (the means differ by O(1/rows)), which the lag-lag products need.
  const shift = new Float64Array(2 * m);
  if (center) {
    for (let j = 0; j < m; j++) {
      const y = levels[j];
      shift[j] = (y[n - 1] - y[k]) / rows;
      shift[m + j] = pilotMean(lagLevels[j], rows);
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
  // the column sums of the shifted differences telescope: Σ (y[r+1] − y[r] − s) over a window is its end minus its start less rows·s
  for (let j = 0; j < m; j++) {
    const y = levels[j];
    total[tri + j] = y[n - 1] - y[k] - rows * shift[j];
    for (let l = 1; l <= k; l++) total[tri + 2 * m + (l - 1) * m + j] = y[n - 1 - l] - y[k - l] - rows * shift[j];
  }
  // a block of rows, column-major, so that each product is a tight dot-product loop: m difference columns of
  // k + BLOCK rows (history first), then m level columns of BLOCK rows
  const stride = BLOCK + k;
  const { offset, direct, base, back } = planProducts(m, k, stride);
  const directOffset = direct.map((list) => Int32Array.from(list, (b) => offset[b]));
  // with the SIMD kernels, the block lives in their memory and they read it where the fill loops wrote it
  const kernels = lagKernels();
  const buf = kernels ? kernels.scratch(m * stride + m * BLOCK) : new Float64Array(m * stride + m * BLOCK);
  const blockSums = new Float64Array(tri);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const len = Math.min(BLOCK, rows - r0);
    for (let j = 0; j < m; j++) fillDiffs(buf, j * stride, levels[j], r0, len + k, shift[j]);
    // the level columns times T (upper triangular): new column j = Σ_{a ≤ j} T[a][j]·(level a − its shift)
    for (let j = 0; j < m; j++) {
      const oj = offset[m + j];
      const from = r0 + 1;
      if (j === 0) fillLevel(buf, oj, lagLevels[0], from, len, shift[m], t[0]);
      else fillLevelPair(buf, oj, lagLevels[j], shift[m + j], t[j * m + j], lagLevels[0], shift[m], t[j], from, len);
      for (let a = 1; a < j; a++) addLevel(buf, oj, lagLevels[a], from, len, shift[m + a], t[a * m + j]);
      add(tri + m + j, sumBlock(buf, oj, len));
    }
    let p = 0;
    for (let a = 0; a < c; a++) {
      const oa = offset[a];
      if (kernels) directProductsSimd(kernels, oa, directOffset[a], direct[a], len, blockSums, p - a);
      else directProducts(buf, oa, directOffset[a], direct[a], len, blockSums, p - a);
      // products of two lags, from their base products (already summed: their rows come first)
      for (let b = a; b < c; b++) {
        const idx = p + b - a;
        const l = back[idx];
        if (l < 0) continue;
        const bi = base[idx];
        const ob = offset[b] + l;
        blockSums[idx] = blockSums[bi] - dotRange(buf, oa + l, ob, len - l, len) + dotRange(buf, oa + l, ob, -l, 0);
      }
      p += c - a;
    }
    for (let i = 0; i < tri; i++) add(i, blockSums[i]);
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
