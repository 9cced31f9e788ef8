// A portfolio of pairs and baskets on shared capital: each basket trades exactly its own backtest, a symbol in a pair
// and in a basket is one net position, and the gross leverage limit scales a basket's entry like a pair's.
import { describe, expect, it } from 'vitest';
import {
  type AlignedPair, type BasketBars, type BasketStrategy, type PairStrategy, type PortfolioBasket, backtestBasket, backtestPair, backtestPortfolio,
} from '../../src/backtest';
import { cointegratedUniverse, pairOf, rollingStrategy, type Universe } from './portfolioHelpers';

/** The legs' bars on the pair helpers' grid (each bar opens at the previous close). */
function basketOf(u: Universe, symbols: string[], strategy: BasketStrategy, time: Float64Array): PortfolioBasket {
  const open = (c: number[]) => Float64Array.from(c, (v, i) => (i > 0 ? c[i - 1] : v));
  const basket: BasketBars = { time, open: symbols.map((s) => open(u[s])), close: symbols.map((s) => Float64Array.from(u[s])), symbols };
  return { basket, strategy };
}

const costs = { makerFeeBps: 2, takerFeeBps: 5, slippageBps: 1, capital: 100_000 };

describe('a pair and a basket sharing a symbol, capital not binding', () => {
  const u = cointegratedUniverse(3000, 7);
  const pair = pairOf(u, 'B', 'A', rollingStrategy);
  const time = (pair.bars as AlignedPair).time;
  // D ~ 0.5·C + 20, with B (tied to A) as the third leg: B is held by both members
  const member = basketOf(u, ['D', 'C', 'B'], { entry: 1.5, exit: 0.25, stop: 4, window: 60, weights: { kind: 'train', method: 'eg', bars: 500 } }, time);
  const notional = [10_000, 20_000];
  const result = backtestPortfolio([pair, member], { allocation: { kind: 'fixed', notional }, execution: costs });
  const pairAlone = backtestPair(pair.bars, pair.strategy, { execution: { ...costs, notionalPerLeg: notional[0] } });
  const basketAlone = backtestBasket(member.basket, member.strategy, { execution: { ...costs, notionalPerLeg: notional[1] } });

  it('books each member exactly the round trips of its own backtest', () => {
    expect(pairAlone.trades.length).toBeGreaterThan(3);
    expect(basketAlone.trades.length).toBeGreaterThan(3);
    expect(result.pairs[0].trades.map(({ pair: _p, scale: _s, ...t }) => t)).toEqual(pairAlone.trades);
    expect(result.baskets[0].trades.map(({ basket: _b, scale: _s, ...t }) => t)).toEqual(basketAlone.trades);
    expect(result.baskets[0]).toMatchObject({ id: 'D+C+B', symbols: ['D', 'C', 'B'], notionalPerLeg: 20_000, entries: { full: basketAlone.trades.length, scaled: 0, skipped: 0 } });
    expect(result.basketTrades.map((t) => t.entryBar)).toEqual(basketAlone.trades.map((t) => t.entryBar));
  });

  it('has equity = capital + the two backtests\' P&L at every close, split per member', () => {
    for (let t = 0; t < result.equity.length; t++) {
      const expected = costs.capital + (pairAlone.equity[t] - costs.capital) + (basketAlone.equity[t] - costs.capital);
      expect(result.equity[t]).toBeCloseTo(expected, 8);
      expect(result.pairs[0].pnl[t] + result.baskets[0].pnl[t]).toBeCloseTo(result.equity[t] - costs.capital, 8);
    }
    expect(result.baskets[0].pnl[result.equity.length - 1]).toBeCloseTo(basketAlone.metrics.pnl, 8);
    expect(result.metrics.trades).toBe(pairAlone.metrics.trades + basketAlone.metrics.trades);
    expect(result.metrics.feesPaid).toBeCloseTo(pairAlone.metrics.feesPaid + basketAlone.metrics.feesPaid, 8);
    expect(result.baskets[0].fees).toBeCloseTo(basketAlone.metrics.feesPaid, 8);
  });

  it('nets B across the pair\'s y leg and the basket\'s third leg', () => {
    const net = new Map(result.symbols.map((s) => [s.symbol, s.quantity]));
    expect([...net.keys()]).toEqual(['B', 'A', 'D', 'C']);
    const pairY = (t: number) => pairAlone.trades.find((x) => x.entryBar <= t && t < x.exitBar)?.qtyY ?? 0;
    const basketLeg = (leg: number, t: number) => basketAlone.trades.find((x) => x.entryBar <= t && t < x.exitBar)?.qty[leg] ?? 0;
    let both = 0;
    for (let t = 0; t < result.equity.length; t++) {
      if (pairY(t) !== 0 && basketLeg(2, t) !== 0) both++;
      expect(net.get('B')?.[t]).toBeCloseTo(pairY(t) + basketLeg(2, t), 9);
      expect(net.get('D')?.[t]).toBeCloseTo(basketLeg(0, t), 9);
      expect(result.netExposure[t]).toBeLessThanOrEqual(result.grossExposure[t] + 1e-9);
    }
    expect(both).toBeGreaterThan(0);
  });
});

describe('a binding gross leverage limit with a pair and a basket (hand-computed)', () => {
  // P and Q alternate 100 / 100.1 and spike on bar 50; BTC (50) and R (20) are flat. The pair P/BTC (β 0) and the
  // basket Q − BTC − R both read their spike at close 50 and go short at bar 51's open (= the spike), then exit at
  // bar 52's open (= the base close of bar 51).
  const n = 120;
  const base = (i: number) => 100 + 0.1 * (i % 2);
  const closes = (spike: number) => Array.from({ length: n }, (_, i) => (i === 50 ? spike : base(i)));
  const u: Universe = { P: closes(103), Q: closes(104), BTC: Array.from({ length: n }, () => 50), R: Array.from({ length: n }, () => 20) };
  const strategy: PairStrategy = { entry: 2, exit: 0.5, window: 20, hedge: { kind: 'fixed', beta: 0 } };
  const pair = pairOf(u, 'P', 'BTC', strategy);
  const member = basketOf(u, ['Q', 'BTC', 'R'], { entry: 2, exit: 0.5, window: 20, weights: { kind: 'fixed', weights: [1, -1, -1] } }, (pair.bars as AlignedPair).time);
  const N = 4000;
  const capital = 10_000;
  const r = backtestPortfolio([pair, member], {
    allocation: { kind: 'fixed', notional: [N, N] }, execution: { makerFeeBps: 0, takerFeeBps: 0, slippageBps: 0, capital }, maxGrossLeverage: 1,
  });
  // the limit is 1 × 10,000: the pair's entry is 2N = 8,000 gross and is taken; the basket's is 3N (N per leg,
  // dollar-neutral) = 12,000 and gets the 2,000 left
  const scale = (capital - 2 * N) / (3 * N);

  it('takes the pair in full and scales the basket to the room left', () => {
    expect(r.pairs[0].entries).toEqual({ full: 1, scaled: 0, skipped: 0 });
    expect(r.baskets[0].entries).toEqual({ full: 0, scaled: 1, skipped: 0 });
    expect(r.baskets[0].trades.map((t) => [t.entryBar, t.exitBar, t.side])).toEqual([[51, 52, 'short']]);
    expect(r.baskets[0].trades[0].scale).toBeCloseTo(scale, 12);
    expect(r.baskets[0].trades[0].qty.map((q) => q)).toEqual([-N / 104, N / 50, N / 20].map((q) => expect.closeTo(q * scale, 9)));
  });

  it('books each member its trade\'s P&L at its scale', () => {
    const pnlP = (N / 103) * (103 - base(51));
    const pnlQ = scale * (N / 104) * (104 - base(51));
    expect(r.pairs[0].pnl[n - 1]).toBeCloseTo(pnlP, 9);
    expect(r.baskets[0].pnl[n - 1]).toBeCloseTo(pnlQ, 9);
    expect(r.equity[n - 1]).toBeCloseTo(capital + pnlP + pnlQ, 9);
  });

  it('nets BTC, long in the pair and in the basket, into one position and reports the book gross', () => {
    const btc = r.symbols.find((s) => s.symbol === 'BTC');
    expect(btc?.quantity[51]).toBeCloseTo((1 + scale) * (N / 50), 9);
    expect(btc?.quantity[60]).toBe(0);
    expect(r.symbols.find((s) => s.symbol === 'R')?.quantity[51]).toBeCloseTo(scale * (N / 20), 9);
    expect(r.grossExposure[51]).toBeCloseTo((N / 103) * base(51) + N + scale * ((N / 104) * base(51) + N + N), 9);
  });
});

describe('portfolio basket checks', () => {
  const u = cointegratedUniverse(400, 1);
  const pair = pairOf(u, 'B', 'A', rollingStrategy);
  const time = (pair.bars as AlignedPair).time;
  const strategy: BasketStrategy = { entry: 1.5, exit: 0.25, window: 60, weights: { kind: 'train', method: 'eg', bars: 200 } };

  it('refuses a two-leg basket, unnamed legs and another time axis, saying what to do', () => {
    expect(() => backtestPortfolio([pair, basketOf(u, ['D', 'C'], strategy, time)])).toThrow('basket "D+C" has 2 legs: a portfolio basket has 3 to 6; give a two-leg spread as a pair { y, x, bars, strategy }');
    const unnamed = basketOf(u, ['D', 'C', 'E'], strategy, time);
    delete (unnamed.basket as BasketBars).symbols;
    expect(() => backtestPortfolio([pair, unnamed])).toThrow('basket member 2 has no symbols: name its legs (basket.symbols)');
    const shifted = basketOf(u, ['D', 'C', 'E'], strategy, time.map((t) => t + 1000));
    expect(() => backtestPortfolio([pair, shifted])).toThrow(/basket "D\+C\+E" is not on the time axis of pair "B\/A": bar 0 starts at/);
  });
});
