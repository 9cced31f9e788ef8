import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest';
import { backtestPair } from '../../src/backtest/backtestPair';
import { trainTestSplit, walkForwardFolds } from '../../src/backtest/folds';
import { gridSearch, type GridSpec } from '../../src/backtest/grid';
import { deflatedSharpe, returnMoments } from '../../src/backtest/deflatedSharpe';
import { computeSignals } from '../../src/backtest/signals';
import { gridTable, heatmap } from '../../src/backtest/table';
import type { AlignedPair } from '../../src/backtest/types';
import { walkForward } from '../../src/backtest/walkForward';
import { rng, syntheticPair } from './helpers';

const pair = syntheticPair(2000, 3);
const spec: GridSpec = {
  entry: [1.5, 2],
  exit: [0, 0.5, 1.5],
  window: [20, 40],
  stop: [null, 3],
  hedge: [{ kind: 'rolling', estimator: 'ols', window: 60, every: 5 }, { kind: 'kalman', params: { observationVariance: 1 } }],
  maxHoldingBars: 100,
};
const execution = { slippageBps: 1, sizing: 'hedgeUnits' as const };

describe('grid search', () => {
  const result = gridSearch(pair, spec, { execution });

  it('runs every possible point once and skips the impossible ones', () => {
    // exit 1.5 with entry 1.5 is impossible: 2 entries × 3 exits − 1 = 5 threshold pairs, × 2 stops × 2 windows × 2 hedges
    expect(result.rows).toHaveLength(5 * 2 * 2 * 2);
    expect(result.skipped).toBe(1 * 2 * 2 * 2);
    expect(result.runs).toBe(40);
    expect(result.rows.some((r) => r.entry === 1.5 && r.exit === 1.5)).toBe(false);
  });

  it('each row equals a single backtest with the same parameters (funding included)', () => {
    const times = pair.time.filter((_, i) => i % 240 === 5);
    const funding = { y: { time: times, rate: times.map(() => 3e-4) }, x: { time: times, rate: times.map(() => -1e-4) } };
    const withFunding = gridSearch(pair, spec, { execution, funding });
    expect(withFunding.rows.some((r, i) => r.inSample.funding !== 0 && r.inSample.pnl !== result.rows[i].inSample.pnl)).toBe(true);
    for (const row of withFunding.rows.filter((_, i) => i % 7 === 0)) {
      const hedge = spec.hedge[row.hedge.startsWith('kalman') ? 1 : 0];
      const single = backtestPair(pair, { entry: row.entry, exit: row.exit, stop: row.stop ?? undefined, maxHoldingBars: 100, window: row.window, hedge }, { execution, funding });
      expect(row.inSample).toEqual(single.metrics);
      expect(row.outOfSample).toBeNull();
    }
  });

  it('reports in-sample and out-of-sample side by side on a train/test split', () => {
    const folds = trainTestSplit(pair.time.length, 0.6);
    const split = gridSearch(pair, spec, { execution, folds });
    const row = split.rows[11];
    const hedge = spec.hedge[row.hedge.startsWith('kalman') ? 1 : 0];
    const signals = computeSignals(pair, hedge, row.window);
    const params = { entry: row.entry, exit: row.exit, stop: row.stop ?? undefined, maxHoldingBars: 100 };
    expect(row.inSample).toEqual(runBacktest(pair, signals, params, { execution, start: 0, end: 1200 }).metrics);
    expect(row.outOfSample).toEqual(runBacktest(pair, signals, params, { execution, start: 1200, end: 2000 }).metrics);
  });
});

describe('folds', () => {
  it('train/test split: train first, then test', () => {
    expect(trainTestSplit(1000, 0.7)).toEqual([{ train: { start: 0, end: 700 }, test: { start: 700, end: 1000 } }]);
    expect(() => trainTestSplit(1000, 1.2)).toThrow(/between 0 and 1/);
  });

  it('walk-forward folds train strictly before they test, rolling or anchored', () => {
    const rolling = walkForwardFolds(1000, { folds: 4 });
    expect(rolling).toEqual([
      { train: { start: 0, end: 200 }, test: { start: 200, end: 400 } },
      { train: { start: 200, end: 400 }, test: { start: 400, end: 600 } },
      { train: { start: 400, end: 600 }, test: { start: 600, end: 800 } },
      { train: { start: 600, end: 800 }, test: { start: 800, end: 1000 } },
    ]);
    const anchored = walkForwardFolds(1000, { folds: 3, trainBars: 400, testBars: 150, anchored: true });
    expect(anchored.map((f) => [f.train.start, f.train.end, f.test.start, f.test.end])).toEqual([
      [0, 400, 400, 550],
      [0, 550, 550, 700],
      [0, 700, 700, 850],
    ]);
    for (const f of [...rolling, ...anchored]) expect(f.train.end).toBeLessThanOrEqual(f.test.start);
    expect(() => walkForwardFolds(1000, { folds: 3, trainBars: 700, testBars: 200 })).toThrow(/need 1300 bars, but there are 1000/);
  });
});

describe('walk-forward', () => {
  const folds = walkForwardFolds(pair.time.length, { folds: 3 });

  it('picks the best in-sample point per fold and reports it out of sample', () => {
    const wf = walkForward(pair, spec, folds, { execution, objective: 'sharpe' });
    expect(wf.selected).toHaveLength(3);
    for (const s of wf.selected) {
      const inFold = wf.rows.filter((r) => r.fold === s.fold);
      const best = Math.max(...inFold.map((r) => (Number.isNaN(r.inSample.sharpe) ? -Infinity : r.inSample.sharpe)));
      expect(s.inSample.sharpe).toBe(best);
      const row = inFold.find((r) => r.inSample === s.inSample)!;
      expect(s.outOfSample).toBe(row.outOfSample);
    }
    expect(wf.summary.inSampleMean).toBeCloseTo(wf.selected.reduce((a, s) => a + s.inSample.sharpe, 0) / 3, 12);
  });

  it('deflates each chosen in-sample Sharpe for the number of points tried', () => {
    const wf = walkForward(pair, spec, folds, { execution });
    const s = wf.selected[1];
    const rows = wf.rows.filter((r) => r.fold === 1);
    const perBar = rows.map((r) => r.inSample.sharpe / Math.sqrt(r.inSample.barsPerYear)).filter(Number.isFinite);
    const m = perBar.reduce((a, b) => a + b, 0) / perBar.length;
    const variance = perBar.reduce((a, v) => a + (v - m) ** 2, 0) / (perBar.length - 1);
    const hedge = spec.hedge[s.point.hedge.startsWith('kalman') ? 1 : 0];
    const params = { entry: s.point.entry, exit: s.point.exit, stop: s.point.stop ?? undefined, maxHoldingBars: 100 };
    const train = runBacktest(pair, computeSignals(pair, hedge, s.point.window), params, { execution, start: folds[1].train.start, end: folds[1].train.end });
    expect(train.metrics).toEqual(s.inSample);
    const moments = returnMoments(train.returns);
    const expected = deflatedSharpe({ sharpe: s.inSample.sharpe / Math.sqrt(s.inSample.barsPerYear), bars: train.returns.length, ...moments, trials: rows.length, sharpeVariance: variance });
    expect(s.deflatedSharpe).toBeCloseTo(expected, 12);
    for (const sel of wf.selected) expect(sel.deflatedSharpe).toBeGreaterThanOrEqual(0);
    for (const sel of wf.selected) expect(sel.deflatedSharpe).toBeLessThanOrEqual(1);
  });

  it('chains the chosen points on their test blocks into one out-of-sample curve', () => {
    const wf = walkForward(pair, spec, folds, { execution });
    const oos = wf.outOfSample!;
    expect(oos.equity).toHaveLength(folds.reduce((a, f) => a + f.test.end - f.test.start, 0));
    expect(oos.time[0]).toBe(pair.time[folds[0].test.start]);
    const growth = wf.selected.map((s) => s.outOfSample.finalEquity / 10_000);
    const firstEnd = folds[0].test.end - folds[0].test.start;
    expect(oos.equity[firstEnd - 1]).toBeCloseTo(wf.selected[0].outOfSample.finalEquity, 9);
    expect(oos.metrics.finalEquity).toBeCloseTo(10_000 * growth.reduce((a, g) => a * g, 1), 6);
    expect(oos.trades).toHaveLength(wf.selected.reduce((a, s) => a + s.outOfSample.trades, 0));
    expect(walkForward(pair, spec, [folds[1], folds[0]], { execution }).outOfSample).toBeNull();
  });

  it('never trains on test data: changing the test bars leaves every in-sample figure and choice unchanged', () => {
    const wf = walkForward(pair, spec, folds, { execution });
    folds.forEach((fold, f) => {
      const r = rng(100 + f);
      const bump = (a: Float64Array) => a.map((v, i) => (i >= fold.test.start ? v * (0.8 + 0.4 * r()) : v));
      const changed: AlignedPair = { ...pair, yOpen: bump(pair.yOpen), yClose: bump(pair.yClose), xOpen: bump(pair.xOpen), xClose: bump(pair.xClose) };
      const other = walkForward(changed, spec, [fold], { execution });
      const before = wf.rows.filter((row) => row.fold === f);
      expect(other.rows.map((row) => row.inSample)).toEqual(before.map((row) => row.inSample));
      expect(other.selected[0].point).toEqual(wf.selected[f].point);
      expect(other.rows.map((row) => row.outOfSample)).not.toEqual(before.map((row) => row.outOfSample));
    });
  });
});

describe('tables for display', () => {
  const result = gridSearch(pair, spec, { execution, folds: trainTestSplit(pair.time.length) });

  it('a heat-map matrix over two parameters', () => {
    const value = (r: (typeof result.rows)[number]) => r.outOfSample?.sharpe ?? NaN;
    const hm = heatmap(result.rows, { x: 'entry', y: 'exit', value, filter: (r) => r.window === 20 && r.stop === null && r.hedge.startsWith('kalman') });
    expect(hm.x).toEqual([1.5, 2]);
    expect(hm.y).toEqual([0, 0.5, 1.5]);
    const at = (entry: number, exit: number) => result.rows.find((r) => r.entry === entry && r.exit === exit && r.window === 20 && r.stop === null && r.hedge.startsWith('kalman'));
    expect(hm.z[1][1]).toBe(at(2, 0.5)!.outOfSample!.sharpe);
    expect(hm.z[2][0]).toBeNaN(); // entry 1.5, exit 1.5 is impossible
    expect(hm.z[2][1]).toBe(at(2, 1.5)!.outOfSample!.sharpe);
    const maxed = heatmap(result.rows, { x: 'window', y: 'stop', value: (r) => r.inSample.totalReturn, combine: 'max' });
    expect(maxed.x).toEqual([20, 40]);
    expect(maxed.y).toEqual([3, NaN]);
    expect(maxed.z[0][0]).toBe(Math.max(...result.rows.filter((r) => r.window === 20 && r.stop === 3).map((r) => r.inSample.totalReturn)));
  });

  it('columns with in-sample and out-of-sample metrics side by side', () => {
    const t = gridTable(result.rows, ['sharpe', 'trades']);
    expect(t.entry).toHaveLength(result.rows.length);
    expect(Object.keys(t.metrics)).toEqual(['is.sharpe', 'oos.sharpe', 'is.trades', 'oos.trades']);
    expect(t.metrics['oos.trades'][3]).toBe(result.rows[3].outOfSample!.trades);
    expect(t.stop.filter(Number.isNaN).length).toBe(result.rows.filter((r) => r.stop === null).length);
  });
});
