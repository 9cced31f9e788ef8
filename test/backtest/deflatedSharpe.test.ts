import { describe, expect, it } from 'vitest';
import { deflatedSharpe, expectedMaxSharpe, normalQuantile, returnMoments } from '../../src/backtest/deflatedSharpe';

describe('deflated Sharpe ratio', () => {
  it('normal quantiles', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874040841, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it("reproduces the paper's worked example (annual SR 2.5, 1,250 days, skew −3, kurtosis 10, 100 trials, V 0.5): 0.9004", () => {
    const days = 250;
    const dsr = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(days), bars: 1250, skewness: -3, kurtosis: 10, trials: 100, sharpeVariance: 0.5 / days });
    expect(dsr).toBeCloseTo(0.9004, 4);
    // one trial is no search: the benchmark is 0
    expect(expectedMaxSharpe(1, 0.5)).toBe(0);
  });

  it('moments of a small sample', () => {
    const m = returnMoments(Float64Array.from([1, 2, 3, 10]));
    // mean 4; deviations −3 −2 −1 6; m2 = 50/4, m3 = 180/4, m4 = 1394/4
    expect(m.skewness).toBeCloseTo(45 / 12.5 ** 1.5, 12);
    expect(m.kurtosis).toBeCloseTo(348.5 / 156.25, 12);
  });
});
