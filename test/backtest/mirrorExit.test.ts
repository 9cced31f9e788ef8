// A negative exit threshold holds a position past the mean: with exit = −entry a long bought below −entry sells above
// +entry, Bertram's mirror level. Exit ≥ 0 behaves as before; the basket engine, the parameter search and the paper
// trader's decisions follow the same rule.
import { describe, expect, it } from 'vitest';
import { egWeights } from '../../src/analytics';
import { type AlignedPair, alignBasket, backtestBasket, backtestPair, gridSearch, runBacktest } from '../../src/backtest';
import { ruleDecisions } from '../../src/paper/decisions';
import { constant, makePair, noCosts, syntheticPair } from './helpers';

// Long the spread decided at close 1 (z −2.5), filled at bar 2's open (y 100, x 50: +10 y, −20 x).
const legs = {
  yOpen: [100, 100, 100, 100, 102, 103, 104, 104, 104],
  yClose: [100, 100, 101, 102, 103, 104, 104, 104, 104],
  xOpen: [50, 50, 50, 50, 50, 51, 51, 51, 51],
  xClose: [50, 50, 50, 50, 51, 51, 51, 51, 51],
};
const z = Float64Array.from([0, -2.5, -1, 0, 1, 2.2, 1.5, 0.5, 0]);

describe('mirror-level exit', () => {
  it('enters at −a, holds through the mean and exits past +a when exit = −entry', () => {
    const r = runBacktest(makePair(legs), { hedgeRatio: constant(9, 1), z }, { entry: 2, exit: -2 }, { execution: noCosts });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0];
    // z crosses 0 at close 3 and +2 at close 5: the exit decided there fills at bar 6's open (y 104, x 51)
    expect([t.side, t.entryBar, t.exitBar, t.entryZ, t.exitZ, t.exitReason]).toEqual(['long', 2, 6, -2.5, 2.2, 'exit']);
    expect([t.qtyY, t.qtyX]).toEqual([10, -20]);
    expect(t.pnl).toBeCloseTo(10 * 4 - 20 * 1, 12);
    expect(Array.from(r.position)).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0]);
    // marked at each close: y up 1, 2, 3, 4 and x up 0, 0, 1, 1 against the fill
    const expected = [0, 0, 10, 20, 10, 20, 20, 20, 20].map((v) => 10_000 + v);
    expected.forEach((v, i) => expect(r.equity[i]).toBeCloseTo(v, 9));
  });

  it('with exit 0 the same bars exit at the first close above the mean', () => {
    const r = runBacktest(makePair(legs), { hedgeRatio: constant(9, 1), z }, { entry: 2, exit: 0 }, { execution: noCosts });
    // z is exactly 0 at close 3 (not above it): the exit is decided at close 4 and fills at bar 5's open (y 103, x 51);
    // flat at close 5, z 2.2 then decides a short, held to the last bar (z never below 0 before it)
    expect(r.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.exitZ, t.exitReason])).toEqual([['long', 2, 5, 1, 'exit'], ['short', 6, 8, 0, 'end']]);
    expect(r.trades[0].pnl).toBeCloseTo(10 * 3 - 20 * 1, 12);
  });

  it('a negative exit inside (−entry, 0) exits once z passes −exit', () => {
    const r = runBacktest(makePair(legs), { hedgeRatio: constant(9, 1), z }, { entry: 2, exit: -0.5 }, { execution: noCosts });
    expect(r.trades.map((t) => [t.entryBar, t.exitBar, t.exitZ])).toEqual([[2, 5, 1], [6, 8, 0]]);
    const deeper = runBacktest(makePair(legs), { hedgeRatio: constant(9, 1), z }, { entry: 2, exit: -1.5 }, { execution: noCosts });
    expect(deeper.trades.map((t) => [t.entryBar, t.exitBar, t.exitZ])).toEqual([[2, 6, 2.2]]);
  });

  it('refuses an exit outside [−entry, entry) saying which bound and what to do', () => {
    const pair = makePair(legs);
    const run = (exit: number) => () => runBacktest(pair, { hedgeRatio: constant(9, 1), z }, { entry: 2, exit }, { execution: noCosts });
    expect(run(-2.5)).toThrow('exit (-2.5) < −entry (-2): a long would exit only past the short entry level; choose exit ≥ −entry');
    expect(run(2)).toThrow('exit (2) ≥ entry (2): a position would exit as soon as it enters; choose exit < entry');
    expect(run(NaN)).toThrow('exit is NaN: the exit threshold must be a number of z units');
    expect(run(-2)).not.toThrow();
  });

  it('the parameter search runs negative exits and skips those below −entry', () => {
    const pair = syntheticPair(1500, 3);
    const hedge = [{ kind: 'fixed' as const, beta: 2, intercept: 10 }];
    const g = gridSearch(pair, { entry: [1, 2], exit: [-2, -1, 0.5], window: [60], hedge });
    // (1, −2) is below −entry and skipped; (1, −1), (1, 0.5), (2, −2), (2, −1), (2, 0.5) run
    expect(g.skipped).toBe(1);
    expect(g.rows.map((r) => [r.entry, r.exit])).toEqual([[1, -1], [1, 0.5], [2, -2], [2, -1], [2, 0.5]]);
    for (const row of g.rows) {
      const single = backtestPair(pair, { entry: row.entry, exit: row.exit, window: 60, hedge: hedge[0] });
      expect(row.inSample.totalReturn).toBe(single.metrics.totalReturn);
      expect(row.inSample.trades).toBe(single.metrics.trades);
    }
  });
});

describe('the mirror exit everywhere the rule runs', () => {
  const pair: AlignedPair = syntheticPair(3000, 7);
  const fit = egWeights([pair.yClose, pair.xClose], 0, 400);
  const rule = { entry: 1.5, exit: -1.5, window: 60 };
  const fixedPair = () => backtestPair(pair, { ...rule, hedge: { kind: 'fixed', beta: -fit.weights[1], intercept: fit.intercept } });

  it('a two-leg basket trades exactly as the pair with exit = −entry', () => {
    const p = fixedPair();
    const basket = alignBasket({ time: pair.time, open: [pair.yOpen, pair.xOpen], close: [pair.yClose, pair.xClose], symbols: ['Y', 'X'] });
    const b = backtestBasket(basket, { ...rule, weights: { kind: 'fixed', weights: Array.from(fit.weights), intercept: fit.intercept } });
    expect(p.metrics.trades).toBeGreaterThan(3);
    // every exit by the rule is past the mean, at the mirror level
    for (const t of p.trades.filter((x) => x.exitReason === 'exit')) expect(t.side === 'long' ? t.exitZ > 1.5 : t.exitZ < -1.5).toBe(true);
    expect(Array.from(b.position)).toEqual(Array.from(p.position));
    expect(Array.from(b.equity)).toEqual(Array.from(p.equity));
    expect(b.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason, t.pnl])).toEqual(p.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason, t.pnl]));
  });

  it('the paper trader decides the backtest\'s entries and exits', () => {
    const p = fixedPair();
    const decisions = ruleDecisions(pair, { ...rule, hedge: { kind: 'fixed', beta: -fit.weights[1], intercept: fit.intercept } }, 0);
    const fromBacktest = p.trades.flatMap((t) => [
      ['enter', pair.time[t.entryBar]],
      ...(t.exitReason === 'end' ? [] : [['exit', pair.time[t.exitBar]]]),
    ]);
    expect(decisions.map((d) => [d.action, d.time])).toEqual(fromBacktest);
  });
});
