// lab.basket and lab.basketScan on a store: imported 1m bars where CUSDT ≈ AUSDT + BUSDT (no pair cointegrated) and
// DUSDT is an independent walk; the basket's statistics, its backtest with rolling weights, and the ranking; pair and
// basket views of different spans as portfolio members on the bars both cover, traded as one book.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { analytics, backtest, basketMember, commonSpan, pairMember } from '../../kernel-lib/src';
import { BASKET_T0, basketCsv } from './support/basketCsv';

const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-basket-'));
const bars = 1500;
const t0 = BASKET_T0;
let lab: Lab;

beforeAll(async () => {
  lab = await openLab({ dataDir: dir });
  await lab.importCsv(basketCsv(bars), { timeframe: '1m' });
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lab.basket', () => {
  it('gives the basket statistics of the legs on their common bars (Johansen weights, leg 1 = 1)', async () => {
    const view = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', weights: 'johansen', window: 60 });
    const m = view.metrics;
    expect(m.bars).toBe(bars);
    expect(m.weights[0]).toBe(1);
    m.weights.slice(1).forEach((w) => expect(w).toBeCloseTo(-1, 1));
    expect(m.cointRejects).toBe(true);
    expect(m.stability).toBe(1);
    expect(m.halfLife).toBeLessThan(10);
    const direct = analytics.johansenWeights(view.basket.close);
    expect(m.weights).toEqual(Array.from(direct.weights));
    expect(view.series.z).toHaveLength(bars);
    expect(Object.keys(view.series.close)).toEqual(['CUSDT', 'AUSDT', 'BUSDT']);
    const eg = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', weights: 'eg' });
    expect(eg.metrics.cointPValue).toBeLessThan(0.01);
  });

  it('backtests with rolling weights, legs filled at bar prices without recorded quotes', async () => {
    const view = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', window: 60, weightWindow: 300, weightEvery: 30 });
    const report = await view.backtest({ entry: 1.5, exit: 0.3 }, { feeBps: 4, slippageBps: 2 });
    expect(report.metrics.trades).toBeGreaterThan(5);
    expect(Number.isNaN(report.signals.weights[1][298])).toBe(true);
    expect(report.costUsage.quotedFills).toBe(0);
    expect(report.costNotes.join(' ')).toMatch(/no recorded quotes/);
    // the same run through the backtester directly
    const direct = backtest.backtestBasket(view.basket, {
      entry: 1.5, exit: 0.3, window: 60, weights: { kind: 'rolling', method: 'johansen', window: 300, every: 30 },
    }, { execution: { takerFeeBps: 4, slippageBps: 2 } });
    expect(Array.from(report.equity)).toEqual(Array.from(direct.equity));
    expect(report.trades[0].legFees).toHaveLength(3);
    const figure = view.charts.equity(report);
    expect(figure.data.length).toBeGreaterThan(0);
    expect(view.charts.spread({ entry: 1.5 }).layout).toBeDefined();
  });

  it('refuses a bad leg list with what to do', async () => {
    await expect(lab.basket(['CUSDT'], { timeframe: '1m' })).rejects.toThrow(/2 to 6 legs/);
    await expect(lab.basket(['CUSDT', 'cusdt'], { timeframe: '1m' })).rejects.toThrow(/not a symbol/);
    await expect(lab.basket(['CUSDT', 'CUSDT'], { timeframe: '1m' })).rejects.toThrow(/repeats/);
    await expect(lab.basket(['CUSDT', 'AUSDT'], { timeframe: '1m', window: 5000 })).rejects.toThrow(/at least 5000/);
  });
});

describe('lab.basketScan', () => {
  it('ranks the cointegrated triple first among the 4 triples of the universe', async () => {
    const scan = await lab.basketScan({ timeframe: '1m', size: 3 });
    expect(scan.bars).toBe(bars);
    expect(scan.rows).toHaveLength(4);
    expect([...scan.rows[0].legs].sort()).toEqual(['AUSDT', 'BUSDT', 'CUSDT']);
    expect(scan.rows[0].egPValue).toBeLessThan(0.01);
    expect(scan.rows[1].egPValue).toBeGreaterThan(0.01);
  });
});

describe('basket backtest costs from recorded market data', () => {
  it("funds each leg from its own recorded events at their mark price and fills a quoted leg at its quotes", async () => {
    const { BasketView } = await import('../../kernel-lib/src/analysis/basketView');
    const n = 800;
    let seed = 31;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const g = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
    const time = Float64Array.from({ length: n }, (_, t) => t0 + t * 60_000);
    let a = 200;
    let b = 150;
    let e = 0;
    const closes: Record<string, Float64Array> = { CUSDT: new Float64Array(n), AUSDT: new Float64Array(n), BUSDT: new Float64Array(n) };
    for (let t = 0; t < n; t++) {
      a += 0.4 * g();
      b += 0.3 * g();
      e = 0.8 * e + 0.5 * g();
      closes.CUSDT[t] = a + b + e;
      closes.AUSDT[t] = a;
      closes.BUSDT[t] = b;
    }
    const series = (symbol: string) => {
      const close = closes[symbol];
      const open = close.map((v, t) => (t ? close[t - 1] : v));
      const z = new Float64Array(n);
      return { symbol, timeframeMs: 60_000, time, open, high: close, low: close, close, volume: z.map(() => 1), trades: z, vwap: close, filled: new Uint8Array(n) };
    };
    const eventBars = Array.from({ length: 15 }, (_, k) => 30 + 50 * k);
    const noEvents = { fundingTime: new Float64Array(0), fundingRate: new Float64Array(0), markPrice: new Float64Array(0) };
    const noQuotes = { time: new Float64Array(0), bid: new Float64Array(0), bidQty: new Float64Array(0), ask: new Float64Array(0), askQty: new Float64Array(0), spreadTw: new Float64Array(0), quotes: new Float64Array(0) };
    const c = series('CUSDT');
    const source = {
      latestBars: async (q: { symbol: string }) => series(q.symbol),
      bars: async (q: { symbol: string }) => series(q.symbol),
      funding: async (q: { symbol: string }) => (q.symbol !== 'BUSDT' ? { symbol: q.symbol, ...noEvents } : {
        symbol: q.symbol,
        fundingTime: Float64Array.from(eventBars, (k) => time[k] - 500),
        fundingRate: Float64Array.from(eventBars, (k) => (k % 3 ? 1e-4 : -2e-4)),
        markPrice: Float64Array.from(eventBars, (k) => closes.BUSDT[k - 1] * 1.01),
      }),
      marks: async (q: { symbol: string }) => ({ symbol: q.symbol, eventTime: new Float64Array(0), markPrice: new Float64Array(0), indexPrice: new Float64Array(0), fundingRate: new Float64Array(0), nextFundingTime: new Float64Array(0) }),
      // one quote a second before each bar starts, ± 0.01 around the open (CUSDT only)
      quotes1s: async (q: { symbol: string }) => (q.symbol !== 'CUSDT' ? { symbol: q.symbol, ...noQuotes } : {
        symbol: q.symbol, ...noQuotes, time: time.map((t) => t - 1000), bid: c.open.map((p) => p - 0.01), ask: c.open.map((p) => p + 0.01),
      }),
    };
    const view = await BasketView.load(source, ['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', window: 60, weightWindow: 200, weightEvery: 20 });
    const report = await view.backtest({ entry: 1.5, exit: 0.3 });
    const trades = report.trades;
    expect(trades.length).toBeGreaterThan(3);
    expect(report.costUsage.quotedFills).toBe(2 * trades.length);
    expect(report.costUsage.barFills).toBe(4 * trades.length);
    let held = 0;
    for (const t of trades) {
      const side = Math.sign(t.qty[0]);
      if (t.exitReason !== 'end') expect(t.entryPrice[0]).toBe(c.open[t.entryBar] + side * 0.01);
      const events = eventBars.filter((k) => k > t.entryBar && k <= t.exitBar);
      held += events.length;
      const expected = events.reduce((s, k) => s - t.qty[2] * closes.BUSDT[k - 1] * 1.01 * (k % 3 ? 1e-4 : -2e-4), 0);
      expect(t.legFunding[2]).toBeCloseTo(expected, 10);
      expect(t.legFunding[0]).toBe(0);
      expect(t.legFunding[1]).toBe(0);
    }
    expect(held).toBeGreaterThan(0);
    expect(report.costNotes.join(' ')).toMatch(/15 for BUSDT/);
  });
});

describe('portfolio members from views', () => {
  it('cuts a pair view and a basket view to the bars both cover and trades them as one book', async () => {
    const pair = await lab.pair('DUSDT', 'AUSDT', { timeframe: '1m', window: 60, hedge: 'ols', maxBars: 600 });
    const basket = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', window: 60 });
    expect([pair.time.length, basket.time.length]).toEqual([600, bars]);
    const span = commonSpan([pair, basket]);
    expect(span).toEqual({ from: pair.time[0], to: pair.time[599] });
    const p = pairMember(pair, { entry: 1.5, exit: 0, window: 60, hedge: { kind: 'rolling', estimator: 'ols', window: 120, every: 10 } }, span);
    const b = basketMember(basket, { entry: 1.5, exit: -1, window: 60, weights: { kind: 'rolling', method: 'eg', window: 120, every: 10 } }, span);
    expect(Array.from(b.basket.time)).toEqual(Array.from(pair.time));
    expect(Array.from(b.basket.close[1])).toEqual(Array.from(basket.basket.close[1].subarray(bars - 600)));
    const book = backtest.backtestPortfolio([p, b], { allocation: { kind: 'equal' }, execution: { capital: 100_000 } });
    expect(book.pairs[0].trades.length).toBeGreaterThan(0);
    expect(book.baskets[0].trades.length).toBeGreaterThan(0);
    expect(book.symbols.map((s) => s.symbol)).toEqual(['DUSDT', 'AUSDT', 'CUSDT', 'BUSDT']);
    const a = book.symbols[1].quantity;
    for (let t = 0; t < a.length; t += 5) {
      const fromPair = book.trades.find((x) => x.entryBar <= t && t < x.exitBar)?.qtyX ?? 0;
      const fromBasket = book.basketTrades.find((x) => x.entryBar <= t && t < x.exitBar)?.qty[1] ?? 0;
      expect(a[t]).toBeCloseTo(fromPair + fromBasket, 9);
    }
  });

  it('refuses a span outside a view\'s bars, saying what to give', async () => {
    const basket = await lab.basket(['CUSDT', 'AUSDT', 'BUSDT'], { timeframe: '1m', window: 60, maxBars: 300 });
    const strategy = { entry: 1.5, exit: 0, window: 60, weights: { kind: 'train' as const, method: 'eg' as const, bars: 100 } };
    expect(() => basketMember(basket, strategy, { from: t0, to: basket.time[299] })).toThrow(
      `basket CUSDT+AUSDT+BUSDT has no bar at ${new Date(t0).toISOString()}: give a span inside its bars (commonSpan of all the members' views)`,
    );
    expect(() => commonSpan([{ time: Float64Array.of(1, 2) }, { time: Float64Array.of(3, 4) }])).toThrow(/the views share no bars/);
  });
});
