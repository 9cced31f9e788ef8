import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest';
import { backtestPair } from '../../src/backtest/backtestPair';
import { gridSearch } from '../../src/backtest/grid';
import { BacktestSettingsError, alignPair } from '../../src/backtest/validate';
import { constant, flatPair, syntheticPair } from './helpers';

const pair = flatPair(20);
const signals = { hedgeRatio: constant(20, 1), z: constant(20, 0) };

describe('impossible settings are refused with a clear error', () => {
  it.each([
    [{ entry: 2, exit: 2 }, /exit \(2\) ≥ entry \(2\)/],
    [{ entry: 1, exit: 1.5 }, /choose exit < entry/],
    [{ entry: 0, exit: 0 }, /entry threshold must be a positive/],
    [{ entry: 2, exit: -2.5 }, /choose exit ≥ −entry/],
    [{ entry: 2, exit: 0.5, stop: 1.5 }, /stop > entry/],
    [{ entry: 2, exit: 0.5, maxHoldingBars: 0 }, /maxHoldingBars/],
    [{ entry: 2, exit: 0.5, cooldownBars: 1.5 }, /cooldownBars/],
  ])('strategy %j', (params, message) => {
    expect(() => runBacktest(pair, signals, params)).toThrow(BacktestSettingsError);
    expect(() => runBacktest(pair, signals, params)).toThrow(message);
  });

  it.each([
    [{ takerFeeBps: -1 }, /takerFeeBps is -1: fees and slippage must be ≥ 0/],
    [{ makerFeeBps: -0.5 }, /makerFeeBps/],
    [{ slippageBps: Number.NaN }, /slippageBps/],
    [{ takerFeeBps: 50_000 }, /basis points/],
    [{ notionalPerLeg: 0 }, /notionalPerLeg/],
    [{ capital: -5 }, /capital/],
    [{ fillAt: 'vwap' as 'open' }, /fillAt/],
    [{ sizing: 'kelly' as 'dollarNeutral' }, /sizing/],
  ])('execution %j', (execution, message) => {
    expect(() => runBacktest(pair, signals, { entry: 2, exit: 0.5 }, { execution })).toThrow(message);
  });

  it('a z window longer than the data', () => {
    const p = syntheticPair(50);
    expect(() => backtestPair(p, { entry: 2, exit: 0.5, window: 60, hedge: { kind: 'fixed', beta: 2 } })).toThrow(/window \(60 bars\) is longer than the data \(50 bars\)/);
    expect(() => backtestPair(p, { entry: 2, exit: 0.5, window: 20, hedge: { kind: 'rolling', estimator: 'ols', window: 80 } })).toThrow(/longer than the data/);
    expect(() => gridSearch(p, { entry: [2], exit: [0], window: [10, 51], hedge: [{ kind: 'fixed', beta: 2 }] })).toThrow(/51 bars/);
  });

  it('signals of another length, or a range outside the data', () => {
    expect(() => runBacktest(pair, { hedgeRatio: constant(19, 1), z: constant(20, 0) }, { entry: 2, exit: 0 })).toThrow(/hedgeRatio has 19 values but the pair has 20 bars/);
    expect(() => runBacktest(pair, signals, { entry: 2, exit: 0 }, { start: 15, end: 25 })).toThrow(/range \[15, 25\)/);
  });

  it('folds outside the data or training on test bars', () => {
    const p = syntheticPair(50);
    const grid = { entry: [2], exit: [0], window: [10], hedge: [{ kind: 'fixed' as const, beta: 2 }] };
    expect(() => gridSearch(p, grid, { folds: [{ train: { start: 0, end: 30 }, test: { start: 30, end: 60 } }] })).toThrow(/range \[30, 60\) is not a run of at least 2 bars inside the 50 bars/);
    expect(() => gridSearch(p, grid, { folds: [{ train: { start: 0, end: 30 }, test: { start: 20, end: 50 } }] })).toThrow(/training must end before testing starts/);
  });

  it('a grid where no point is possible', () => {
    expect(() => gridSearch(syntheticPair(50), { entry: [1], exit: [1, 2], window: [10], hedge: [{ kind: 'fixed', beta: 2 }] })).toThrow(/no grid point is possible/);
  });
});

describe('bars that are not aligned are refused', () => {
  const time = Float64Array.from([0, 60_000, 120_000, 180_000]);
  const leg = { time, open: constant(4, 10), close: constant(4, 10) };

  it('different lengths', () => {
    expect(() => alignPair({ y: leg, x: { time: time.slice(0, 3), open: constant(3, 10), close: constant(3, 10) } })).toThrow(/x\.time has 3 values but y\.time has 4: the legs are not aligned/);
    expect(() => alignPair({ y: { ...leg, close: constant(3, 10) }, x: leg })).toThrow(/y\.close has 3 values/);
  });

  it('different times', () => {
    const shifted = Float64Array.from([0, 60_000, 125_000, 180_000]);
    expect(() => alignPair({ y: leg, x: { ...leg, time: shifted } })).toThrow(/bar 2: y\.time is 120000 but x\.time is 125000/);
  });

  it('times not strictly increasing', () => {
    const dup = Float64Array.from([0, 60_000, 60_000, 180_000]);
    expect(() => alignPair({ y: { ...leg, time: dup }, x: { ...leg, time: dup } })).toThrow(/strictly increasing/);
  });

  it('missing or non-positive prices', () => {
    const bad = Float64Array.from([10, Number.NaN, 10, 10]);
    expect(() => alignPair({ y: leg, x: { ...leg, close: bad } })).toThrow(/x\.close\[1\] is NaN/);
    expect(() => alignPair({ y: { ...leg, open: Float64Array.from([10, 10, 0, 10]) }, x: leg })).toThrow(/y\.open\[2\] is 0/);
  });
});
