/**
 * Time-trend regressors in a well-conditioned basis. Over rows i = 0..n−1 with u = (i − (n−1)/2)/((n−1)/2) ∈ [−1, 1],
 * P1 = u and P2 = u² − (n+1)/(3(n−1)) have zero sum and are orthogonal to each other (the grid is symmetric), so
 * they partial out one at a time; with the constant they span the same space as statsmodels' [1, t, t²] columns
 * (`add_trend`, t = 1..n), whose raw powers make the normal equations ill-conditioned.
 */
export function trendTerm(order: number, i: number, n: number): number {
  const half = Math.max(1, (n - 1) / 2);
  const u = (i - (n - 1) / 2) / half;
  return order === 1 ? u : u * u - (n + 1) / (3 * Math.max(1, n - 1));
}

/** P1..P_order over `n` rows, stored at indices offset..offset+n−1 of arrays of length offset + n. */
export function trendColumns(n: number, order: number, offset = 0): Float64Array[] {
  const out: Float64Array[] = [];
  for (let k = 1; k <= order; k++) {
    const q = new Float64Array(offset + n);
    for (let i = 0; i < n; i++) q[offset + i] = trendTerm(k, i, n);
    out.push(q);
  }
  return out;
}

/**
 * Coefficients [const, t, t²] (t = 1..n, statsmodels' `add_trend`) of the deterministic part c0 + c1·P1 + c2·P2,
 * as many as `coef` has.
 */
export function toPowerBasis(coef: readonly number[], n: number): Float64Array {
  const half = Math.max(1, (n - 1) / 2);
  // u = a·t + b for t = i + 1
  const a = 1 / half;
  const b = -(1 + (n - 1) / 2) / half;
  const [c0, c1 = 0, c2 = 0] = coef;
  const m2 = (n + 1) / (3 * Math.max(1, n - 1));
  const out = [c0 - c2 * m2 + c1 * b + c2 * b * b, c1 * a + 2 * c2 * a * b, c2 * a * a];
  return Float64Array.from(out.slice(0, coef.length));
}
