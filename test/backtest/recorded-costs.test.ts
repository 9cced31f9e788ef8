// Costs from recorded market data, against a hand computation: fills cross the latest quote at or before the fill
// time (buy at the ask, sell at the bid), funding is charged on quantity × the mark price at each event the position
// holds, and the result splits costs into fees, spread, slippage and funding.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest';
import type { FundingRates, LegQuotes } from '../../src/backtest/types';
import { flatPair } from './helpers';

const BAR = 60_000;
const pair = flatPair(6, BAR); // y at 100, x at 50, bars at t0 + i·BAR
const t0 = pair.time[0];
const at = (bar: number, ms = 0) => t0 + bar * BAR + ms;
// long the spread decided at close 1, filled at bar 2's open; exit decided at close 3, filled at bar 4's open
const signals = { hedgeRatio: new Float64Array(6).fill(1), z: Float64Array.from([NaN, -2.5, -1.5, 0, 0, 0]) };
const rule = { entry: 2, exit: 0.5 };
const NOTIONAL = 1000;
const FEE = 5 / 1e4;
const execution = { notionalPerLeg: NOTIONAL, takerFeeBps: 5, slippageBps: 1, capital: 10_000 };

const quotes = (rows: Array<[number, number, number]>): LegQuotes => ({
  time: Float64Array.from(rows, (r) => r[0]), bid: Float64Array.from(rows, (r) => r[1]), ask: Float64Array.from(rows, (r) => r[2]),
});
// the quote in force at each fill, and a later one that must not be used
const yEntry = { bid: 99.9, ask: 100.1 };
const xEntry = { bid: 49.95, ask: 50.05 };
const yExit = { bid: 101.8, ask: 102.2 };
const xExit = { bid: 49.9, ask: 50.1 };
const quotesY = quotes([[at(1, 30_000), 99, 99.2], [at(1, 59_500), yEntry.bid, yEntry.ask], [at(3, 59_000), yExit.bid, yExit.ask], [at(4, 1), 120, 121]]);
const quotesX = quotes([[at(1, 50_000), xEntry.bid, xEntry.ask], [at(4), xExit.bid, xExit.ask], [at(4, 1), 40, 41]]);

// events: before the entry (flat), inside bar 2 (lands on bar 3, held), at the exit fill time (held: Binance charges
// positions open at the funding time), and at bar 5's start (flat again)
const funding = (rows: Array<[number, number, number]>): FundingRates => ({
  time: Float64Array.from(rows, (r) => r[0]), rate: Float64Array.from(rows, (r) => r[1]), markPrice: Float64Array.from(rows, (r) => r[2]),
});
const eventsY: Array<[number, number, number]> = [[at(1), 0.01, 100], [at(2, 30_000), 0.0001, 100.5], [at(4), -0.0003, 101.9], [at(5), 0.01, 100]];
const eventsX: Array<[number, number, number]> = [[at(1), 0.01, 50], [at(2, 30_000), 0.0002, 50.2], [at(4), 0.0001, 50.05], [at(5), 0.01, 50]];

describe('backtest costs from recorded quotes and funding', () => {
  it('equal a hand computation of fees, spread cost and funding', () => {
    const r = runBacktest(pair, signals, rule, { execution, quotes: { y: quotesY, x: quotesX }, funding: { y: funding(eventsY), x: funding(eventsX) } });
    // by hand: sized at the mids, long y bought at the ask, short x sold at the bid; the exit the other way round
    const midY = (yEntry.bid + yEntry.ask) / 2;
    const midX = (xEntry.bid + xEntry.ask) / 2;
    const qY = NOTIONAL / midY;
    const qX = -NOTIONAL / midX;
    const fees = (qY * yEntry.ask + -qX * xEntry.bid) * FEE + (qY * yExit.bid + -qX * xExit.ask) * FEE;
    const spread = qY * (yEntry.ask - midY) + -qX * (midX - xEntry.bid) + qY * ((yExit.bid + yExit.ask) / 2 - yExit.bid) + -qX * (xExit.ask - (xExit.bid + xExit.ask) / 2);
    const held = [1, 2]; // the events at bar 2 + 30 s and at the exit
    const fundingHand = held.reduce((s, i) => s - qY * eventsY[i][2] * eventsY[i][1] - qX * eventsX[i][2] * eventsX[i][1], 0);
    const pricePnl = qY * (yExit.bid - yEntry.ask) + qX * (xExit.ask - xEntry.bid);

    const [t] = r.trades;
    expect(r.trades).toHaveLength(1);
    expect(t.qtyY).toBeCloseTo(qY, 12);
    expect(t.qtyX).toBeCloseTo(qX, 12);
    expect([t.entryPriceY, t.entryPriceX, t.exitPriceY, t.exitPriceX]).toEqual([yEntry.ask, xEntry.bid, yExit.bid, xExit.ask]);
    expect(t.fees).toBeCloseTo(fees, 10);
    expect(t.spreadCost).toBeCloseTo(spread, 10);
    expect(t.slippage).toBe(0);
    expect(t.funding).toBeCloseTo(fundingHand, 10);
    expect(t.pnl).toBeCloseTo(pricePnl - fees + fundingHand, 10);
    expect(r.metrics.feesPaid).toBeCloseTo(fees, 10);
    expect(r.metrics.spreadCost).toBeCloseTo(spread, 10);
    expect(r.metrics.slippageCost).toBe(0);
    expect(r.metrics.funding).toBeCloseTo(fundingHand, 10);
    expect(r.metrics.finalEquity).toBeCloseTo(10_000 + pricePnl - fees + fundingHand, 9);
    expect(r.costUsage).toEqual({ quotedFills: 4, barFills: 0, firstFallbackTime: null, fundingWithoutMark: 0 });
  });

  it('falls back to the bar price with slippage before the first quote, and counts it', () => {
    const late = quotes([[at(3), yExit.bid, yExit.ask]]);
    const r = runBacktest(pair, signals, rule, { execution, quotes: { y: late, x: quotesX } });
    const [t] = r.trades;
    const slip = 1 / 1e4;
    const qY = NOTIONAL / 100; // sized at y's bar open: no quote yet
    expect(t.entryPriceY).toBeCloseTo(100 * (1 + slip), 12);
    expect(t.exitPriceY).toBe(yExit.bid);
    expect(t.slippage).toBeCloseTo(qY * 100 * slip, 12);
    expect(r.metrics.slippageCost).toBeCloseTo(qY * 100 * slip, 12);
    expect(r.costUsage).toMatchObject({ quotedFills: 3, barFills: 1, firstFallbackTime: at(2) });
  });

  it('refuses quotes that are stale beyond maxAgeMs', () => {
    const r = runBacktest(pair, signals, rule, { execution, quotes: { y: quotesY, x: quotesX, maxAgeMs: 400 } });
    // y's entry quote is 500 ms old at the fill, x's 10 s: both fall back; the exit quotes are 1 s (y) and 0 ms (x) old
    expect(r.costUsage).toMatchObject({ quotedFills: 1, barFills: 3, firstFallbackTime: at(2) });
  });

  it('prices an event without a mark price at its bar open, and counts it', () => {
    const noMark = funding(eventsY);
    (noMark.markPrice as Float64Array)[1] = NaN;
    const r = runBacktest(pair, signals, rule, { execution, funding: { y: noMark } });
    const qY = NOTIONAL / 100;
    expect(r.metrics.funding).toBeCloseTo(-qY * 100 * eventsY[1][1] - qY * eventsY[2][2] * eventsY[2][1], 10);
    expect(r.costUsage.fundingWithoutMark).toBe(1);
  });

  it('without quotes or mark prices, costs are fees and constant slippage as before', () => {
    const r = runBacktest(pair, signals, rule, { execution, funding: { y: { time: funding(eventsY).time, rate: funding(eventsY).rate } } });
    const slip = 1 / 1e4;
    const qY = NOTIONAL / 100;
    const qX = NOTIONAL / 50;
    expect(r.metrics.spreadCost).toBe(0);
    expect(r.metrics.slippageCost).toBeCloseTo(2 * (qY * 100 + qX * 50) * slip, 10);
    expect(r.metrics.funding).toBeCloseTo(-qY * 100 * (eventsY[1][1] + eventsY[2][1]), 10);
    expect(r.costUsage).toEqual({ quotedFills: 0, barFills: 4, firstFallbackTime: null, fundingWithoutMark: 0 });
  });
});
