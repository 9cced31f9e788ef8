import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest';
import { annualisationFactor, barsPerYear } from '../../src/backtest/barsPerYear';
import { computeMetrics } from '../../src/backtest/metrics';
import { tradeStats } from '../../src/backtest/tradeStats';
import type { Trade } from '../../src/backtest/types';
import { alignPair } from '../../src/backtest/validate';
import { constant, noCosts } from './helpers';

const DAY = 86_400_000;

function trade(pnl: number, holdingBars: number, fees = 0): Trade {
  return {
    side: 'long', entryBar: 0, exitBar: holdingBars, entryTime: 0, exitTime: holdingBars * DAY, entryZ: -2, exitZ: 0, hedgeRatio: 1,
    qtyY: 1, qtyX: -1, entryPriceY: 1, entryPriceX: 1, exitPriceY: 1, exitPriceX: 1, fees, funding: 0, pnl, holdingBars, holdingMs: holdingBars * DAY, exitReason: 'exit',
  };
}

describe('annualisation (365-day year)', () => {
  it('counts the bars in a year for 1 s, 1 m and 1 h bars', () => {
    expect(barsPerYear(1_000)).toBe(31_536_000);
    expect(barsPerYear(60_000)).toBe(525_600);
    expect(barsPerYear(3_600_000)).toBe(8_760);
    expect(barsPerYear(DAY)).toBe(365);
    expect(annualisationFactor(1_000)).toBeCloseTo(5615.692, 3);
    expect(annualisationFactor(60_000)).toBeCloseTo(724.983, 3);
    expect(annualisationFactor(3_600_000)).toBeCloseTo(93.5949, 4);
  });

  it('takes the bar length from the data (median spacing, so a gap does not change it)', () => {
    const time = Float64Array.from([0, 1, 2, 3, 10, 11, 12].map((i) => i * 3_600_000));
    const legs = { time, open: constant(7, 100), close: constant(7, 100) };
    const pair = alignPair({ y: legs, x: { ...legs, time: time.slice() } });
    expect(pair.barMs).toBe(3_600_000);
    const r = runBacktest(pair, { hedgeRatio: constant(7, 1), z: constant(7, 0) }, { entry: 2, exit: 0 }, { execution: noCosts });
    expect(r.metrics.barsPerYear).toBe(8_760);
  });

  it('rejects a bar length that is not positive', () => {
    expect(() => barsPerYear(0)).toThrow(/positive/);
  });
});

describe('metrics of a hand-made equity curve', () => {
  // daily bars; returns 0, +10%, −10%, +6/99, +16/105
  const equity = Float64Array.from([100, 110, 99, 105, 121]);
  const time = Float64Array.from([0, 1, 2, 3, 4].map((i) => i * DAY));
  const trades = [trade(10, 2, 1), trade(-5, 4, 1), trade(3, 1, 0.5), trade(-2, 1, 0.5)];
  const m = computeMetrics({ equity, time, capital: 100, barMs: DAY, trades: tradeStats(trades), zPnl: 1.5, tradedNotional: 400, exposedBars: 3 });
  const r = [0, 0.1, -0.1, 6 / 99, 16 / 105];
  const mean = r.reduce((a, b) => a + b) / 5;
  const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);

  it('return, volatility, Sharpe and Sortino', () => {
    expect(m.totalReturn).toBeCloseTo(0.21, 12);
    expect(m.annualReturn).toBeCloseTo(1.21 ** (365 / 5) - 1, 6);
    expect(m.annualVolatility).toBeCloseTo(std * Math.sqrt(365), 12);
    expect(m.sharpe).toBeCloseTo((mean / std) * Math.sqrt(365), 12);
    // downside deviation: √(0.1² / 5)
    expect(m.sortino).toBeCloseTo((mean / Math.sqrt(0.01 / 5)) * Math.sqrt(365), 10);
  });

  it('drawdown depth and duration, Calmar', () => {
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.maxDrawdownBars).toBe(3); // peak at bar 1, regained at bar 4
    expect(m.maxDrawdownMs).toBe(3 * DAY);
    expect(m.calmar).toBeCloseTo(m.annualReturn / 0.1, 6);
  });

  it('trade statistics', () => {
    expect(m.trades).toBe(4);
    expect(m.winRate).toBe(0.5);
    expect(m.profitFactor).toBeCloseTo(13 / 7, 12);
    expect(m.avgHoldingBars).toBe(2);
    expect(m.avgHoldingMs).toBe(2 * DAY);
    expect(m.feesPaid).toBe(3);
    expect(m.exposure).toBeCloseTo(3 / 5, 12);
    expect(m.turnover).toBe(4);
    expect(m.zPnl).toBe(1.5);
    expect(m.pnl).toBeCloseTo(21, 12);
  });

  it('a drawdown never regained lasts to the last bar', () => {
    const dd = computeMetrics({ equity: Float64Array.from([100, 120, 90, 100]), time, capital: 100, barMs: DAY, trades: tradeStats([]), zPnl: 0, tradedNotional: 0, exposedBars: 0 });
    expect(dd.maxDrawdown).toBeCloseTo(0.25, 12);
    expect(dd.maxDrawdownBars).toBe(2);
    expect(Number.isNaN(dd.winRate)).toBe(true);
    expect(Number.isNaN(dd.profitFactor)).toBe(true);
  });
});

describe("the prototype's z-unit P&L", () => {
  it('sums the position held at the previous close times the change in z', () => {
    const time = Float64Array.from({ length: 6 }, (_, i) => i * 60_000);
    const legs = { time, open: constant(6, 100), close: constant(6, 100) };
    const pair = alignPair({ y: legs, x: { ...legs, time: time.slice() } });
    const z = Float64Array.from([0, -2.5, -2, -1, -0.2, 0]);
    // long at closes 2, 3 and 4 (the exit fills at bar 5): (−1 − −2) + (−0.2 − −1) + (0 − −0.2) = 2
    const r = runBacktest(pair, { hedgeRatio: constant(6, 1), z }, { entry: 2, exit: 0.5 }, { execution: noCosts });
    expect(r.trades.map((t) => [t.entryBar, t.exitBar])).toEqual([[2, 5]]);
    expect(r.metrics.zPnl).toBeCloseTo(2, 12);
  });
});
