import { describe, expect, it } from 'vitest';
import {
  AlertEngine,
  AnalyticsInputError,
  adfuller,
  coint,
  crossCorrelation,
  halfLife,
  huber,
  hurst,
  johansen,
  kalmanHedge,
  ols,
  PairState,
  pairSnapshot,
  rollingCorrelation,
  rollingHedgeRatio,
  rollingZScore,
  scanPairs,
  spread,
} from '../../src/analytics';
import { lcg } from './fixtures';

const rnd = lcg(1);
const x = Array.from({ length: 200 }, (_, i) => 100 + i * 0.1 + rnd());
const y = x.map((v) => 2 * v + rnd());
const withNaN = [...x.slice(0, 50), NaN, ...x.slice(51)];
const constant = new Array<number>(200).fill(42);

function rejects(fn: () => unknown, message: RegExp): void {
  expect(fn).toThrow(AnalyticsInputError);
  expect(fn).toThrow(message);
}

describe('input validation: clear errors, never a silent wrong number', () => {
  it('NaN input is refused by every estimator, naming the index', () => {
    rejects(() => ols(y, withNaN), /x\[50\] is NaN/);
    rejects(() => huber(withNaN, x), /y\[50\] is NaN/);
    rejects(() => kalmanHedge(y, withNaN), /x\[50\] is NaN/);
    rejects(() => adfuller(withNaN), /x\[50\] is NaN/);
    rejects(() => coint(withNaN, x), /y\[50\] is NaN/);
    rejects(() => johansen([withNaN, x], 0, 1), /series 0\[50\] is NaN/);
    rejects(() => halfLife(withNaN), /spread\[50\] is NaN/);
    rejects(() => hurst(withNaN), /series\[50\] is NaN/);
    rejects(() => rollingHedgeRatio(withNaN, x, { window: 20 }), /y\[50\] is NaN/);
    rejects(() => scanPairs({ A: withNaN, B: x }), /A\[50\] is NaN/);
    rejects(() => new PairState({ pair: 'P', hedge: { method: 'kalman' }, zWindow: 10 }).append(0, NaN, 1), /must be finite/);
  });

  it('johansen finds a NaN or ±Infinity at either end or inside, with every det order and lag count, and refuses moments that overflow', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of [0, 1, 57, 198, 199]) {
        const series = [...y];
        series[at] = bad;
        for (const detOrder of [-1, 0, 1]) {
          for (const kArDiff of [0, 3]) rejects(() => johansen([x, series], detOrder, kArDiff), new RegExp(`series 1\\[${at}\\] is ${bad}`));
        }
      }
    }
    rejects(() => johansen([x, y.map((v) => v * 1e160)], 0, 1), /overflowed.*rescale/);
  });

  it('rolling statistics return NaN exactly where pandas would instead of refusing gaps', () => {
    const z = rollingZScore(withNaN, 10);
    expect(z[49]).not.toBeNaN();
    for (let i = 50; i < 60; i++) expect(z[i]).toBeNaN();
    expect(z[60]).not.toBeNaN();
    expect(rollingCorrelation(withNaN, y, 10)[55]).toBeNaN();
  });

  it('mismatched lengths are refused', () => {
    rejects(() => ols(y, x.slice(1)), /y has 200 values but x has 199/);
    rejects(() => huber(y, x.slice(1)), /align/);
    rejects(() => coint(y, x.slice(1)), /align/);
    rejects(() => spread(y, x.slice(1), 1), /align/);
    rejects(() => rollingCorrelation(y, x.slice(1), 10), /align/);
    rejects(() => crossCorrelation(y, x.slice(1), 2), /align/);
    rejects(() => johansen([y, x.slice(1)], 0, 1), /align/);
    rejects(() => scanPairs({ A: y, B: x.slice(1) }), /align the universe/);
  });

  it('too-short series are refused with the minimum needed', () => {
    rejects(() => ols([1, 2], [1, 3]), /needs at least 3/);
    rejects(() => adfuller([1, 2, 3, 5]), /needs at least 6/);
    rejects(() => adfuller(x.slice(0, 20), { maxlag: 10 }), /maxlag 10 is too large for 20 values/);
    rejects(() => hurst(x.slice(0, 6)), /at least 8/);
    rejects(() => crossCorrelation([1, 2, 3], [1, 2, 4], 2), /fewer than 2 overlapping/);
    rejects(() => johansen([x.slice(0, 6), y.slice(0, 6)], 0, 2), /too few/);
    rejects(() => rollingZScore(x, 1), /window must be an integer ≥ 2/);
  });

  it('constant series are refused where the statistic is undefined', () => {
    rejects(() => ols(y, constant), /x is constant/);
    rejects(() => huber(y, constant), /x is constant/);
    rejects(() => adfuller(constant), /x is constant/);
    rejects(() => coint(constant, x), /y is constant/);
    rejects(() => coint(y, constant), /x is constant/);
    rejects(() => johansen([y, constant], 0, 1), /series 1 is constant/);
    rejects(() => halfLife(constant), /constant/);
    rejects(() => hurst(constant), /constant/);
  });

  it('constant y is refused by OLS and Huber, as constant x is, with a message naming y', () => {
    rejects(() => ols(constant, x), /^y is constant: the OLS fit is degenerate \(zero residuals, R² and t undefined\); pick a series that varies$/);
    rejects(() => huber(constant, x), /^y is constant: the Huber scale is zero and the fit cannot converge; pick a series that varies$/);
    expect(() => ols(constant, x)).toThrow(AnalyticsInputError);
    expect(() => huber(constant, x)).toThrow(AnalyticsInputError);
    rejects(() => pairSnapshot(x.map((_, i) => i), constant, x, { pair: 'C/X', hedge: { method: 'rolling', window: 20 }, zWindow: 10 }), /y is constant/);
  });

  it('a window with constant y leaves the rolling hedge ratio undefined (NaN), for OLS and Huber alike', () => {
    const ys = [...new Array<number>(30).fill(7), ...y.slice(30)];
    for (const method of ['ols', 'huber'] as const) {
      const r = rollingHedgeRatio(ys, x, { window: 20, method });
      expect(r.beta[25]).toBeNaN();
      expect(r.beta[60]).not.toBeNaN();
    }
  });

  it('a window with constant x leaves the rolling hedge ratio undefined (NaN), not a pinv split', () => {
    const xs = [...new Array<number>(30).fill(5), ...x.slice(30)];
    const r = rollingHedgeRatio(y, xs, { window: 20 });
    expect(r.beta[25]).toBeNaN();
    expect(r.beta[60]).not.toBeNaN();
  });

  it('bad parameters are refused', () => {
    rejects(() => kalmanHedge(y, x, { delta: 1 }), /delta must be in \(0, 1\)/);
    rejects(() => johansen([y, x], 2, 1), /detOrder must be −1/);
    rejects(() => huber(y, x, { epsilon: 0.5 }), /epsilon must be ≥ 1/);
    rejects(() => adfuller(x, { regression: 'tc' as 'c' }), /regression must be 'c', 'ct', 'ctt' or 'n'/);
    rejects(() => coint(y, x, { trend: 'tc' as 'c' }), /trend must be 'c', 'ct', 'ctt' or 'n'/);
    rejects(() => new AlertEngine({ P: [{ kind: 'zscore', threshold: NaN }] }), /threshold must be a finite number/);
    rejects(() => new AlertEngine({ P: [{ kind: 'nope' as 'zscore', threshold: 1 }] }), /unknown alert rule kind/);
    rejects(() => spread(y, x, NaN), /beta is NaN/);
  });
});
