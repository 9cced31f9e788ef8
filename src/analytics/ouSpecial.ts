/** Special functions and quadrature behind the OU trading levels (Dawson / erfi, Leung-Li's F and G). */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Dawson's integral D(x) = e^{−x²}∫₀ˣ e^{t²}dt: a positive-term series up to |x| = 6, the asymptotic series beyond. */
export function dawson(x: number): number {
  if (x < 0) return -dawson(-x);
  if (x <= 6) {
    const x2 = x * x;
    let term = x; // x^{2n+1}/n!
    let sum = x;
    for (let n = 1; n < 500; n++) {
      term *= x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (add < sum * 1e-17) break;
    }
    return Math.exp(-x2) * sum;
  }
  // D(x) ~ Σ (2k−1)!!/(2^{k+1} x^{2k+1}); at x > 6 the smallest term is far below 1e-17
  const inv2x2 = 1 / (2 * x * x);
  let term = 1 / (2 * x);
  let sum = term;
  for (let k = 1; k < 60; k++) {
    term *= (2 * k - 1) * inv2x2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** erfi(x) = 2/√π · e^{x²} · D(x). */
export function erfi(x: number): number {
  return TWO_OVER_SQRT_PI * Math.exp(x * x) * dawson(x);
}

// 20-point Gauss-Legendre nodes and weights on [−1, 1], by Newton's method on P₂₀
const GL_N = 20;
const glNodes = new Float64Array(GL_N);
const glWeights = new Float64Array(GL_N);
for (let i = 0; i < GL_N; i++) {
  let z = Math.cos((Math.PI * (i + 0.75)) / (GL_N + 0.5));
  let dp = 0;
  for (let iter = 0; iter < 100; iter++) {
    let p0 = 1;
    let p1 = z;
    for (let k = 2; k <= GL_N; k++) {
      const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = (GL_N * (z * p1 - p0)) / (z * z - 1);
    const dz = p1 / dp;
    z -= dz;
    if (Math.abs(dz) < 1e-16) break;
  }
  glNodes[i] = z;
  glWeights[i] = 2 / ((1 - z * z) * dp * dp);
}

function gaussLegendre(f: (u: number) => number, a: number, b: number): number {
  const half = (b - a) / 2;
  const mid = (a + b) / 2;
  let sum = 0;
  for (let i = 0; i < GL_N; i++) sum += glWeights[i] * f(mid + half * glNodes[i]);
  return sum * half;
}

const NEAR_ZERO_PANELS = [0, 1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1];

/**
 * I(p, s) = ∫₀^∞ u^p e^{su − u²/2} du for p > −1, split as ∫₀¹ u^p (e^{su−u²/2} − 1) du + 1/(p+1) + ∫₁^∞: with
 * p = r/θ − 1 close to −1 the integrable spike at 0 becomes the exact 1/(p+1); u = t² smooths what is left.
 */
export function powerGaussianIntegral(p: number, s: number): number {
  let near = 0;
  for (let j = 0; j + 1 < NEAR_ZERO_PANELS.length; j++) {
    near += gaussLegendre((t) => 2 * Math.pow(t, 2 * p + 1) * Math.expm1(s * t * t - (t * t * t * t) / 2), NEAR_ZERO_PANELS[j], NEAR_ZERO_PANELS[j + 1]);
  }
  const top = Math.max(1, s) + 40;
  let far = 0;
  for (let a = 1; a < top; a += 2) far += gaussLegendre((u) => Math.pow(u, p) * Math.exp(s * u - (u * u) / 2), a, Math.min(a + 2, top));
  return near + 1 / (p + 1) + far;
}

/** Root of f in [lo, hi] by bisection (f(lo), f(hi) of opposite signs) to the last representable bit. */
export function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let flo = f(lo);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (fm > 0 === flo > 0) {
      lo = mid;
      flo = fm;
    } else hi = mid;
  }
  return (lo + hi) / 2;
}
