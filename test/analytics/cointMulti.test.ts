import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, coint, mackinnoncrit, mackinnonp, olsWithTrend, type AdfAutolag, type TrendCode, type TrendSpec } from '../../src/analytics';
import { closeTo, loadFixture } from './fixtures';

interface Run { trend: TrendSpec; autolag: AdfAutolag; maxlag: number | null; statistic: number; pvalue: number; crit: number[]; usedlag: number; params: number[]; rsquared: number }
interface Case { seed: number; y: number[]; X: number[][]; runs: Run[]; walk: number[]; walkRuns: Run[] }
interface Fixture { cases: Case[]; mackinnon: { stats: number[]; p: Record<string, number[]>; crit: Record<string, number[]> } }
const fixture = loadFixture<Fixture>('coint_multi.json');

function check(y: number[], X: number[][], ref: Run, label: string): void {
  const r = coint(y, X, { trend: ref.trend, autolag: ref.autolag, maxlag: ref.maxlag ?? undefined });
  const tag = `${label} ${ref.trend}/${String(ref.autolag)}/${String(ref.maxlag)}`;
  expect(r.usedLag, tag).toBe(ref.usedlag);
  expect(closeTo(r.statistic, ref.statistic, 1e-8), `${tag} stat ${r.statistic} vs ${ref.statistic}`).toBe(true);
  expect(closeTo(r.pValue, ref.pvalue, 1e-8, 1e-12), `${tag} p ${r.pValue} vs ${ref.pvalue}`).toBe(true);
  ref.crit.forEach((v, i) => expect(closeTo([r.criticalValues['1%'], r.criticalValues['5%'], r.criticalValues['10%']][i], v, 1e-12), `${tag} crit ${i}`).toBe(true));
  const k = X.length;
  ref.params.slice(0, k).forEach((v, j) => expect(closeTo(r.betas[j], v, 1e-9), `${tag} beta ${j}: ${r.betas[j]} vs ${v}`).toBe(true));
  expect(r.vector).toEqual([1, ...r.betas.map((b) => -b)]);
  // statsmodels' [const, t, t²] coefficients come from an ill-conditioned solve of raw powers of t: compare on the fitted scale
  const trendRef = ref.params.slice(k);
  expect(r.trendCoefficients.length, tag).toBe(trendRef.length);
  const n = y.length;
  trendRef.forEach((v, j) => expect(closeTo(r.trendCoefficients[j] * n ** j, v * n ** j, 1e-7, Math.abs(trendRef[0]) + 1), `${tag} trend ${j}: ${r.trendCoefficients[j]} vs ${v}`).toBe(true));
}

describe('coint(y, X) with 1–5 regressors vs statsmodels coint', () => {
  it.each(fixture.cases.map((c) => [`seed ${c.seed}, ${c.X.length} regressors, n ${c.y.length}`, c] as const))('%s: trends c/ct/ctt/n, AIC/BIC/t-stat/fixed lag', (label, c) => {
    for (const ref of c.runs) check(c.y, c.X, ref, label);
    for (const ref of c.walkRuns) check(c.walk, c.X, ref, `${label} (random walk y)`);
  });

  it('olsWithTrend: R² (centred with a constant, uncentred for trend n) and coefficients equal statsmodels OLS on add_trend', () => {
    for (const c of fixture.cases) {
      for (const ref of c.runs.filter((r) => r.autolag === 'aic')) {
        const fit = olsWithTrend(Float64Array.from(c.y), c.X.map((x) => Float64Array.from(x)), ref.trend);
        expect(closeTo(fit.rSquared, ref.rsquared, 1e-12), `seed ${c.seed} ${ref.trend} R² ${fit.rSquared} vs ${ref.rsquared}`).toBe(true);
        ref.params.slice(0, c.X.length).forEach((v, j) => expect(closeTo(fit.coefficients[j], v, 1e-9), `seed ${c.seed} ${ref.trend} β${j}`).toBe(true));
      }
    }
  });

  it('a single regressor passed as a list equals the plain two-series call', () => {
    const c = fixture.cases[0];
    for (const trend of ['c', 'n'] as const) {
      const listed = coint(c.y, [c.X[0]], { trend });
      const plain = coint(c.y, c.X[0], { trend });
      expect(closeTo(listed.statistic, plain.statistic, 1e-12)).toBe(true);
      expect(listed.usedLag).toBe(plain.usedLag);
    }
  });

  it('refuses more than 5 regressors, mismatched lengths and constant regressors with what to do', () => {
    const c = fixture.cases.find((k) => k.X.length === 5) ?? fixture.cases[0];
    expect(() => coint(c.y, [...c.X, c.X[0]])).toThrow(/1\.\.5 regressors/);
    expect(() => coint(c.y, [c.X[0], c.X[1].slice(1)])).toThrow(/regressor 1 has .* align them first/);
    expect(() => coint(c.y, [c.X[0], c.X[1].map(() => 3)])).toThrow(/regressor 1 is constant/);
    expect(() => coint(c.y, [c.X[0], c.X[0]])).toThrow(AnalyticsInputError);
  });
});

describe('MacKinnon tables for N = 1..6 and regression c/ct/ctt/n', () => {
  const { stats, p, crit } = fixture.mackinnon;
  it('mackinnonp equals statsmodels', () => {
    for (const [key, values] of Object.entries(p)) {
      const reg = key.slice(0, -1) as TrendCode;
      const n = Number(key.slice(-1));
      stats.forEach((t, i) => expect(closeTo(mackinnonp(t, reg, n), values[i], 1e-12), `${key} at ${t}`).toBe(true));
    }
  });
  it('mackinnoncrit equals statsmodels for finite and infinite samples', () => {
    for (const [key, values] of Object.entries(crit)) {
      const [head, nobs] = key.split('_');
      const cv = mackinnoncrit(Number(head.slice(-1)), head.slice(0, -1) as TrendCode, nobs === 'inf' ? Infinity : Number(nobs));
      [cv['1%'], cv['5%'], cv['10%']].forEach((v, i) => expect(closeTo(v, values[i], 1e-13), `${key} ${i}`).toBe(true));
    }
  });
});
