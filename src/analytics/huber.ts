import { AnalyticsInputError, type Series, finitePair, mean } from './validate';
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
function derivatives(y: Float64Array, xc: Float64Array, b: number, c: number, s: number, eps: number, alpha: number): Derivatives {
  let sxx = 0, sx = 0, n1 = 0, srx = 0, sr = 0, srr = 0;
  let oAbs = 0, oSx = 0, oS = 0, nOut = 0;
  const bound = eps * s;
  for (let i = 0; i < y.length; i++) {
    const xi = xc[i];
    const r = y[i] - b * xi - c;
    if (r > bound || r < -bound) {
      const sg = r > 0 ? 1 : -1;
      oAbs += r * sg;
      oSx += sg * xi;
      oS += sg;
      nOut++;
    } else {
      sxx += xi * xi;
      sx += xi;
      n1++;
      srx += r * xi;
      sr += r;
      srr += r * r;
    }
  }
  const n = y.length;
  const f = n * s + srr / s + 2 * eps * oAbs - s * nOut * eps * eps + alpha * b * b;
  const g: [number, number, number] = [
    (-2 * srx) / s - 2 * eps * oSx + 2 * alpha * b,
    (-2 * sr) / s - 2 * eps * oS,
    n - nOut * eps * eps - srr / (s * s),
  ];
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

  const start = olsFit(yf, xc);
  let b = start.beta;
  let c = start.intercept;
  let s = Math.sqrt(Math.max(start.syy - start.beta * start.sxy, 0) / n);
  if (!(s > 0)) s = 1;
  const minScale = 10 * Number.EPSILON;
  let cur = derivatives(yf, xc, b, c, s, eps, alpha);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const d = newtonStep(cur.h, cur.g);
    let t = 1;
    while (s + t * d[2] <= minScale) t /= 2;
    let next = derivatives(yf, xc, b + t * d[0], c + t * d[1], s + t * d[2], eps, alpha);
    while (next.f > cur.f && t > 1e-12) {
      t /= 2;
      next = derivatives(yf, xc, b + t * d[0], c + t * d[1], s + t * d[2], eps, alpha);
    }
    if (next.f > cur.f) {
      converged = true; // no descent direction left at double precision
      break;
    }
    const nb = b + t * d[0], nc = c + t * d[1], ns = s + t * d[2];
    const moved = Math.abs(nb - b) / (Math.abs(b) + 1e-300) + Math.abs(nc - c) / (Math.abs(c) + Math.abs(ns)) + Math.abs(ns - s) / ns;
    b = nb;
    c = nc;
    s = ns;
    const decrease = cur.f - next.f;
    cur = next;
    if (moved < 1e-15 || (decrease <= 1e-16 * Math.abs(cur.f) && moved < 1e-11)) {
      converged = true;
      break;
    }
  }
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
