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
}

const BLOCK = 256;

/** buf[o + i] = y[t0 + i + 1] − y[t0 + i] − shift */
function fillDiff(buf: Float64Array, o: number, y: Float64Array, t0: number, len: number, shift: number): void {
  for (let i = 0; i < len; i++) buf[o + i] = y[t0 + i + 1] - y[t0 + i] - shift;
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
    let p = 0;
    for (let a = 0; a < c; a++) {
      const oa = a * BLOCK;
      let sum = 0;
      for (let i = 0; i < len; i++) sum += buf[oa + i];
      add(tri + a, sum);
      for (let b = a; b < c; b++) add(p++, dotBlock(buf, oa, b * BLOCK, len));
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
  return { c, g, rows };
}
