import { describe, expect, it } from 'vitest';
import { kalmanHedge, kalmanLogLikelihood, kalmanMle } from '../../src/analytics';
import { closeTo, loadFixture } from './fixtures';

interface KalmanMleCase {
  name: string;
  truth: { delta: number; observationVariance: number };
  initialState: [number, number];
  initialCovariance: [number, number, number];
  y: number[];
  x: number[];
  logLikelihoodAt: { delta: number; observationVariance: number; logLikelihood: number }[];
  statsmodelsFit: { delta: number; observationVariance: number; logLikelihood: number; stdErr: [number, number] };
  mle: { delta: number; observationVariance: number; logLikelihood: number };
  filteredAtMle: { beta: number[]; alpha: number[] };
}

const fixture = loadFixture<{ cases: KalmanMleCase[] }>('kalman_mle.json');

describe('Kalman hedge by maximum likelihood of the innovations', () => {
  for (const c of fixture.cases) {
    describe(c.name, () => {
      const init = { initialState: c.initialState, initialCovariance: c.initialCovariance };
      const fit = kalmanMle(c.y, c.x, init);

      it("has the log-likelihood of statsmodels' state-space model at given parameters to 1e-9", () => {
        for (const probe of c.logLikelihoodAt) {
          const ours = kalmanLogLikelihood(c.y, c.x, { ...init, delta: probe.delta, observationVariance: probe.observationVariance });
          expect(closeTo(ours, probe.logLikelihood, 1e-9), `${ours} vs ${probe.logLikelihood}`).toBe(true);
        }
      });

      it("finds statsmodels' optimum within optimiser tolerance, with a likelihood at least as high", () => {
        expect(fit.converged).toBe(true);
        expect(closeTo(fit.delta, c.mle.delta, 1e-5), `${fit.delta} vs ${c.mle.delta}`).toBe(true);
        expect(closeTo(fit.observationVariance, c.mle.observationVariance, 1e-5)).toBe(true);
        expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.mle.logLikelihood - 1e-9 * Math.abs(c.mle.logLikelihood));
        expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.statsmodelsFit.logLikelihood);
      });

      it("has standard errors close to statsmodels' (numerical Hessian, cov_type 'approx')", () => {
        expect(closeTo(fit.stdErr.delta, c.statsmodelsFit.stdErr[0], 2e-2), `${fit.stdErr.delta} vs ${c.statsmodelsFit.stdErr[0]}`).toBe(true);
        expect(closeTo(fit.stdErr.observationVariance, c.statsmodelsFit.stdErr[1], 2e-2)).toBe(true);
      });

      it('recovers the simulated δ and observation variance within three standard errors', () => {
        expect(Math.abs(fit.delta - c.truth.delta)).toBeLessThan(3 * fit.stdErr.delta);
        expect(Math.abs(fit.observationVariance - c.truth.observationVariance)).toBeLessThan(3 * fit.stdErr.observationVariance);
      });

      it('filters with the fitted parameters exactly as kalmanHedge does, and as statsmodels at its optimum', () => {
        const hedge = kalmanHedge(c.y, c.x, fit.params);
        const again = kalmanHedge(c.y, c.x, { ...init, delta: fit.delta, observationVariance: fit.observationVariance });
        expect(Array.from(hedge.beta)).toEqual(Array.from(again.beta));
        const n = c.y.length;
        c.filteredAtMle.beta.forEach((b, i) => expect(closeTo(hedge.beta[n - 5 + i], b, 1e-6)).toBe(true));
        c.filteredAtMle.alpha.forEach((a, i) => expect(closeTo(hedge.alpha[n - 5 + i], a, 1e-5)).toBe(true));
      });
    });
  }

  it('refuses NaN and too few bars with a message', () => {
    const x = Array.from({ length: 20 }, (_, i) => 100 + i);
    expect(() => kalmanMle(x.map((v, i) => (i === 7 ? NaN : 2 * v)), x)).toThrow(/finite/);
    expect(() => kalmanMle([1, 2, 3], [1, 2, 4])).toThrow(/at least/);
  });
});
