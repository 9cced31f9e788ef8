import { AnalyticsInputError, type Series, finitePair, isConstant, mean } from './validate';
import { olsFit } from './ols';

/**
 * Huber robust regression of y on x with intercept, the optimum of scikit-learn's
 * `HuberRegressor(epsilon, alpha, fit_intercept=True)` objective (Owen's concomitant scale):
 *   L(β, c, σ) = Σ_i [σ + (|r_i| ≤ εσ ? r_i²/σ : 2ε|r_i| − ε²σ)] + α·β²,   r_i = y_i − β·x_i − c.
 * L is jointly convex; we minimise it to convergence with a damped Newton method (sklearn's
 * L-BFGS-B stops early on its `ftol`, so its coefficients are only ~6 digits exact).
 */
export interface HuberOptions {
  epsilon?: number;
  alpha?: number;
  maxIterations?: number;
  /** Start Newton from the optimum of an evenly strided 20,000-point subsample when n > 80,000 (default true). */
  warmStart?: boolean;
}

export interface HuberResult {
  beta: number;
  intercept: number;
  /** σ, sklearn's `scale_`. */
  scale: number;
  /** The objective L at the optimum (same definition as sklearn's loss). */
  objective: number;
  outliers: number;
  iterations: number;
  converged: boolean;
}

/** sklearn's Huber loss L(β, c, σ) with unit sample weights. */
export function huberObjective(y: ArrayLike<number>, x: ArrayLike<number>, beta: number, intercept: number, scale: number, epsilon = 1.35, alpha = 1e-4): number {
  let inlierSq = 0;
  let outlierAbs = 0;
  let nOut = 0;
  const bound = epsilon * scale;
  for (let i = 0; i < y.length; i++) {
    const r = y[i] - x[i] * beta - intercept;
    const a = Math.abs(r);
    if (a > bound) {
      outlierAbs += a;
      nOut++;
    } else inlierSq += r * r;
  }
  return y.length * scale + inlierSq / scale + (2 * epsilon * outlierAbs - scale * nOut * epsilon * epsilon) + alpha * beta * beta;
}

interface Derivatives {
  f: number;
  g: [number, number, number];
  h: [number, number, number, number, number, number]; // bb, bc, bs, cc, cs, ss
  nOut: number;
}

/** Objective, gradient and Hessian in (β, c', σ) where x is shifted by x0 (c' = c + β·x0). */
/** Objective, gradient and Hessian in (β, c', σ) where x is shifted by x0 (c' = c + β·x0). */
function derivatives(y: Float64Array, xc: Float64Array, b: number, c: number, s: number, eps: number, alpha: number): Derivatives {
  // with ψ = clamp(r, −εσ, εσ) every sum is branch-free: outliers contribute ±εσ, inliers r
  let spx = 0, sp = 0, spp = 0, spr = 0;
  let sxx = 0, sx = 0, n1 = 0, srx = 0, sr = 0;
  const bound = eps * s;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const xi = xc[i];
    const r = y[i] - b * xi - c;
    const p = r > bound ? bound : r < -bound ? -bound : r;
    const inl = p === r ? 1 : 0;
    spx += p * xi;
    sp += p;
    spp += p * p;
    spr += p * r;
    const ix = inl * xi;
    sxx += ix * xi;
    sx += ix;
    n1 += inl;
    srx += inl * r * xi;
    sr += inl * r;
  }
  const nOut = n - n1;
  const srr = Math.max(spp - nOut * bound * bound, 0); // Σ over inliers of r²
  const outAbs = bound > 0 ? (spr - srr) / bound : 0; // Σ over outliers of |r|
  const f = n * s + srr / s + 2 * eps * outAbs - s * nOut * eps * eps + alpha * b * b;
  const g: [number, number, number] = [(-2 * spx) / s + 2 * alpha * b, (-2 * sp) / s, n - nOut * eps * eps - srr / (s * s)];
  const s2 = s * s;
  const h: Derivatives['h'] = [(2 * sxx) / s + 2 * alpha, (2 * sx) / s, (2 * srx) / s2, (2 * n1) / s, (2 * sr) / s2, (2 * srr) / (s2 * s)];
  return { f, g, h, nOut };
}

/** Solves the symmetric 3×3 system H·d = −g by Cholesky (with a tiny ridge if H is singular). */
function newtonStep(h: Derivatives['h'], g: Derivatives['g']): [number, number, number] {
  for (let ridge = 0; ridge < 8; ridge++) {
    const lift = ridge === 0 ? 0 : 1e-12 * 10 ** ridge * (Math.abs(h[0]) + Math.abs(h[3]) + Math.abs(h[5]));
    const a00 = h[0] + lift, a11 = h[3] + lift, a22 = h[5] + lift;
    const l00 = Math.sqrt(a00);
    const l10 = h[1] / l00;
    const l20 = h[2] / l00;
    const d11 = a11 - l10 * l10;
    if (!(d11 > 0 && l00 > 0)) continue;
    const l11 = Math.sqrt(d11);
    const l21 = (h[4] - l20 * l10) / l11;
    const d22 = a22 - l20 * l20 - l21 * l21;
    if (!(d22 > 0)) continue;
    const l22 = Math.sqrt(d22);
    const z0 = -g[0] / l00;
    const z1 = (-g[1] - l10 * z0) / l11;
    const z2 = (-g[2] - l20 * z0 - l21 * z1) / l22;
    const d2 = z2 / l22;
    const d1 = (z1 - l21 * d2) / l11;
    const d0 = (z0 - l10 * d1 - l20 * d2) / l00;
    return [d0, d1, d2];
  }
  return [-g[0] / Math.max(h[0], 1e-300), -g[1] / Math.max(h[3], 1e-300), -g[2] / Math.max(h[5], 1e-300)];
}

const WARM_START_SIZE = 20_000;

interface Fit {
  b: number;
  c: number;
  s: number;
  cur: Derivatives;
  iterations: number;
  converged: boolean;
}

/** Damped Newton on L from `init` = [β, c', σ] until the step or the Newton decrement is at rounding level. */
function minimise(yf: Float64Array, xc: Float64Array, init: [number, number, number], eps: number, alpha: number, maxIterations: number): Fit {
  let [b, c, s] = init;
  const minScale = 10 * Number.EPSILON;
  let cur = derivatives(yf, xc, b, c, s, eps, alpha);
  let iterations = 0;
  let converged = false;
  let best = { b, c, s, cur };
  while (iterations < maxIterations) {
    iterations++;
    const d = newtonStep(cur.h, cur.g);
    // Newton decrement: ≈ 2·(L − L*); once it is at rounding level this step lands on the optimum
    const decrement = -(cur.g[0] * d[0] + cur.g[1] * d[1] + cur.g[2] * d[2]);
    const noise = 1e-13 * Math.abs(cur.f);
    let t = 1;
    while (s + t * d[2] <= minScale) t /= 2;
    let next = derivatives(yf, xc, b + t * d[0], c + t * d[1], s + t * d[2], eps, alpha);
    for (let halvings = 0; next.f > cur.f + noise && halvings < 40; halvings++) {
      t /= 2;
      next = derivatives(yf, xc, b + t * d[0], c + t * d[1], s + t * d[2], eps, alpha);
    }
    if (next.f > cur.f + noise) {
      converged = true; // no descent direction left at double precision
      break;
    }
    b += t * d[0];
    c += t * d[1];
    s += t * d[2];
    cur = next;
    if (cur.f <= best.cur.f) best = { b, c, s, cur };
    if (!(decrement > noise)) {
      converged = true;
      break;
    }
  }
  ({ b, c, s, cur } = best);
  return { b, c, s, cur, iterations, converged };
}

export function huber(y: Series, x: Series, opts: HuberOptions = {}): HuberResult {
  const eps = opts.epsilon ?? 1.35;
  const alpha = opts.alpha ?? 1e-4;
  const maxIterations = opts.maxIterations ?? 200;
  if (!(eps >= 1)) throw new AnalyticsInputError(`Huber epsilon must be ≥ 1 (sklearn's constraint), got ${eps}`);
  if (!(alpha >= 0)) throw new AnalyticsInputError(`Huber alpha must be ≥ 0, got ${alpha}`);
  const [yf, xf] = finitePair(y, x, 3, 'Huber regression');
  const n = yf.length;
  const x0 = mean(xf);
  const xc = new Float64Array(n);
  let varies = false;
  for (let i = 0; i < n; i++) {
    xc[i] = xf[i] - x0;
    if (xf[i] !== xf[0]) varies = true;
  }
  if (!varies) throw new AnalyticsInputError('x is constant: the Huber slope is undefined; pick a regressor that varies');
  if (isConstant(yf)) throw new AnalyticsInputError('y is constant: the Huber scale is zero and the fit cannot converge; pick a series that varies');

  const start = olsFit(yf, xc);
  let init: [number, number, number] = [start.beta, start.intercept, Math.sqrt(Math.max(start.syy - start.beta * start.sxy, 0) / n) || 1];
  if (opts.warmStart !== false && n > 4 * WARM_START_SIZE) {
    // Newton's first steps only need a rough optimum: take them on an evenly strided subsample
    const stride = Math.floor(n / WARM_START_SIZE);
    const m = Math.floor(n / stride);
    const ys = new Float64Array(m);
    const xs = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      ys[i] = yf[i * stride];
      xs[i] = xc[i * stride];
    }
    const rough = minimise(ys, xs, init, eps, alpha, maxIterations);
    if (rough.converged) init = [rough.b, rough.c, rough.s];
  }
  const { b, c, s, cur, iterations, converged } = minimise(yf, xc, init, eps, alpha, maxIterations);
  const intercept = c - b * x0;
  return {
    beta: b,
    intercept,
    scale: s,
    objective: huberObjective(yf, xf, b, intercept, s, eps, alpha),
    outliers: cur.nOut,
    iterations,
    converged,
  };
}
