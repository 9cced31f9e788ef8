import { describe, expect, it } from 'vitest';
import { BacktestSettingsError, backtestPortfolio, walkForwardFolds, walkForwardPortfolio, type PortfolioPair } from '../../src/backtest';
import { cointegratedUniverse, pairOf, rollingStrategy, type Universe } from './portfolioHelpers';

const n = 2400;
const folds = walkForwardFolds(n, { folds: 3, trainBars: 900, testBars: 500 });
const execution = { capital: 100_000 };

function candidates(u: Universe): PortfolioPair[] {
  return [['A', 'E'], ['B', 'A'], ['C', 'F'], ['E', 'F'], ['D', 'C'], ['B', 'E']].map(([y, x]) => pairOf(u, y, x, rollingStrategy));
}

describe('walk-forward pair selection', () => {
  const u = cointegratedUniverse(n, 3);
  const result = walkForwardPortfolio(candidates(u), folds, { top: 2, execution, maxGrossLeverage: 2 });

  it('keeps the cointegrated pairs on every training block', () => {
    for (const f of result.folds) {
      expect(f.ranking.filter((r) => r.selected).map((r) => r.id).sort()).toEqual(['B/A', 'D/C']);
      expect(f.portfolio?.pairs.map((p) => p.id).sort()).toEqual(['B/A', 'D/C']);
      for (const r of f.ranking.filter((x) => x.selected)) expect(r.stability).toBeGreaterThan(0.5);
    }
  });

  it('stitches the test blocks into one curve, each block starting from the equity the last one ended with', () => {
    const { equity, time } = result.outOfSample;
    expect(equity.length).toBe(3 * 500);
    let at = 0;
    let start = execution.capital;
    for (const f of result.folds) {
      const p = f.portfolio;
      if (p === null) throw new Error('a fold traded nothing');
      expect(p.metrics.finalEquity - p.metrics.pnl).toBeCloseTo(start, 6);
      expect(Array.from(equity.subarray(at, at + 500))).toEqual(Array.from(p.equity));
      expect(time[at]).toBe(p.time[0]);
      start = p.metrics.finalEquity;
      at += 500;
    }
    expect(result.outOfSample.metrics.finalEquity).toBe(equity[equity.length - 1]);
    expect(result.trials).toBe(6);
    expect(result.deflatedSharpe).toBeGreaterThanOrEqual(0);
    expect(result.deflatedSharpe).toBeLessThanOrEqual(1);
  });

  it('never reads test-block bars to choose: rewriting everything after a training block leaves its choice unchanged', () => {
    const cut = folds[0].train.end;
    const other = cointegratedUniverse(n, 99); // different draws, and B/A no longer tied after the cut
    const changed = Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v.map((x, i) => (i < cut ? x : other[k === 'B' ? 'F' : k][i]))]));
    const again = walkForwardPortfolio(candidates(changed), folds.slice(0, 1), { top: 2, execution, maxGrossLeverage: 2 });
    expect(again.folds[0].ranking).toEqual(result.folds[0].ranking);
    // and the test block itself did change, so the check could fail
    expect(again.folds[0].portfolio?.metrics.pnl).not.toBeCloseTo(result.folds[0].portfolio?.metrics.pnl ?? NaN, 2);
  });

  it('measures an inverse-volatility allocation on each fold\'s training bars', () => {
    const iv = walkForwardPortfolio(candidates(u), folds.slice(1, 2), { top: 2, execution, allocation: { kind: 'inverseVolatility' } });
    const chosen = candidates(u).filter((c) => ['B/A', 'D/C'].includes(`${c.y}/${c.x}`));
    const direct = backtestPortfolio(chosen, { execution, allocation: { kind: 'inverseVolatility', estimation: folds[1].train }, start: folds[1].test.start, end: folds[1].test.end });
    expect(iv.folds[0].portfolio?.pairs.map((p) => p.notionalPerLeg).sort()).toEqual(direct.pairs.map((p) => p.notionalPerLeg).sort());
    expect(iv.outOfSample.equity.length).toBe(direct.equity.length);
    expect(Math.max(...iv.outOfSample.equity.map((e, t) => Math.abs(e - direct.equity[t])))).toBeLessThan(1e-6);
  });

  it('rejects overlapping test blocks and a fixed allocation', () => {
    const overlapping = [folds[0], { train: folds[0].train, test: { start: folds[0].test.start + 10, end: folds[0].test.end + 10 } }];
    expect(() => walkForwardPortfolio(candidates(u), overlapping, { top: 2 })).toThrow(BacktestSettingsError);
    expect(() => walkForwardPortfolio(candidates(u), folds, { top: 2, allocation: { kind: 'fixed', notional: [1, 1] } })).toThrow(/fixed allocation/);
  });
});
