// Pair and basket views of different spans become portfolio members on the bars they all cover, so one
// `backtest.backtestPortfolio` trades them together with a symbol in both netted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { backtest, basketMember, commonSpan, pairMember } from '../../kernel-lib/src';
import { barsCsv } from './support/barsCsv';

const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-members-'));
const bars = 900;
const t0 = Date.UTC(2026, 0, 5);
let lab: Lab;

/** 1m bars: CUSDT ≈ AUSDT + BUSDT, and DUSDT ≈ AUSDT + 50, each plus AR(1) noise. */
function csv(): string {
  let a = 200;
  let b = 150;
  let e = 0;
  let f = 0;
  return barsCsv(bars, t0, 7, (g) => {
    a += 0.4 * g();
    b += 0.3 * g();
    e = 0.8 * e + 0.5 * g();
    f = 0.8 * f + 0.5 * g();
    return { AUSDT: a, BUSDT: b, CUSDT: a + b + e, DUSDT: a + 50 + f };
  });
}

beforeAll(async () => {
  lab = await openLab({ dataDir: dir });
  await lab.importCsv(csv(), { timeframe: '1m' });
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
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
