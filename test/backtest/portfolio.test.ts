import { describe, expect, it } from 'vitest';
import { type AlignedPair, BacktestSettingsError, backtestPair, backtestPortfolio, type PairStrategy, type PortfolioPair } from '../../src/backtest';
import { cointegratedUniverse, pairOf, rollingStrategy, type Universe } from './portfolioHelpers';

const costs = { makerFeeBps: 2, takerFeeBps: 5, slippageBps: 1, capital: 100_000 };

function universePairs(u: Universe): PortfolioPair[] {
  // B and D each trade in two pairs, so net positions differ from the per-pair legs
  return [pairOf(u, 'B', 'A', rollingStrategy), pairOf(u, 'D', 'C', rollingStrategy), pairOf(u, 'B', 'D', { ...rollingStrategy, entry: 1.25 })];
}

describe('portfolio with capital that does not bind', () => {
  const u = cointegratedUniverse(3000, 7);
  const pairs = universePairs(u);
  const notional = [10_000, 20_000, 15_000];
  const result = backtestPortfolio(pairs, { allocation: { kind: 'fixed', notional }, execution: costs });
  const alone = pairs.map((p, i) => backtestPair(p.bars, p.strategy, { execution: { ...costs, notionalPerLeg: notional[i] } }));

  it('books each pair exactly the trades of its own backtest', () => {
    for (const [i, a] of alone.entries()) {
      expect(a.trades.length).toBeGreaterThan(3);
      const booked = result.pairs[i].trades;
      expect(booked.map(({ pair: _p, scale: _s, ...t }) => t)).toEqual(a.trades);
      expect(booked.every((t) => t.scale === 1)).toBe(true);
      expect(result.pairs[i].entries).toEqual({ full: a.trades.length, scaled: 0, skipped: 0 });
    }
  });

  it('has equity = capital + the sum of the per-pair P&L at every close', () => {
    for (let t = 0; t < result.equity.length; t++) {
      const expected = costs.capital + alone.reduce((s, a) => s + a.equity[t] - costs.capital, 0);
      expect(result.equity[t]).toBeCloseTo(expected, 8);
    }
    for (const [i, a] of alone.entries()) expect(result.pairs[i].pnl[result.equity.length - 1]).toBeCloseTo(a.metrics.pnl, 8);
    expect(result.metrics.trades).toBe(alone.reduce((s, a) => s + a.metrics.trades, 0));
    expect(result.metrics.feesPaid).toBeCloseTo(alone.reduce((s, a) => s + a.metrics.feesPaid, 0), 8);
  });

  it('nets the positions per symbol across pairs', () => {
    const net = new Map(result.symbols.map((s) => [s.symbol, s.quantity]));
    const legs = (i: number, leg: 'y' | 'x', t: number) => {
      const tr = alone[i].trades.find((x) => x.entryBar <= t && t < x.exitBar);
      return tr === undefined ? 0 : leg === 'y' ? tr.qtyY : tr.qtyX;
    };
    for (let t = 0; t < result.equity.length; t += 7) {
      expect(net.get('B')?.[t]).toBeCloseTo(legs(0, 'y', t) + legs(2, 'y', t), 9);
      expect(net.get('D')?.[t]).toBeCloseTo(legs(1, 'y', t) + legs(2, 'x', t), 9);
      expect(net.get('A')?.[t]).toBeCloseTo(legs(0, 'x', t), 9);
      expect(result.netExposure[t]).toBeLessThanOrEqual(result.grossExposure[t] + 1e-9);
    }
  });

  it('splits an equal allocation evenly and sizes each pair at its share', () => {
    const r = backtestPortfolio(pairs, { allocation: { kind: 'equal', budget: 0.6 }, execution: costs });
    for (const [i, p] of r.pairs.entries()) {
      expect(p.notionalPerLeg).toBeCloseTo((0.6 * costs.capital) / 3, 9);
      const a = backtestPair(pairs[i].bars, pairs[i].strategy, { execution: { ...costs, notionalPerLeg: p.notionalPerLeg } });
      expect(p.pnl[p.pnl.length - 1]).toBeCloseTo(a.metrics.pnl, 8);
    }
  });
});

describe('portfolio with a binding gross leverage limit (hand-computed)', () => {
  // y alternates 100 / 100.1 and spikes once; x is flat at 50. With β fixed at 0 the spread is y, so the spike's close
  // decides a short entry (z ≫ 1.5) filled at the next open (= the spike), and the next close (back at the base) the exit.
  const n = 120;
  const base = (i: number) => 100 + 0.1 * (i % 2);
  const closes = (spikes: Record<number, number>) => Array.from({ length: n }, (_, i) => spikes[i] ?? base(i));
  const u: Universe = { P: closes({ 50: 103 }), Q: closes({ 50: 104 }), R: closes({ 50: 102, 80: 102.5 }), BTC: Array.from({ length: n }, () => 50) };
  const strategy: PairStrategy = { entry: 2, exit: 0.5, window: 20, hedge: { kind: 'fixed', beta: 0 } };
  const pairs = ['P', 'Q', 'R'].map((y) => pairOf(u, y, 'BTC', strategy));
  const N = 4000;
  const capital = 10_000;
  const free = { makerFeeBps: 0, takerFeeBps: 0, slippageBps: 0, capital };
  const r = backtestPortfolio(pairs, { allocation: { kind: 'fixed', notional: [N, N, N] }, execution: free, maxGrossLeverage: 1 });

  it('takes the first entry, scales the second to the room left and skips the third', () => {
    // the limit is 1 × 10,000; each entry is 2N = 8,000 gross: P takes 8,000, Q gets the 2,000 left (scale 0.25), R none
    const scaleQ = (capital - 2 * N) / (2 * N);
    expect(r.pairs.map((p) => p.entries)).toEqual([
      { full: 1, scaled: 0, skipped: 0 },
      { full: 0, scaled: 1, skipped: 0 },
      { full: 1, scaled: 0, skipped: 1 }, // R's second spike (bar 80) comes after P and Q are out: taken in full
    ]);
    expect(r.pairs[1].trades[0].scale).toBeCloseTo(scaleQ, 12);
    expect(r.pairs[2].trades.map((t) => t.entryBar)).toEqual([81]);
  });

  it('books the P&L of each trade at its scale: short y from the spike to the next base close', () => {
    const tradePnl = (spike: number, exitBar: number) => (N / spike) * (spike - base(exitBar - 1)); // exit at the open = previous close
    const expected = { P: tradePnl(103, 52), Q: 0.25 * tradePnl(104, 52), R: tradePnl(102.5, 82) };
    expect(r.pairs[0].pnl[n - 1]).toBeCloseTo(expected.P, 9);
    expect(r.pairs[1].pnl[n - 1]).toBeCloseTo(expected.Q, 9);
    expect(r.pairs[2].pnl[n - 1]).toBeCloseTo(expected.R, 9);
    expect(r.equity[n - 1]).toBeCloseTo(capital + expected.P + expected.Q + expected.R, 9);
  });

  it('reports BTC, long in every pair, as one net position', () => {
    const btc = r.symbols.find((s) => s.symbol === 'BTC');
    expect(btc?.quantity[51]).toBeCloseTo((1.25 * N) / 50, 9);
    expect(btc?.quantity[81]).toBeCloseTo(N / 50, 9);
    expect(btc?.quantity[60]).toBe(0);
    expect(r.grossExposure[51]).toBeCloseTo((N / 103) * base(51) + N + 0.25 * ((N / 104) * base(51) + N), 9);
  });
});

describe('portfolio attribution', () => {
  it('sums to the portfolio P&L at every close, also when the limit binds', () => {
    const u = cointegratedUniverse(2500, 11);
    const pairs = universePairs(u);
    const r = backtestPortfolio(pairs, { allocation: { kind: 'equal', budget: 1 }, execution: costs, maxGrossLeverage: 1.2 });
    const entries = r.pairs.reduce((a, p) => ({ scaled: a.scaled + p.entries.scaled, skipped: a.skipped + p.entries.skipped }), { scaled: 0, skipped: 0 });
    expect(entries.scaled + entries.skipped).toBeGreaterThan(0);
    for (let t = 0; t < r.equity.length; t++) {
      expect(r.pairs.reduce((s, p) => s + p.pnl[t], 0)).toBeCloseTo(r.equity[t] - costs.capital, 8);
    }
    // the limit holds at every entry fill: book gross at the previous close (after same-bar exits) + the entry's gross
    const bars = pairs.map((p) => p.bars as AlignedPair);
    const booked = r.pairs.flatMap((p, i) => p.trades.map((t) => ({ t, i })));
    for (const { t: entry, i: at } of booked) {
      const e = entry.entryBar;
      let gross = Math.abs(entry.qtyY) * entry.entryPriceY + Math.abs(entry.qtyX) * entry.entryPriceX;
      for (const { t, i } of booked) {
        if (t === entry || !(t.entryBar < e || (t.entryBar === e && i < at)) || t.exitBar <= e) continue;
        gross += Math.abs(t.qtyY) * bars[i].yClose[e - 1] + Math.abs(t.qtyX) * bars[i].xClose[e - 1];
      }
      expect(gross).toBeLessThanOrEqual(1.2 * r.equity[e - 1] * (1 + 1e-9));
    }
    for (const p of r.pairs) expect(p.trades.reduce((s, t) => s + t.pnl, 0)).toBeCloseTo(p.pnl[p.pnl.length - 1], 6);
  });

  it('sizes capped Kelly and inverse volatility from the estimation bars only', () => {
    const u = cointegratedUniverse(3000, 5);
    const pairs = universePairs(u);
    const kelly = backtestPortfolio(pairs, { allocation: { kind: 'kelly', cap: 0.5, estimation: { start: 0, end: 1500 } }, execution: costs, start: 1500 });
    // μ/σ² of the per-bar P&L per unit notional of the pair traded alone on the estimation bars at notional = capital
    const alone = pairs.map((p) => backtestPair(p.bars, p.strategy, { execution: { ...costs, notionalPerLeg: costs.capital }, start: 0, end: 1500 }));
    const moments = alone.map((a) => {
      const r = Array.from(a.equity, (e, t) => (e - (t > 0 ? a.equity[t - 1] : costs.capital)) / costs.capital);
      const mean = r.reduce((x, y) => x + y, 0) / r.length;
      return { mean, variance: r.reduce((x, y) => x + (y - mean) ** 2, 0) / (r.length - 1) };
    });
    moments.forEach(({ mean, variance }, i) => expect(kelly.pairs[i].notionalPerLeg).toBeCloseTo(costs.capital * Math.min(0.5, Math.max(0, mean / variance)), 6));
    const iv = backtestPortfolio(pairs, { allocation: { kind: 'inverseVolatility', estimation: { start: 0, end: 1500 } }, execution: costs, start: 1500 });
    const inv = moments.map((m) => 1 / Math.sqrt(m.variance));
    inv.forEach((v, i) => expect(iv.pairs[i].notionalPerLeg).toBeCloseTo((costs.capital * v) / inv.reduce((a, b) => a + b, 0), 6));
    expect(iv.pairs.reduce((s, p) => s + p.notionalPerLeg, 0)).toBeCloseTo(costs.capital, 6);
    expect(() => backtestPortfolio(pairs, { allocation: { kind: 'kelly', cap: 0.5, estimation: { start: 0, end: 1600 } }, execution: costs, start: 1500 })).toThrow(/after trading starts/);
  });
});

describe('portfolio input checks', () => {
  it('requires one time axis for all pairs', () => {
    const a = cointegratedUniverse(400, 1);
    const short = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.slice(0, 300)]));
    expect(() => backtestPortfolio([pairOf(a, 'B', 'A', rollingStrategy), pairOf(short, 'D', 'C', rollingStrategy)])).toThrow(BacktestSettingsError);
    expect(() => backtestPortfolio([pairOf(a, 'B', 'A', rollingStrategy), pairOf(short, 'D', 'C', rollingStrategy)])).toThrow(/"D\/C" is not on the time axis of pair "B\/A": 300 bars against 400/);
    expect(() => backtestPortfolio([pairOf(a, 'B', 'A', rollingStrategy), pairOf(a, 'B', 'A', rollingStrategy)])).toThrow(/given twice/);
  });
});
