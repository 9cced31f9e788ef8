/** Small dense linear algebra on row-major Float64Array matrices (m×m), enough for ≤ a few hundred columns. */

/** Lower Cholesky factor of the leading `k`×`k` block of symmetric `a` (row-major m×m); returns the number of positive pivots. */
export function choleskyInPlace(a: Float64Array, m: number, k = m): { l: Float64Array; rank: number } {
  const l = new Float64Array(m * m);
  for (let j = 0; j < k; j++) {
    let d = a[j * m + j];
    for (let q = 0; q < j; q++) d -= l[j * m + q] * l[j * m + q];
    // a pivot that loses (almost) all its diagonal mass means the column is a combination of the previous ones
    if (!(d > 1e-13 * Math.abs(a[j * m + j])) || !(d > 0)) return { l, rank: j };
    const ljj = Math.sqrt(d);
    l[j * m + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * m + j];
      for (let q = 0; q < j; q++) s -= l[i * m + q] * l[j * m + q];
      l[i * m + j] = s / ljj;
    }
  }
  return { l, rank: k };
}

/** Solves L·z = b (L lower triangular, row-major m×m, first k rows). */
export function forwardSolve(l: Float64Array, m: number, b: ArrayLike<number>, k = m): Float64Array {
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let q = 0; q < i; q++) s -= l[i * m + q] * z[q];
    z[i] = s / l[i * m + i];
  }
  return z;
}

/** Solves Lᵀ·x = z. */
export function backSolve(l: Float64Array, m: number, z: ArrayLike<number>, k = m): Float64Array {
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let q = i + 1; q < k; q++) s -= l[q * m + i] * x[q];
    x[i] = s / l[i * m + i];
  }
  return x;
}


/**
 * Singular values and right singular vectors of a k×k matrix by one-sided (Hestenes) Jacobi: rotates column pairs
 * of B until they are orthogonal. Unlike the eigenvalues of BᵀB, small singular values keep their relative accuracy.
 * Returns σ_j = ‖(BV)_j‖ and V (columns, row-major k×k).
 */
export function jacobiSvd(b: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const w = Float64Array.from(b);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  const rotate = (a: Float64Array, p: number, q: number, c: number, s: number) => {
    for (let r = 0; r < k; r++) {
      const ap = a[r * k + p];
      const aq = a[r * k + q];
      a[r * k + p] = c * ap - s * aq;
      a[r * k + q] = s * ap + c * aq;
    }
  };
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let r = 0; r < k; r++) {
          const ap = w[r * k + p];
          const aq = w[r * k + q];
          alpha += ap * ap;
          beta += aq * aq;
          gamma += ap * aq;
        }
        if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, p, q, c, s);
        rotate(v, p, q, c, s);
      }
    }
    if (!rotated) break;
  }
  const values = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let r = 0; r < k; r++) s += w[r * k + j] * w[r * k + j];
    values[j] = Math.sqrt(s);
  }
  return { values, vectors: v };
}
