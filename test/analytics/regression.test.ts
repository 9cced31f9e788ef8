import { describe, expect, it } from 'vitest';
import { halfLife, huber, huberObjective, hurst, kalmanHedge, ols, rollingHedgeRatio } from '../../src/analytics';
import { closeTo, firstMismatch, lcg, loadFixture } from './fixtures';

interface KalmanRef { delta: number; observationVariance: number; beta: number[]; alpha: number[]; innovation: number[]; innovationVariance: number[] }
interface HuberPoint { beta: number; intercept: number; scale: number; objective: number }
interface Case {
  y: number[];
  x: number[];
  ols: { intercept: number; beta: number; bseIntercept: number; bseBeta: number; rsquared: number; ssr: number; resid: number[] };
  huber: { sklearn: HuberPoint; tight: HuberPoint & { gradNorm: number } };
  kalman: KalmanRef[];
  halfLife: { slope: number; intercept: number; halfLife: number; halfLifeAr1: number };
  hurst: { spread: number; y: number };
}
const { cases } = loadFixture<{ cases: Record<string, Case> }>('regression.json');

describe.each(Object.entries(cases))('regression fixtures: %s', (_name, c) => {
  it('OLS equals statsmodels (params, bse, R², residuals)', () => {
    const r = ols(c.y, c.x);
    expect(closeTo(r.beta, c.ols.beta, 1e-10)).toBe(true);
    expect(closeTo(r.intercept, c.ols.intercept, 1e-9, 1)).toBe(true);
    expect(closeTo(r.stdErrBeta, c.ols.bseBeta, 1e-9)).toBe(true);
    expect(closeTo(r.stdErrIntercept, c.ols.bseIntercept, 1e-9)).toBe(true);
    expect(closeTo(r.rSquared, c.ols.rsquared, 1e-11, 1)).toBe(true);
    expect(closeTo(r.ssr, c.ols.ssr, 1e-9)).toBe(true);
    const scale = Math.max(...c.ols.resid.map(Math.abs));
    expect(firstMismatch(r.residuals, c.ols.resid, 1e-9, scale)).toBe(-1);
  });

  it('Huber reaches the converged optimum of sklearn HuberRegressor(epsilon=1.35, alpha=1e-4)', () => {
    const r = huber(c.y, c.x);
    expect(r.converged).toBe(true);
    // our objective is no worse than sklearn's answer, nor than a tight L-BFGS-B run on the same objective
    const skObjective = huberObjective(c.y, c.x, c.huber.sklearn.beta, c.huber.sklearn.intercept, c.huber.sklearn.scale);
    expect(closeTo(skObjective, c.huber.sklearn.objective, 1e-12)).toBe(true);
    expect(r.objective).toBeLessThanOrEqual(c.huber.sklearn.objective * (1 + 1e-14));
    expect(r.objective).toBeLessThanOrEqual(c.huber.tight.objective * (1 + 1e-14));
    expect(closeTo(r.beta, c.huber.tight.beta, 1e-6)).toBe(true);
    expect(closeTo(r.intercept, c.huber.tight.intercept, 1e-6, 1)).toBe(true);
    expect(closeTo(r.scale, c.huber.tight.scale, 1e-6)).toBe(true);
  });

  it('Kalman hedge ratio equals the reference filter for both parameter sets', () => {
    for (const k of c.kalman) {
      const r = kalmanHedge(c.y, c.x, { delta: k.delta, observationVariance: k.observationVariance });
      expect(firstMismatch(r.beta, k.beta, 1e-9, 1e-3)).toBe(-1);
      expect(firstMismatch(r.alpha, k.alpha, 1e-9, 1)).toBe(-1);
      expect(firstMismatch(r.innovation, k.innovation, 1e-8, 1)).toBe(-1);
      expect(firstMismatch(r.innovationVariance, k.innovationVariance, 1e-9)).toBe(-1);
    }
  });

  it('half-life and Hurst follow the stated conventions', () => {
    const spread = ols(c.y, c.x).residuals;
    const h = halfLife(spread);
    expect(closeTo(h.slope, c.halfLife.slope, 1e-9)).toBe(true);
    expect(closeTo(h.halfLife, c.halfLife.halfLife, 1e-9)).toBe(true);
    expect(closeTo(h.halfLifeAr1, c.halfLife.halfLifeAr1, 1e-9)).toBe(true);
    expect(closeTo(hurst(spread), c.hurst.spread, 1e-10)).toBe(true);
    expect(closeTo(hurst(c.y), c.hurst.y, 1e-10)).toBe(true);
  });
});

describe('Huber on 200,000 points (warm start from a subsample)', () => {
  it('lands on the same optimum as Newton from OLS, and no nearby point has a lower objective', () => {
    const rnd = lcg(21);
    const n = 200_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    let v = 30_000;
    for (let i = 0; i < n; i++) {
      v += rnd() - 0.5;
      x[i] = v;
      y[i] = 0.06 * v + 20 + (rnd() - 0.5) + (i % 17 === 3 ? 40 * (rnd() - 0.5) : 0);
    }
    const warm = huber(y, x);
    const cold = huber(y, x, { warmStart: false });
    expect(warm.converged && cold.converged).toBe(true);
    expect(closeTo(warm.beta, cold.beta, 1e-9)).toBe(true);
    expect(closeTo(warm.intercept, cold.intercept, 1e-7, 1)).toBe(true);
    expect(closeTo(warm.scale, cold.scale, 1e-9)).toBe(true);
    expect(closeTo(warm.objective, cold.objective, 1e-13)).toBe(true);
    for (const [db, dc, ds] of [[1e-7, 0, 0], [-1e-7, 0, 0], [0, 1e-4, 0], [0, -1e-4, 0], [0, 0, 1e-6], [0, 0, -1e-6]]) {
      const nearby = huberObjective(y, x, warm.beta * (1 + db), warm.intercept + dc, warm.scale * (1 + ds));
      expect(nearby).toBeGreaterThanOrEqual(warm.objective * (1 - 1e-14));
    }
  });
});

describe('Kalman parameters and rolling Huber', () => {
  const c = cases.coint_pair;
  it('initial state and covariance are honoured (first step by hand)', () => {
    const p0: [number, number, number] = [0.5, 0.1, 2];
    const theta0: [number, number] = [1.4, 2];
    const r = kalmanHedge(c.y.slice(0, 3), c.x.slice(0, 3), { delta: 1e-4, observationVariance: 0.5, initialState: theta0, initialCovariance: p0 });
    const [x0, y0] = [c.x[0], c.y[0]];
    const ph = [p0[0] * x0 + p0[1], p0[1] * x0 + p0[2]];
    const q = x0 * ph[0] + ph[1] + 0.5;
    const e = y0 - (theta0[0] * x0 + theta0[1]);
    expect(r.innovation[0]).toBeCloseTo(e, 12);
    expect(r.innovationVariance[0]).toBeCloseTo(q, 9);
    expect(closeTo(r.beta[0], theta0[0] + (ph[0] / q) * e, 1e-13)).toBe(true);
    expect(closeTo(r.alpha[0], theta0[1] + (ph[1] / q) * e, 1e-13)).toBe(true);
    // the filter object continues where the batch stopped
    const full = kalmanHedge(c.y.slice(0, 4), c.x.slice(0, 4), { delta: 1e-4, observationVariance: 0.5, initialState: theta0, initialCovariance: p0 });
    const next = r.filter.update(c.y[3], c.x[3]);
    expect(next.beta).toBe(full.beta[3]);
    expect(next.alpha).toBe(full.alpha[3]);
  });

  it('rolling Huber hedge ratio at an estimation bar equals Huber on that window', () => {
    const r = rollingHedgeRatio(c.y, c.x, { method: 'huber', window: 250, every: 100 });
    for (const at of [249, 349, 1949]) {
      const h = huber(c.y.slice(at - 249, at + 1), c.x.slice(at - 249, at + 1));
      expect(r.estimatedAt[at]).toBe(at);
      expect(r.beta[at]).toBe(h.beta);
      expect(r.alpha[at]).toBe(h.intercept);
      expect(r.beta[at + 50]).toBe(h.beta);
    }
  });
});
