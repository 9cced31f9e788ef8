// Basket weights and tests equal statsmodels (OLS of leg 1 on the others, coint(y, X), coint_johansen's first vector);
// a basket scan finds the one cointegrated 3-leg combination whose pairs are not cointegrated; rolling weights use
// only past bars.
import { describe, expect, it } from 'vitest';
import {
  AnalyticsInputError, analyseBasket, basketSpread, egBasketTest, egWeights, johansenBasketTest, johansenWeights,
  rollingBasketWeights, scanBaskets, scanPairs, trainedBasketWeights,
} from '../../src/analytics';
import { closeTo, lcg, loadFixture } from './fixtures';

interface BasketCase {
  name: string;
  legs: number[][];
  olsParams: number[];
  egStatistic: number;
  egPValue: number;
  egCrit: number[];
  johansenWeights: number[];
  johansenTrace0: number;
  johansenCrit0: number[];
}
const { cases } = loadFixture<{ cases: BasketCase[] }>('basket.json');

describe('basket weights and tests against statsmodels', () => {
  for (const c of cases) {
    const legs = c.legs.map((l) => Float64Array.from(l));
    const m = legs.length;
    it(`${c.name}: EG weights are statsmodels OLS of leg 1 on the others`, () => {
      const fit = egWeights(legs);
      for (let i = 1; i < m; i++) expect(closeTo(fit.weights[i], -c.olsParams[i - 1], 1e-9)).toBe(true);
      expect(closeTo(fit.intercept, c.olsParams[m - 1], 1e-9)).toBe(true);
      expect(fit.weights[0]).toBe(1);
    });
    it(`${c.name}: EG test is statsmodels coint(y, X) (statistic, p-value, critical values)`, () => {
      const t = egBasketTest(legs);
      expect(closeTo(t.statistic, c.egStatistic, 1e-8)).toBe(true);
      expect(closeTo(t.pValue, c.egPValue, 1e-8, 1e-12)).toBe(true);
      expect([t.criticalValues['1%'], t.criticalValues['5%'], t.criticalValues['10%']].every((v, k) => closeTo(v, c.egCrit[k], 1e-10))).toBe(true);
    });
    it(`${c.name}: Johansen weights are the first eigenvector scaled to leg 1 = 1`, () => {
      const fit = johansenWeights(legs);
      for (let i = 0; i < m; i++) expect(closeTo(fit.weights[i], c.johansenWeights[i], 1e-7)).toBe(true);
      const t = johansenBasketTest(legs);
      expect(closeTo(t.statistic, c.johansenTrace0, 1e-9)).toBe(true);
      expect(t.criticalValues['5%']).toBe(c.johansenCrit0[1]);
      expect(t.rejects).toBe(c.johansenTrace0 > c.johansenCrit0[1]);
    });
  }

  it('two legs: the spread is exactly the pair spread y − (α + β·x)', () => {
    const [y, x] = cases[0].legs.map((l) => Float64Array.from(l));
    const fit = egWeights([y, x]);
    const s = basketSpread([y, x], Array.from(fit.weights), fit.intercept);
    const beta = -fit.weights[1];
    for (let t = 0; t < y.length; t++) expect(s[t]).toBe(y[t] - (fit.intercept + beta * x[t]));
  });

  it('refuses bad baskets with what to do', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => 100 + i);
    expect(() => egWeights([a])).toThrow(/2 to 6 legs/);
    expect(() => egWeights([a, a.subarray(1)])).toThrow(/align the legs/);
    expect(() => egWeights([a, new Float64Array(50).fill(3)])).toThrow(/constant/);
    expect(() => egWeights([a, a.map((v) => v * 2), a.map((v) => v * 3)])).toThrow(AnalyticsInputError);
  });
});

/** u, v independent walks; A ≈ u, B ≈ v, C ≈ u + v: no pair cointegrates, C − A − B does; D, E independent walks. */
function universe(n: number, seed: number): Record<string, Float64Array> {
  const r = lcg(seed);
  const g = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  const walk = (start: number) => {
    let p = start;
    return Float64Array.from({ length: n }, () => (p += g()));
  };
  const u = walk(200);
  const v = walk(150);
  const noisy = (s: Float64Array, k: number) => s.map((p) => k * p + 0.5 * g());
  return {
    AUSDT: noisy(u, 1),
    BUSDT: noisy(v, 1),
    CUSDT: u.map((p, t) => p + v[t] + 0.5 * g()),
    DUSDT: walk(120),
    EUSDT: walk(90),
  };
}

describe('basket scan', () => {
  const uni = universe(1500, 4242);
  it('ranks the cointegrated triple first while no pair inside it is cointegrated', () => {
    const pairs = scanPairs({ AUSDT: uni.AUSDT, BUSDT: uni.BUSDT, CUSDT: uni.CUSDT });
    for (const p of pairs) expect(p.egPValue).toBeGreaterThan(0.05);
    const rows = scanBaskets(uni, { size: 3 });
    expect(rows).toHaveLength(10);
    expect([...rows[0].legs].sort()).toEqual(['AUSDT', 'BUSDT', 'CUSDT']);
    expect(rows[0].egPValue).toBeLessThan(0.01);
    expect(rows[0].johansenRatio).toBeGreaterThan(1);
    for (const r of rows.slice(1)) expect(r.egPValue).toBeGreaterThan(0.01);
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, k) => k + 1));
    const byJohansen = scanBaskets(uni, { size: 3, rankBy: 'johansen' });
    expect([...byJohansen[0].legs].sort()).toEqual(['AUSDT', 'BUSDT', 'CUSDT']);
  });

  it('refuses a size outside 3..6 or larger than the universe', () => {
    expect(() => scanBaskets(uni, { size: 2 })).toThrow(/3 to 6/);
    expect(() => scanBaskets({ AUSDT: uni.AUSDT, BUSDT: uni.BUSDT, CUSDT: uni.CUSDT }, { size: 4 })).toThrow(/at least 4 symbols/);
  });
});

describe('basket weights over time', () => {
  const uni = universe(600, 99);
  const legs = [uni.CUSDT, uni.AUSDT, uni.BUSDT];

  it('rolling weights at bar t are the fit on bars (t − window, t] only', () => {
    const w = rollingBasketWeights('eg', legs, 200, 50);
    expect(Number.isNaN(w.weights[1][198])).toBe(true);
    const at = (t: number) => egWeights(legs, t - 199, t + 1);
    expect(w.weights[1][199]).toBe(at(199).weights[1]);
    expect(w.weights[2][249]).toBe(at(249).weights[2]);
    expect(w.weights[2][298]).toBe(at(249).weights[2]); // carried between re-fits
    // changing a later bar leaves every earlier weight as it was
    const changed = legs.map((l) => l.slice());
    changed[1][400] += 50;
    const w2 = rollingBasketWeights('eg', changed, 200, 50);
    expect(Array.from(w2.weights[1].subarray(0, 400))).toEqual(Array.from(w.weights[1].subarray(0, 400)));
  });

  it('trained weights are the fit on the training bars, unknown before its last bar', () => {
    const w = trainedBasketWeights('johansen', legs, 300);
    expect(Number.isNaN(w.weights[2][298])).toBe(true);
    expect(w.weights[2][599]).toBe(johansenWeights(legs, 0, 300).weights[2]);
  });

  it('analyseBasket: a cointegrated basket mean-reverts, is stable, and its z is the rolling z of its spread', () => {
    const a = analyseBasket(legs, { method: 'johansen', zWindow: 50, stabilityWindow: 200 });
    expect(a.cointegration.rejects).toBe(true);
    expect(a.halfLife).toBeLessThan(5);
    expect(a.adf.pValue).toBeLessThan(0.01);
    expect(a.stability.windows).toBe(5);
    expect(a.stability.share).toBe(1);
    expect(Number.isNaN(a.z[48])).toBe(true);
    expect(Number.isFinite(a.z[49])).toBe(true);
    const walks = analyseBasket([uni.AUSDT, uni.DUSDT, uni.EUSDT], { method: 'eg', stabilityWindow: 200 });
    expect(walks.cointegration.pValue).toBeGreaterThan(0.05);
    expect(walks.stability.share).toBeLessThan(0.5);
  });
});
