import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, ouFit, ouLogLikelihood } from '../../src/analytics';
import { closeTo, lcg, loadFixture } from './fixtures';

interface FitCase {
  name: string;
  dt: number;
  truth: { theta: number; mu: number; sigma: number };
  x: number[];
  mle: { theta: number; mu: number; sigma: number };
  exact: { theta: number; mu: number; sigma: number };
  stdErr: number[];
  covariance: number[];
  logLikelihood: number;
  logLikelihoodAtTruth: number;
}

const fixture = loadFixture<{ fit: FitCase[] }>('ou.json');
const KEYS = ['theta', 'mu', 'sigma'] as const;

/** Exact OU transitions X_{t+1} = μ + e^{−θdt}(X_t − μ) + sd·z from a seeded normal generator. */
function simulate(n: number, dt: number, theta: number, mu: number, sigma: number, seed: number): Float64Array {
  const u = lcg(seed);
  const b = Math.exp(-theta * dt);
  const sd = sigma * Math.sqrt(-Math.expm1(-2 * theta * dt) / (2 * theta));
  const x = new Float64Array(n);
  x[0] = mu;
  for (let i = 1; i < n; i++) x[i] = mu + b * (x[i - 1] - mu) + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return x;
}

describe('exact OU maximum likelihood', () => {
  for (const c of fixture.fit) {
    describe(c.name, () => {
      const fit = ouFit(c.x, { dt: c.dt });

      it('equals the closed-form MLE computed with exact rational sums to 1e-12', () => {
        for (const k of KEYS) expect(closeTo(fit[k], c.exact[k], 1e-12), `${k}: ${fit[k]} vs ${c.exact[k]}`).toBe(true);
      });

      it("equals scipy's optimum of the exact transition likelihood within its tolerance, never with a lower likelihood", () => {
        for (const k of KEYS) expect(closeTo(fit[k], c.mle[k], 2e-6), `${k}: ${fit[k]} vs ${c.mle[k]}`).toBe(true);
        expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.logLikelihood - 1e-9 * Math.abs(c.logLikelihood));
        expect(closeTo(fit.logLikelihood, c.logLikelihood, 1e-10)).toBe(true);
        expect(closeTo(ouLogLikelihood(c.x, fit, c.dt), fit.logLikelihood, 1e-10)).toBe(true);
      });

      it('gives the log-likelihood at other parameters as scipy evaluates it', () => {
        expect(closeTo(ouLogLikelihood(c.x, c.truth, c.dt), c.logLikelihoodAtTruth, 1e-11)).toBe(true);
      });

      // ours is the exact inverse observed information; the finite-difference Hessian carries ~1e-4 of its own error
      it('has standard errors equal to the inverse numerical Hessian (statsmodels approx_hess3)', () => {
        KEYS.forEach((k, i) => expect(closeTo(fit.stdErr[k], c.stdErr[i], 5e-4), `${k}: ${fit.stdErr[k]} vs ${c.stdErr[i]}`).toBe(true));
        for (let i = 0; i < 9; i++) expect(closeTo(fit.covariance[i], c.covariance[i], 1e-3, Math.sqrt(c.covariance[(i % 3) * 4] * c.covariance[Math.floor(i / 3) * 4]) * 1e-2)).toBe(true);
      });

      it('recovers the simulated parameters within three standard errors', () => {
        for (const k of KEYS) expect(Math.abs(fit[k] - c.truth[k])).toBeLessThan(3 * fit.stdErr[k]);
      });
    });
  }

  it('covers the truth at about the nominal rate over independent simulated paths (one-second bars)', () => {
    const truth = { theta: 30, mu: -0.4, sigma: 0.8 };
    const within: Record<string, number> = { theta: 0, mu: 0, sigma: 0 };
    const paths = 20;
    for (let seed = 1; seed <= paths; seed++) {
      const fit = ouFit(simulate(20_000, 1 / 86_400, truth.theta * 5, truth.mu, truth.sigma, seed * 7919), { dt: 1 / 86_400 });
      for (const k of KEYS) if (Math.abs(fit[k] - (k === 'theta' ? truth.theta * 5 : truth[k])) < 2 * fit.stdErr[k]) within[k]++;
    }
    // 2 SE covers 95%; 20 paths with ≥ 15 inside fails with probability < 1e-3 for a correct SE
    for (const k of KEYS) expect(within[k], k).toBeGreaterThanOrEqual(15);
  });

  it('answers in the time unit of dt: the same bars in seconds and in days give θ scaled by 86,400', () => {
    const x = simulate(5_000, 1, 0.01, 2, 0.05, 11);
    const perSecond = ouFit(x, { dt: 1 });
    const perDay = ouFit(x, { dt: 1 / 86_400 });
    expect(closeTo(perDay.theta, perSecond.theta * 86_400, 1e-12)).toBe(true);
    expect(closeTo(perDay.sigma, perSecond.sigma * Math.sqrt(86_400), 1e-12)).toBe(true);
    expect(closeTo(perDay.halfLife * 86_400, perSecond.halfLife, 1e-12)).toBe(true);
  });

  it('refuses an explosive series, NaN and a bad bar length with messages that say what to do', () => {
    const explosive = new Float64Array(1000);
    for (let i = 1; i < explosive.length; i++) explosive[i] = 1.01 * explosive[i - 1] + 1 + 0.1 * Math.sin(i);
    expect(() => ouFit(explosive)).toThrow(/no mean reversion/);
    expect(() => ouFit([1, 2, NaN, 3, 2])).toThrow(AnalyticsInputError);
    expect(() => ouFit([1, 2, 1, 3, 2], { dt: 0 })).toThrow(/positive bar length/);
    expect(() => ouFit([1, 1, 1, 1])).toThrow(/constant/);
  });
});
