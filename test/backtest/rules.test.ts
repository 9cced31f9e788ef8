import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest';
import type { ExecutionSettings } from '../../src/backtest/types';
import { alignPair } from '../../src/backtest/validate';
import { constant, flatPair, makePair, noCosts } from './helpers';

// Prices of the worked example: short the spread at bar 2, exit at bar 4.
const legs = {
  yOpen: [100, 100, 100, 97, 95, 95],
  yClose: [100, 100, 98, 96, 95, 95],
  xOpen: [50, 50, 50, 51, 51, 51],
  xClose: [50, 50, 50.5, 51, 51, 51],
};
const z = Float64Array.from([0, 2.5, 1, 0.1, 0, 0]);
const costs: Partial<ExecutionSettings> = { notionalPerLeg: 1000, capital: 10_000, takerFeeBps: 5, makerFeeBps: 2, slippageBps: 10 };

describe('fills, fees and slippage', () => {
  it('fills at the next bar open with adverse slippage and taker fees on both legs', () => {
    const pair = makePair(legs);
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: { ...costs, fillAt: 'open' } });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0];
    expect(t.side).toBe('short');
    expect([t.entryBar, t.exitBar, t.holdingBars, t.holdingMs]).toEqual([2, 4, 2, 120_000]);
    // short y: 1000/100 = 10 units sold at 100·(1 − 0.001); long x: 1000/50 = 20 units bought at 50·(1 + 0.001)
    expect(t.qtyY).toBeCloseTo(-10, 12);
    expect(t.qtyX).toBeCloseTo(20, 12);
    expect(t.entryPriceY).toBeCloseTo(99.9, 12);
    expect(t.entryPriceX).toBeCloseTo(50.05, 12);
    // exit at bar 4 open: buy back y at 95.095, sell x at 50.949
    expect(t.exitPriceY).toBeCloseTo(95.095, 12);
    expect(t.exitPriceX).toBeCloseTo(50.949, 12);
    // fees: (999 + 1001)·0.0005 = 1 at entry; (950.95 + 1018.98)·0.0005 = 0.984965 at exit
    expect(t.fees).toBeCloseTo(1.984965, 10);
    // price P&L 48.05 + 17.98 = 66.03
    expect(t.pnl).toBeCloseTo(66.03 - 1.984965, 10);
    expect(t.exitReason).toBe('exit');
    expect([t.entryZ, t.exitZ]).toEqual([2.5, 0.1]);
    // equity at each close: flat, flat, 9999 + 19 + 9, 9999 + 39 + 19, then realised
    const expected = [10_000, 10_000, 10_027, 10_057, 10_064.045035, 10_064.045035];
    expected.forEach((v, i) => expect(r.equity[i]).toBeCloseTo(v, 8));
    expect(Array.from(r.position)).toEqual([0, 0, -1, -1, 0, 0]);
    expect(r.returns[0]).toBe(0);
    expect(r.returns[2]).toBeCloseTo(10_027 / 10_000 - 1, 14);
    expect(r.returns[4]).toBeCloseTo(10_064.045035 / 10_057 - 1, 12);
    expect(r.metrics.feesPaid).toBeCloseTo(1.984965, 10);
    expect(r.metrics.tradedNotional).toBeCloseTo(2000 + 950.95 + 1018.98, 8);
    expect(r.metrics.exposure).toBeCloseTo(2 / 6, 12);
  });

  it('fills at the next bar close when asked', () => {
    const pair = makePair(legs);
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: { ...costs, fillAt: 'close' } });
    const t = r.trades[0];
    expect([t.entryBar, t.exitBar]).toEqual([2, 4]);
    expect(t.entryPriceY).toBeCloseTo(98 * 0.999, 12);
    expect(t.entryPriceX).toBeCloseTo(50.5 * 1.001, 12);
    expect(t.qtyY).toBeCloseTo(-1000 / 98, 12);
    expect(t.qtyX).toBeCloseTo(1000 / 50.5, 12);
    expect(t.exitPriceY).toBeCloseTo(95.095, 12);
    expect(t.exitPriceX).toBeCloseTo(50.949, 12);
    // marked at the fill bar's close: only slippage (1 + 1) and the entry fee (1) are lost
    expect(r.equity[2]).toBeCloseTo(9997, 9);
    const price = (1000 / 98) * (97.902 - 95.095) + (1000 / 50.5) * (50.949 - 50.5505);
    const exitFee = ((1000 / 98) * 95.095 + (1000 / 50.5) * 50.949) * 0.0005;
    expect(t.pnl).toBeCloseTo(price - 1 - exitFee, 9);
    expect(r.equity[5]).toBeCloseTo(10_000 + t.pnl, 9);
  });

  it('charges maker fees when the fills are maker orders', () => {
    const pair = makePair(legs);
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: { ...costs, slippageBps: 0, liquidity: 'maker' } });
    // (1000 + 1000)·0.0002 at entry; (10·95 + 20·51)·0.0002 at exit
    expect(r.trades[0].fees).toBeCloseTo(0.4 + 1970 * 0.0002, 12);
  });

  it('uses the Binance USD-M regular-tier taker fee (5 bps) by default', () => {
    const pair = makePair(legs);
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: { notionalPerLeg: 1000, slippageBps: 0 } });
    expect(r.trades[0].fees).toBeCloseTo(2000 * 0.0005 + 1970 * 0.0005, 12);
  });
});

describe('funding', () => {
  it('is paid by the position held at the funding time, long pays a positive rate', () => {
    const pair = makePair(legs);
    const t = pair.time;
    const funding = {
      // at bar 2's start the position is not filled yet; bars 3 and 4 are held; bar 5 is flat again
      y: { time: Float64Array.from([t[2], t[3], t[4], t[5]]), rate: Float64Array.from([0.001, 0.0001, 0.0002, 0.01]) },
      x: { time: Float64Array.from([t[2], t[3], t[4], t[5]]), rate: Float64Array.from([0.002, 0.0003, 0.0004, 0.01]) },
    };
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: { ...costs, fillAt: 'open' }, funding });
    // short 10 y, long 20 x, priced at each bar's open: bar 3 −(−10·97·0.0001 + 20·51·0.0003), bar 4 −(−10·95·0.0002 + 20·51·0.0004)
    expect(r.trades[0].funding).toBeCloseTo(-0.209 - 0.218, 12);
    expect(r.equity[3]).toBeCloseTo(10_057 - 0.209, 9);
    expect(r.trades[0].pnl).toBeCloseTo(66.03 - 1.984965 - 0.427, 9);
    expect(r.metrics.funding).toBeCloseTo(-0.427, 12);
  });

  it('books an event between bar starts on the next bar', () => {
    const pair = makePair(legs);
    const at = pair.time[2] + 1; // lands on bar 3
    const funding = { y: { time: Float64Array.from([at]), rate: Float64Array.from([0.001]) } };
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: noCosts, funding });
    expect(r.trades[0].funding).toBeCloseTo(10 * 97 * 0.001, 12);
  });
});

describe('stop, cool-down and maximum holding time', () => {
  const zs = Float64Array.from([0, -2.5, -3.2, -2.0, -2.5, -2.5, -2.5, -0.1, 0, 0]);

  it('stops out when z moves beyond the stop against the position, then waits out the cool-down', () => {
    const pair = flatPair(10);
    const r = runBacktest(pair, { hedgeRatio: constant(10, 1), z: zs }, { entry: 2, exit: 0.5, stop: 3, cooldownBars: 2 }, { execution: noCosts });
    expect(r.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.exitReason])).toEqual([
      ['long', 2, 3, 'stop'],
      ['long', 6, 8, 'exit'],
    ]);
  });

  it('re-enters at once without a cool-down', () => {
    const pair = flatPair(10);
    const r = runBacktest(pair, { hedgeRatio: constant(10, 1), z: zs }, { entry: 2, exit: 0.5, stop: 3 }, { execution: noCosts });
    expect(r.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason])).toEqual([
      [2, 3, 'stop'],
      [5, 8, 'exit'],
    ]);
  });

  it('does not enter when z is already beyond the stop', () => {
    const pair = flatPair(6);
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z: Float64Array.from([0, 3.5, 3.5, 0, 0, 0]) }, { entry: 2, exit: 0.5, stop: 3 }, { execution: noCosts });
    expect(r.trades).toHaveLength(0);
  });

  it('exits after the maximum holding time, counted from the entry decision', () => {
    const pair = flatPair(8);
    const r = runBacktest(pair, { hedgeRatio: constant(8, 1), z: constant(8, -2.5) }, { entry: 2, exit: 0.5, maxHoldingBars: 3 }, { execution: noCosts });
    // decided at close 0, filled at 1; close 3 is 3 bars after the decision, so the exit fills at 4
    expect(r.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason])).toEqual([
      [1, 4, 'maxHolding'],
      [5, 7, 'end'],
    ]);
  });

  it('exits after a maximum holding time in ms, measured on the bar times (gaps count)', () => {
    const minute = 60_000;
    // bar 3 starts 10 minutes after bar 2
    const time = Float64Array.from([0, 1, 2, 12, 13, 14, 15, 16].map((m) => m * minute));
    const leg = { time, open: constant(8, 100), close: constant(8, 100) };
    const pair = alignPair({ y: leg, x: { ...leg, time: time.slice() } });
    const hold = (maxHoldingMs: number) =>
      runBacktest(pair, { hedgeRatio: constant(8, 1), z: constant(8, -2.5) }, { entry: 2, exit: 0.5, maxHoldingMs }, { execution: noCosts }).trades.map((t) => [t.entryBar, t.exitBar, t.exitReason]);
    // decided at close 0 (minute 0): close 3 (minute 12) is the first at least 5 minutes later, so the exit fills at 4
    expect(hold(5 * minute)[0]).toEqual([1, 4, 'maxHolding']);
    // 2 minutes: close 2 (minute 2) is exactly 2 minutes after the decision
    expect(hold(2 * minute)[0]).toEqual([1, 3, 'maxHolding']);
    expect(() => hold(0)).toThrow(/maxHoldingMs/);
  });

  it('exits on a jump across the band and at the mean when exit is 0', () => {
    const pair = flatPair(6);
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z: Float64Array.from([-2.5, -1, 1.5, 0, 0, 0]) }, { entry: 2, exit: 0 }, { execution: noCosts });
    expect(r.trades.map((t) => [t.entryBar, t.exitBar, t.exitZ])).toEqual([[1, 3, 1.5]]);
  });
});

describe('end of data', () => {
  it('closes an open position at the last close and fills no entry on the last bar', () => {
    const pair = flatPair(5);
    const late = runBacktest(pair, { hedgeRatio: constant(5, 1), z: Float64Array.from([0, 0, 0, 2.5, 2.5]) }, { entry: 2, exit: 0.5 }, { execution: noCosts });
    expect(late.trades).toHaveLength(0);
    const open = runBacktest(pair, { hedgeRatio: constant(5, 1), z: Float64Array.from([0, 0, 2.5, 2.5, 2.5]) }, { entry: 2, exit: 0.5 }, { execution: noCosts });
    expect(open.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason])).toEqual([[3, 4, 'end']]);
    expect(open.position[4]).toBe(0);
  });

  it('makes no decision while z or the hedge ratio is not known', () => {
    const pair = flatPair(6);
    const beta = Float64Array.from([NaN, Infinity, 1, 1, 1, 1]);
    const r = runBacktest(pair, { hedgeRatio: beta, z: Float64Array.from([NaN, 3, -3, NaN, 0, 0]) }, { entry: 2, exit: 0.5 }, { execution: noCosts });
    expect(r.trades.map((t) => [t.side, t.entryBar, t.exitBar])).toEqual([['long', 3, 5]]);
  });
});

describe('sizing', () => {
  const pair = makePair({ yOpen: [100, 100, 80, 80, 80], yClose: [100, 100, 80, 80, 80], xOpen: [50, 50, 40, 40, 40], xClose: [50, 50, 40, 40, 40] });
  const zLong = Float64Array.from([0, -2.5, 0, 0, 0]);
  const run = (sizing: ExecutionSettings['sizing'], beta: number) =>
    runBacktest(pair, { hedgeRatio: constant(5, beta), z: zLong }, { entry: 2, exit: 0.5 }, { execution: { ...noCosts, sizing } }).trades[0];

  it('dollar-neutral: the same notional long one leg and short the other', () => {
    const t = run('dollarNeutral', 1.7);
    expect(t.qtyY).toBeCloseTo(1000 / 80, 12);
    expect(t.qtyX).toBeCloseTo(-1000 / 40, 12);
    expect(t.qtyY * t.entryPriceY + t.qtyX * t.entryPriceX).toBeCloseTo(0, 9);
  });

  it('hedge units: β units of x per unit of y', () => {
    const t = run('hedgeUnits', 1.5);
    expect(t.qtyY).toBeCloseTo(12.5, 12);
    expect(t.qtyX).toBeCloseTo(-18.75, 12);
    expect(t.hedgeRatio).toBe(1.5);
  });

  it('hedge notional: β times the y notional in x; a negative β puts both legs on one side', () => {
    expect(run('hedgeNotional', 1.5).qtyX).toBeCloseTo(-1500 / 40, 12);
    expect(run('hedgeNotional', -0.5).qtyX).toBeCloseTo(500 / 40, 12);
  });
});
