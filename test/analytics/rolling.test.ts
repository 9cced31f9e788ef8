import { describe, expect, it } from 'vitest';
import {
  crossCorrelation,
  expandingHedgeRatio,
  huber,
  returns,
  rollingCorrelation,
  rollingHedgeRatio,
  rollingMean,
  rollingStd,
  rollingZScore,
  spread,
} from '../../src/analytics';
import { closeTo, firstMismatch, lcg, loadFixture } from './fixtures';

interface RollRef { window: number; mean: number[]; std: number[]; z: number[]; exactMean: number[]; exactStd: number[]; exactZ: number[] }
interface HuberPoint { beta: number; intercept: number; scale: number; objective: number }
interface Fixture {
  series: number[];
  seriesWithGaps: number[];
  partner: number[];
  gapsCorr: { window: number; corr: number[] };
  clean: RollRef[];
  gaps: RollRef[];
  pair: {
    y: number[];
    x: number[];
    corr: { window: number; simple: number[]; log: number[]; xcorr: number[] };
    hedge: {
      window: number;
      rollingBeta: number[];
      rollingAlpha: number[];
      expandingBeta: number[];
      expandingAlpha: number[];
      huberWindows: { end: number; window: number; sklearn: HuberPoint; tight: HuberPoint }[];
    };
  };
}
const f = loadFixture<Fixture>('rolling.json');

describe('rolling mean / std / z-score vs pandas', () => {
  // pandas slides running sums (error ~ eps·mean²/var: ~1e-9 relative here at level 1000, std 0.03), so we
  // pin the values to an exact two-pass reference and check pandas agreement at its own accuracy
  it.each(f.clean.map((r) => [r.window, r] as const))('clean series, window %i', (_w, ref) => {
    const mean = rollingMean(f.series, ref.window);
    const std = rollingStd(f.series, ref.window);
    const z = rollingZScore(f.series, ref.window);
    expect(firstMismatch(mean, ref.exactMean, 1e-15)).toBe(-1);
    expect(firstMismatch(std, ref.exactStd, 1e-11)).toBe(-1);
    expect(firstMismatch(z, ref.exactZ, 1e-10, 1)).toBe(-1);
    expect(firstMismatch(mean, ref.mean, 1e-13)).toBe(-1);
    expect(firstMismatch(std, ref.std, 1e-7)).toBe(-1);
    expect(firstMismatch(z, ref.z, 1e-7, 1)).toBe(-1);
  });

  it.each(f.gaps.map((r) => [r.window, r] as const))('NaN gaps and a constant stretch, window %i', (_w, ref) => {
    const mean = rollingMean(f.seriesWithGaps, ref.window);
    const std = rollingStd(f.seriesWithGaps, ref.window);
    const z = rollingZScore(f.seriesWithGaps, ref.window);
    expect(firstMismatch(mean, ref.exactMean, 1e-15)).toBe(-1);
    expect(firstMismatch(std, ref.exactStd, 1e-11, 1e-12)).toBe(-1);
    expect(firstMismatch(z, ref.exactZ, 1e-10, 1)).toBe(-1);
    // NaN exactly where pandas has NaN (incomplete windows, windows with a gap) ...
    for (let i = 0; i < ref.mean.length; i++) expect(Number.isNaN(mean[i]), `mean NaN at ${i}`).toBe(Number.isNaN(ref.mean[i]));
    for (let i = 0; i < ref.std.length; i++) expect(Number.isNaN(std[i]), `std NaN at ${i}`).toBe(Number.isNaN(ref.std[i]));
    expect(firstMismatch(mean, ref.mean, 1e-13)).toBe(-1);
    // ... and an all-equal window has std exactly 0 and z NaN (0/0); pandas 3.1 sometimes reports its
    // round-off there (std ~1e-6, z 0) instead, so windows inside the constant stretch are compared to the exact reference only
    const constant = (i: number) => i >= 900 + ref.window - 1 && i < 980;
    for (let i = 0; i < ref.std.length; i++) {
      if (constant(i)) {
        expect(std[i]).toBe(0);
        expect(z[i]).toBeNaN();
      } else {
        expect(Math.abs(std[i] - ref.std[i]) <= 1e-7 * ref.std[i] || (Number.isNaN(std[i]) && Number.isNaN(ref.std[i])), `std at ${i}`).toBe(true);
      }
    }
  });

  it('stays exact over a million bars at a price level of 30,000 (no running-sum drift)', () => {
    const rnd = lcg(42);
    const n = 1_000_000;
    const s = new Float64Array(n);
    let v = 30_000;
    for (let i = 0; i < n; i++) {
      v += rnd() - 0.5;
      s[i] = v;
    }
    const w = 500;
    const std = rollingStd(s, w);
    const mean = rollingMean(s, w);
    for (const end of [w - 1, 123_457, 654_321, n - 1]) {
      let m = 0;
      for (let j = end - w + 1; j <= end; j++) m += s[j];
      m /= w;
      let ss = 0;
      for (let j = end - w + 1; j <= end; j++) ss += (s[j] - m) ** 2;
      const exact = Math.sqrt(ss / (w - 1));
      expect(Math.abs(std[end] - exact) / exact).toBeLessThan(1e-10);
      expect(Math.abs(mean[end] - m) / m).toBeLessThan(1e-14);
    }
  });
});

describe('correlation vs pandas', () => {
  const { y, x, corr } = f.pair;
  it('rolling correlation of simple and log returns', () => {
    expect(firstMismatch(rollingCorrelation(y, x, corr.window, { returns: 'simple' }), corr.simple, 1e-9, 1)).toBe(-1);
    expect(firstMismatch(rollingCorrelation(y, x, corr.window, { returns: 'log' }), corr.log, 1e-9, 1)).toBe(-1);
  });
  it('rolling correlation with NaN gaps and a constant stretch: NaN exactly where pandas has NaN', () => {
    const r = rollingCorrelation(f.seriesWithGaps, f.partner, f.gapsCorr.window, { returns: 'none' });
    for (let i = 0; i < r.length; i++) expect(Number.isNaN(r[i]), `NaN at ${i}`).toBe(Number.isNaN(f.gapsCorr.corr[i]));
    expect(firstMismatch(r, f.gapsCorr.corr, 1e-9, 1)).toBe(-1);
  });
  it('cross-correlation at lags −5..5 equals rx.corr(ry.shift(−k))', () => {
    const r = crossCorrelation(returns(y), returns(x), 5);
    expect(Array.from(r.lags)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
    expect(firstMismatch(r.values, corr.xcorr, 1e-10, 1)).toBe(-1);
    expect(r.bestLag).toBe(0);
  });
  it('a series that leads by 3 bars peaks at lag +3', () => {
    const rnd = lcg(9);
    const a = Array.from({ length: 400 }, () => rnd() - 0.5);
    const b = a.map((_, t) => (t >= 3 ? a[t - 3] : 0) + 0.1 * (rnd() - 0.5));
    expect(crossCorrelation(a, b, 5).bestLag).toBe(3);
  });
});

describe('rolling and expanding hedge ratios vs statsmodels RollingOLS', () => {
  const { y, x, hedge } = f.pair;
  it('re-estimated every bar they equal RollingOLS (window 100) and expanding RollingOLS', () => {
    const roll = rollingHedgeRatio(y, x, { method: 'ols', window: hedge.window });
    expect(firstMismatch(roll.beta, hedge.rollingBeta, 1e-9)).toBe(-1);
    expect(firstMismatch(roll.alpha, hedge.rollingAlpha, 1e-8, 1)).toBe(-1);
    const exp = expandingHedgeRatio(y, x, { method: 'ols', window: hedge.window });
    expect(firstMismatch(exp.beta, hedge.expandingBeta, 1e-9)).toBe(-1);
    expect(firstMismatch(exp.alpha, hedge.expandingAlpha, 1e-8, 1)).toBe(-1);
  });
  it('re-estimated every k bars they hold the estimate made at the last re-estimation bar', () => {
    const k = 25;
    const r = rollingHedgeRatio(y, x, { method: 'ols', window: hedge.window, every: k });
    for (let t = hedge.window - 1; t < y.length; t++) {
      const at = t - ((t - (hedge.window - 1)) % k);
      expect(r.estimatedAt[t]).toBe(at);
      expect(r.beta[t]).toBe(r.beta[at]);
      expect(Math.abs(r.beta[at] - hedge.rollingBeta[at])).toBeLessThan(1e-9 * Math.abs(hedge.rollingBeta[at]));
    }
    expect(r.beta[hedge.window - 2]).toBeNaN();
  });
  it('rolling Huber (window 250) equals the converged sklearn HuberRegressor optimum on those windows', () => {
    const r = rollingHedgeRatio(y, x, { method: 'huber', window: 250 });
    for (const w of hedge.huberWindows) {
      expect(closeTo(r.beta[w.end], w.tight.beta, 1e-6), `β at ${w.end}`).toBe(true);
      expect(closeTo(r.alpha[w.end], w.tight.intercept, 1e-6, 1), `α at ${w.end}`).toBe(true);
      const h = huber(y.slice(w.end - 249, w.end + 1), x.slice(w.end - 249, w.end + 1));
      expect(h.objective).toBeLessThanOrEqual(w.sklearn.objective * (1 + 1e-14));
    }
  });
  it('spread applies per-bar hedge ratios', () => {
    const r = rollingHedgeRatio(y, x, { method: 'huber', window: 200, every: 50 });
    const s = spread(y, x, r.beta, r.alpha);
    const t = 777;
    expect(s[t]).toBeCloseTo(y[t] - r.alpha[t] - r.beta[t] * x[t], 12);
    expect(s[198]).toBeNaN();
  });
});
