import { describe, expect, it } from 'vitest';
import { halfLife, huber, huberObjective, hurst, kalmanHedge, ols } from '../../src/analytics';
import { closeTo, firstMismatch, loadFixture } from './fixtures';

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
