import { lagDots } from './lagDots';
import { trendColumns } from './trendTerms';

/**
 * Cross-product matrix of the ADF regression Δx_t = γ·x_{t−1} + Σ_{j=1..p} δ_j·Δx_{t−j} (+ c) + e_t over the
 * rows t = t0..n−2 of d = diff(x) (d[t] = x[t+1] − x[t], so the level regressor of d[t] is x[t]).
 * Column order: [level, lag 1..p, response]. `adfSums` makes the raw cross sums once; `adfGram` turns them
 * into the matrix of regression 'c' (columns demeaned over the rows, the same fit as a constant) or 'n'.
 *
 * The lag columns are shifts of one series, so their cross sums obey
 * S(i,j) = S(i−1,j−1) + d[t0−i]·d[t0−j] − d[T−i+1]·d[T−j+1]: only the first row costs O(rows).
 */
export interface AdfGram {
  /** (p+2)×(p+2) row-major. */
  g: Float64Array;
  m: number;
  rows: number;
}

/** The regression's raw columns, shared by the lag search and the refit: e = diff(x) and xc = x[0..n−2]. */
export interface AdfColumns {
  /** diff(x) − dShift */
  e: Float64Array;
  /** x[0..n−2] − xShift */
  xc: Float64Array;
  dShift: number;
  xShift: number;
}

/**
 * Both columns are shifted by their means, so that centring (regression 'c') subtracts small numbers;
 * the uncentred sums of regression 'n' are recovered exactly from the shifted ones.
 */
export function adfColumns(x: Float64Array): AdfColumns {
  const last = x.length - 2;
  const dShift = (x[last + 1] - x[0]) / (last + 1);
  let xShift = 0;
  for (let t = 0; t <= last; t++) xShift += x[t];
  xShift /= last + 1;
  const e = new Float64Array(last + 1);
  const xc = new Float64Array(last + 1);
  for (let t = 0; t <= last; t++) {
    e[t] = x[t + 1] - x[t] - dShift;
    xc[t] = x[t] - xShift;
  }
  return { e, xc, dShift, xShift };
}

/** Raw cross sums of the shifted columns over rows t0..n−2 with lags 0..p (0 = the response Δx_t). */
export interface AdfSums {
  p: number;
  rows: number;
  /** S[i][j] = Σ e[t−i]·e[t−j] for i ≤ j, row-major (p+1)×(p+1). */
  lagBlock: Float64Array;
  /** Σ xc[t]·e[t−j] */
  levelCross: Float64Array;
  /** Σ e[t−j] */
  lagSums: Float64Array;
  levelSq: number;
  levelSum: number;
  dShift: number;
  xShift: number;
  /** Cross sums with the time-trend terms of regression 'ct' / 'ctt' (absent for 'c' and 'n'). */
  trend?: TrendSums;
}

/**
 * Sums with the trend terms P_k of `trendTerms` over the rows (k = 1 for 'ct', 1..2 for 'ctt').
 */
export interface TrendSums {
  /** Σ xc[t]·P_k(t) */
  level: number[];
  /** Σ e[t−j]·P_k(t), j = 0..p */
  lags: Float64Array[];
  /** Σ P_k(t)² */
  norm: number[];
}

function trendSums(cols: AdfColumns, t0: number, p: number, order: number): TrendSums {
  const { e, xc } = cols;
  const last = e.length - 1;
  const scratch = new Float64Array(p + 1);
  const sums: TrendSums = { level: [], lags: [], norm: [] };
  for (const q of trendColumns(last - t0 + 1, order, t0)) {
    let level = 0;
    let norm = 0;
    for (let t = t0; t <= last; t++) {
      level += xc[t] * q[t];
      norm += q[t] * q[t];
    }
    const lags = new Float64Array(p + 1);
    lagDots(e, q, t0, p, scratch, lags);
    sums.level.push(level);
    sums.lags.push(lags);
    sums.norm.push(norm);
  }
  return sums;
}

/** `trendOrder` 1 adds the sums for regression 'ct', 2 for 'ctt'. */
export function adfSums(cols: AdfColumns, t0: number, p: number, trendOrder = 0): AdfSums {
  const { e, xc } = cols;
  const last = e.length - 1;
  const rows = last - t0 + 1;
  // lagSums[j] = Σ_t e[t−j] (j = 0 is the response), row0[j] = Σ_t e[t]·e[t−j], levelCross[j] = Σ_t xc[t]·e[t−j]
  const row0 = new Float64Array(p + 1);
  const levelCross = new Float64Array(p + 1);
  const lagSums = new Float64Array(p + 1);
  let levelSq = 0;
  let levelSum = 0;
  for (let t = t0; t <= last; t++) {
    const v = xc[t];
    levelSq += v * v;
    levelSum += v;
  }
  lagDots(e, xc, t0, p, row0, levelCross);
  for (let t = t0; t <= last; t++) lagSums[0] += e[t];
  for (let j = 1; j <= p; j++) lagSums[j] = lagSums[j - 1] + e[t0 - j] - e[last - j + 1];

  // full lag block S[i][j], i, j = 0..p (0 = response)
  const s = new Float64Array((p + 1) * (p + 1));
  for (let j = 0; j <= p; j++) s[j] = row0[j];
  for (let i = 1; i <= p; i++) {
    for (let j = i; j <= p; j++) {
      s[i * (p + 1) + j] = s[(i - 1) * (p + 1) + (j - 1)] + e[t0 - i] * e[t0 - j] - e[last - i + 1] * e[last - j + 1];
    }
  }
  const trend = trendOrder > 0 ? trendSums(cols, t0, p, trendOrder) : undefined;
  return { p, rows, lagBlock: s, levelCross, lagSums, levelSq, levelSum, dShift: cols.dShift, xShift: cols.xShift, trend };
}

/**
 * The regression's cross-product matrix from the sums: demeaned over the rows for regression 'c'
 * (the same fit as a constant column), uncentred (shifts added back) for regression 'n', and for 'ct' / 'ctt'
 * demeaned with the trend terms of `sums.trend` partialled out as well.
 */
export function adfGram(sums: AdfSums, center: boolean): AdfGram {
  const { p, rows, lagBlock: s, levelCross, lagSums, levelSq, levelSum } = sums;
  const m = p + 2;
  const lagBlock = (i: number, j: number) => (i <= j ? s[i * (p + 1) + j] : s[j * (p + 1) + i]);
  // map lag index → matrix column: level 0, lag j → j, response (lag 0) → p+1
  const col = (lag: number) => (lag === 0 ? p + 1 : lag);
  const g = new Float64Array(m * m);
  const set = (a: number, b: number, v: number) => {
    g[a * m + b] = v;
    g[b * m + a] = v;
  };
  if (center) {
    const inv = 1 / rows;
    set(0, 0, levelSq - levelSum * levelSum * inv);
    for (let j = 0; j <= p; j++) set(0, col(j), levelCross[j] - levelSum * lagSums[j] * inv);
    for (let i = 0; i <= p; i++) for (let j = i; j <= p; j++) set(col(i), col(j), lagBlock(i, j) - lagSums[i] * lagSums[j] * inv);
    if (sums.trend) partialOutTrend(g, m, sums.trend, col);
  } else {
    // Σ(a + sa)(b + sb) = Σab + sb·Σa + sa·Σb + rows·sa·sb
    const { dShift: ds, xShift: xs } = sums;
    set(0, 0, levelSq + 2 * xs * levelSum + rows * xs * xs);
    for (let j = 0; j <= p; j++) set(0, col(j), levelCross[j] + ds * levelSum + xs * lagSums[j] + rows * xs * ds);
    for (let i = 0; i <= p; i++) for (let j = i; j <= p; j++) set(col(i), col(j), lagBlock(i, j) + ds * (lagSums[i] + lagSums[j]) + rows * ds * ds);
  }
  return { g, m, rows };
}

/** Subtracts the projection on each (zero-sum, orthogonal) trend term: g_ab −= (a·P)(b·P)/(P·P). */
function partialOutTrend(g: Float64Array, m: number, trend: TrendSums, col: (lag: number) => number): void {
  const p = m - 2;
  const cross = new Float64Array(m);
  trend.norm.forEach((norm, k) => {
    cross[0] = trend.level[k];
    for (let j = 0; j <= p; j++) cross[col(j)] = trend.lags[k][j];
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) g[a * m + b] -= (cross[a] * cross[b]) / norm;
  });
}

/**
 * The sums of the regression with `lag` lags on rows t ≥ lag, derived from the lag search's sums (maxlag lags on
 * rows t ≥ maxlag) by adding the maxlag − lag rows the search left out: O((maxlag − lag)·lag²) instead of a
 * fresh O(rows·lag) pass over the series.
 */
export function refitSums(search: AdfSums, cols: AdfColumns, lag: number): AdfSums {
  // the trend terms depend on the row range: a refit with them starts afresh
  if (search.trend) return adfSums(cols, lag, lag, search.trend.norm.length);
  const { e, xc } = cols;
  const maxlag = search.p;
  if (!(Number.isInteger(lag) && lag >= 0 && lag <= maxlag)) throw new RangeError(`refitSums: lag ${lag} is outside 0..${maxlag}`);
  const width = lag + 1;
  const lagBlock = new Float64Array(width * width);
  const levelCross = new Float64Array(width);
  const lagSums = new Float64Array(width);
  let levelSq = search.levelSq;
  let levelSum = search.levelSum;
  for (let i = 0; i <= lag; i++) {
    levelCross[i] = search.levelCross[i];
    lagSums[i] = search.lagSums[i];
    for (let j = i; j <= lag; j++) lagBlock[i * width + j] = search.lagBlock[i * (maxlag + 1) + j];
  }
  for (let t = lag; t < maxlag; t++) {
    const xt = xc[t];
    levelSq += xt * xt;
    levelSum += xt;
    for (let i = 0; i <= lag; i++) {
      const ei = e[t - i];
      levelCross[i] += xt * ei;
      lagSums[i] += ei;
      for (let j = i; j <= lag; j++) lagBlock[i * width + j] += ei * e[t - j];
    }
  }
  return { p: lag, rows: search.rows + (maxlag - lag), lagBlock, levelCross, lagSums, levelSq, levelSum, dShift: search.dShift, xShift: search.xShift };
}
