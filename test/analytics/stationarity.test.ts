import { describe, expect, it } from 'vitest';
import { adfuller, adfullerBoth, coint, cointFromFit, johansen, mackinnoncrit, mackinnonp, normalCdf, ols, type AdfAutolag, type AdfRegression } from '../../src/analytics';
import { closeTo, loadFixture } from './fixtures';

interface AdfRef { regression: AdfRegression; autolag: AdfAutolag; maxlag: number | null; statistic: number; pvalue: number; usedlag: number; nobs: number; crit: number[]; icbest: number }
interface CointRef { statistic: number; pvalue: number; crit: number[] }
interface Case { y: number[]; x: number[]; adf: { y: AdfRef[]; spread: AdfRef[] }; coint: Record<string, CointRef> }
const { cases } = loadFixture<{ cases: Record<string, Case> }>('stationarity.json');

function checkAdf(series: ArrayLike<number>, ref: AdfRef): void {
  const r = adfuller(Array.from(series), { regression: ref.regression, autolag: ref.autolag, maxlag: ref.maxlag ?? undefined });
  const label = `${ref.regression}/${String(ref.autolag)}/maxlag ${String(ref.maxlag)}`;
  expect(r.usedLag, label).toBe(ref.usedlag);
  expect(r.nobs, label).toBe(ref.nobs);
  expect(closeTo(r.statistic, ref.statistic, 1e-8), `${label} stat ${r.statistic} vs ${ref.statistic}`).toBe(true);
  expect(closeTo(r.pValue, ref.pvalue, 1e-8), `${label} p ${r.pValue} vs ${ref.pvalue}`).toBe(true);
  expect(closeTo(r.criticalValues['1%'], ref.crit[0], 1e-12)).toBe(true);
  expect(closeTo(r.criticalValues['5%'], ref.crit[1], 1e-12)).toBe(true);
  expect(closeTo(r.criticalValues['10%'], ref.crit[2], 1e-12)).toBe(true);
  if (ref.autolag === 'aic' || ref.autolag === 'bic') expect(closeTo(r.icBest, ref.icbest, 1e-9), label).toBe(true);
  if (ref.autolag === 't-stat') expect(closeTo(r.icBest, ref.icbest, 1e-7), label).toBe(true);
}

describe.each(Object.entries(cases))('ADF and Engle-Granger vs statsmodels: %s', (_name, c) => {
  it('adfuller on the level series (c/ct/ctt/n × AIC, BIC, t-stat, fixed lag)', () => {
    for (const ref of c.adf.y) checkAdf(c.y, ref);
  });

  it('adfuller on the OLS spread', () => {
    const spread = ols(c.y, c.x).residuals;
    for (const ref of c.adf.spread) checkAdf(spread, ref);
  });

  it('coint in both orientations, trend c and n', () => {
    for (const [key, ref] of Object.entries(c.coint)) {
      const [orientation, trend] = key.split('_') as ['yx' | 'xy', 'c' | 'n'];
      const [a, b] = orientation === 'yx' ? [c.y, c.x] : [c.x, c.y];
      const r = coint(a, b, { trend });
      expect(closeTo(r.statistic, ref.statistic, 1e-8), `${key} stat ${r.statistic} vs ${ref.statistic}`).toBe(true);
      expect(closeTo(r.pValue, ref.pvalue, 1e-8), `${key} p ${r.pValue} vs ${ref.pvalue}`).toBe(true);
      expect(closeTo(r.criticalValues['1%'], ref.crit[0], 1e-12)).toBe(true);
      expect(closeTo(r.criticalValues['10%'], ref.crit[2], 1e-12)).toBe(true);
    }
  });
});

describe('ADF on a long near-unit-root series (n = 20,000, price level 5,000)', () => {
  const ref = loadFixture<{ x: number[]; statistic: number; pvalue: number; usedlag: number; nobs: number; icbest: number; crit: number[] }>('adf_long.json');
  it('matches statsmodels statistic, p-value, lag and AIC', () => {
    const r = adfuller(ref.x);
    expect(r.usedLag).toBe(ref.usedlag);
    expect(r.nobs).toBe(ref.nobs);
    expect(closeTo(r.statistic, ref.statistic, 1e-8)).toBe(true);
    expect(closeTo(r.pValue, ref.pvalue, 1e-8)).toBe(true);
    expect(closeTo(r.icBest, ref.icbest, 1e-9)).toBe(true);
  });
});

describe('MacKinnon p-values, critical values and the normal CDF', () => {
  const ref = loadFixture<{ stats: number[]; p: Record<string, number[]>; crit: Record<string, number[]>; normal: { z: number[]; cdf: number[] } }>('mackinnon.json');
  it('mackinnonp equals statsmodels over a grid including the far tail and the branch points', () => {
    for (const [key, values] of Object.entries(ref.p)) {
      const reg = key[0] as 'c' | 'n';
      const n = Number(key.slice(1));
      ref.stats.forEach((t, i) => expect(closeTo(mackinnonp(t, reg, n), values[i], 1e-12), `${key} at ${t}`).toBe(true));
    }
  });
  it('mackinnoncrit equals statsmodels for finite and infinite samples', () => {
    for (const [key, values] of Object.entries(ref.crit)) {
      const [head, nobs] = key.split('_');
      const cv = mackinnoncrit(Number(head.slice(1)), head[0] as 'c' | 'n', nobs === 'inf' ? Infinity : Number(nobs));
      expect(closeTo(cv['1%'], values[0], 1e-13)).toBe(true);
      expect(closeTo(cv['5%'], values[1], 1e-13)).toBe(true);
      expect(closeTo(cv['10%'], values[2], 1e-13)).toBe(true);
    }
  });
  it('normalCdf keeps relative precision down to 1e-300 (scipy norm.cdf)', () => {
    ref.normal.z.forEach((z, i) => expect(closeTo(normalCdf(z), ref.normal.cdf[i], 1e-13), `Φ(${z})`).toBe(true));
  });
});

describe('Johansen vs statsmodels coint_johansen', () => {
  interface Run { detOrder: number; kArDiff: number; eig: number[]; evec: number[][]; lr1: number[]; lr2: number[]; cvt: number[][]; cvm: number[][] }
  const { cases: jcases } = loadFixture<{ cases: Record<string, { data: number[][]; runs: Run[] }> }>('johansen.json');
  for (const [name, c] of Object.entries(jcases)) {
    it(`${name}: eigenvalues, trace and max-eig statistics, critical values, eigenvectors up to sign`, () => {
      for (const run of c.runs) {
        const r = johansen(c.data, run.detOrder, run.kArDiff);
        const label = `${name} det ${run.detOrder} k ${run.kArDiff}`;
        // relative to the largest value: det_order −1 on un-centred log levels is ill-conditioned, and there the
        // smallest eigenvalue (~5e-5) agrees with numpy's non-symmetric eig only to ~1e-12 absolute
        run.eig.forEach((v, i) => expect(closeTo(r.eigenvalues[i], v, 1e-8, run.eig[0]), `${label} eig ${i}`).toBe(true));
        run.lr1.forEach((v, i) => expect(closeTo(r.traceStat[i], v, 1e-8, run.lr1[0]), `${label} trace ${i}`).toBe(true));
        run.lr2.forEach((v, i) => expect(closeTo(r.maxEigStat[i], v, 1e-8, run.lr2[0]), `${label} maxeig ${i}`).toBe(true));
        run.cvt.forEach((row, i) => row.forEach((v, j) => expect(r.traceCrit[i][j]).toBe(v)));
        run.cvm.forEach((row, i) => row.forEach((v, j) => expect(r.maxEigCrit[i][j]).toBe(v)));
        const m = run.eig.length;
        for (let col = 0; col < m; col++) {
          const ref = run.evec.map((row) => row[col]);
          const sign = Math.sign(ref.find((v) => v !== 0) ?? 1) * Math.sign(r.eigenvectors[col].find((v) => v !== 0) ?? 1);
          const scale = Math.max(...ref.map(Math.abs));
          ref.forEach((v, i) => expect(closeTo(sign * r.eigenvectors[col][i], v, 1e-6, scale), `${label} evec ${col},${i}`).toBe(true));
        }
      }
    });
  }
});

describe('shared computations equal the separate calls', () => {
  it.each(Object.entries(cases))('%s: adfullerBoth and cointFromFit', (_name, c) => {
    const fit = ols(c.y, c.x);
    const both = adfullerBoth(fit.residuals);
    expect(both.c).toEqual(adfuller(fit.residuals, { regression: 'c' }));
    const n = adfuller(fit.residuals, { regression: 'n' });
    expect(both.n.usedLag).toBe(n.usedLag);
    expect(closeTo(both.n.statistic, n.statistic, 1e-12)).toBe(true);
    const eg = cointFromFit(fit, both.n);
    const ref = coint(c.y, c.x);
    expect(eg.usedLag).toBe(ref.usedLag);
    expect(closeTo(eg.statistic, ref.statistic, 1e-12)).toBe(true);
    expect(closeTo(eg.pValue, ref.pValue, 1e-12)).toBe(true);
    expect(eg.criticalValues).toEqual(ref.criticalValues);
  });
});
