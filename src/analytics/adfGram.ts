/**
 * Cross-product matrix of the ADF regression Δx_t = γ·x_{t−1} + Σ_{j=1..p} δ_j·Δx_{t−j} (+ c) + e_t over the
 * rows t = t0..n−2 of d = diff(x) (d[t] = x[t+1] − x[t], so the level regressor of d[t] is x[t]).
 * Column order: [level, lag 1..p, response]. With `center` the columns are demeaned over the rows,
 * which is the same fit as including a constant.
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

export function adfGram(x: Float64Array, d: Float64Array, t0: number, p: number, center: boolean): AdfGram {
  const n = x.length;
  const last = n - 2;
  const rows = last - t0 + 1;
  const m = p + 2;
  // shift by the means before summing so centring subtracts small numbers (no cancellation at price ~1e4)
  let dShift = 0;
  let xShift = 0;
  if (center) {
    for (let t = 0; t <= last; t++) dShift += d[t];
    dShift /= last + 1;
    for (let t = t0; t <= last; t++) xShift += x[t];
    xShift /= rows;
  }
  const e = new Float64Array(d.length);
  for (let t = 0; t <= last; t++) e[t] = d[t] - dShift;

  // lagSums[j] = Σ_t e[t−j] (j = 0 is the response), row0[j] = Σ_t e[t]·e[t−j], levelCross[j] = Σ_t xc[t]·e[t−j]
  const row0 = new Float64Array(p + 1);
  const levelCross = new Float64Array(p + 1);
  const lagSums = new Float64Array(p + 1);
  let levelSq = 0;
  let levelSum = 0;
  const xc = new Float64Array(last + 1);
  for (let t = t0; t <= last; t++) {
    const v = x[t] - xShift;
    xc[t] = v;
    levelSq += v * v;
    levelSum += v;
  }
  // one sequential dot product per lag (two accumulators each) is ~2× faster in V8 than a lag loop per row
  for (let j = 0; j <= p; j++) {
    let r0 = 0, r1 = 0, c0 = 0, c1 = 0;
    let t = t0;
    for (; t + 1 <= last; t += 2) {
      const l0 = e[t - j];
      const l1 = e[t + 1 - j];
      r0 += e[t] * l0;
      r1 += e[t + 1] * l1;
      c0 += xc[t] * l0;
      c1 += xc[t + 1] * l1;
    }
    if (t <= last) {
      r0 += e[t] * e[t - j];
      c0 += xc[t] * e[t - j];
    }
    row0[j] = r0 + r1;
    levelCross[j] = c0 + c1;
  }
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
  const lagBlock = (i: number, j: number) => (i <= j ? s[i * (p + 1) + j] : s[j * (p + 1) + i]);

  // map lag index → matrix column: level 0, lag j → j, response (lag 0) → p+1
  const col = (lag: number) => (lag === 0 ? p + 1 : lag);
  const g = new Float64Array(m * m);
  const set = (a: number, b: number, v: number) => {
    g[a * m + b] = v;
    g[b * m + a] = v;
  };
  const inv = center ? 1 / rows : 0;
  set(0, 0, levelSq - levelSum * levelSum * inv);
  for (let j = 0; j <= p; j++) set(0, col(j), levelCross[j] - levelSum * lagSums[j] * inv);
  for (let i = 0; i <= p; i++) for (let j = i; j <= p; j++) set(col(i), col(j), lagBlock(i, j) - lagSums[i] * lagSums[j] * inv);
  return { g, m, rows };
}
