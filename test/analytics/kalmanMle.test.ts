import { describe, expect, it } from 'vitest';
import { kalmanHedge, kalmanLogLikelihood, kalmanMle } from '../../src/analytics';
import { closeTo, lcg, loadFixture } from './fixtures';

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
        expect(closeTo(fit.delta, c.mle.delta, 1e-6), `${fit.delta} vs ${c.mle.delta}`).toBe(true);
        expect(closeTo(fit.observationVariance, c.mle.observationVariance, 1e-6)).toBe(true);
        expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.mle.logLikelihood - 1e-9 * Math.abs(c.mle.logLikelihood));
        expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.statsmodelsFit.logLikelihood);
      });

      it("has standard errors close to statsmodels' (numerical Hessian, cov_type 'approx')", () => {
        expect(closeTo(fit.stdErr.delta, c.statsmodelsFit.stdErr[0], 1e-3), `${fit.stdErr.delta} vs ${c.statsmodelsFit.stdErr[0]}`).toBe(true);
        expect(closeTo(fit.stdErr.observationVariance, c.statsmodelsFit.stdErr[1], 1e-3)).toBe(true);
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

  it('recovers δ and the observation variance of a simulated day of one-second bars within three standard errors', () => {
    const u = lcg(424242);
    const g = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const n = 86_400;
    const truth = { vw: 1e-6, ve: 0.01 };
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    let level = 100;
    let beta = 1.5;
    let alpha = 3;
    for (let i = 0; i < n; i++) {
      level += 0.1 * g();
      if (i > 0) {
        beta += Math.sqrt(truth.vw) * g();
        alpha += Math.sqrt(truth.vw) * g();
      }
      x[i] = level;
      y[i] = beta * level + alpha + Math.sqrt(truth.ve) * g();
    }
    const fit = kalmanMle(y, x, { initialState: [1.5, 3], initialCovariance: [1e-4, 0, 1e-4] });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.delta - truth.vw / (1 + truth.vw))).toBeLessThan(3 * fit.stdErr.delta);
    expect(Math.abs(fit.observationVariance - truth.ve)).toBeLessThan(3 * fit.stdErr.observationVariance);
  });

  it('refuses NaN and too few bars with a message', () => {
    const x = Array.from({ length: 20 }, (_, i) => 100 + i);
    expect(() => kalmanMle(x.map((v, i) => (i === 7 ? NaN : 2 * v)), x)).toThrow(/finite/);
    expect(() => kalmanMle([1, 2, 3], [1, 2, 4])).toThrow(/at least/);
  });
});
