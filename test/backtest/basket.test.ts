// A basket backtest: two legs with Engle-Granger weights give exactly backtestPair's numbers with the same fixed
// hedge (every sizing, exits, funding, quotes); more legs are filled, charged and funded leg by leg; weights are
// never fitted on bars after the decision.
import { describe, expect, it } from 'vitest';
import { egWeights } from '../../src/analytics';
import {
  type AlignedBasket, type AlignedPair, type BacktestOptions, type BasketBacktestOptions, type BasketStrategy, type ExecutionSettings,
  type FundingRates, type LegQuotes, type PairStrategy, type StrategyParams, backtestBasket, backtestPair,
} from '../../src/backtest';
import { alignBasket } from '../../src/backtest/basketBacktest';
import { rng, syntheticPair } from './helpers';

const asBasket = (p: AlignedPair): AlignedBasket => alignBasket({ time: p.time, open: [p.yOpen, p.xOpen], close: [p.yClose, p.xClose], symbols: ['Y', 'X'] });

function expectSameRun(pair: AlignedPair, rule: StrategyParams & { window: number }, pairOptions: BacktestOptions, basketOptions: BasketBacktestOptions, trainBars = 400) {
  const fit = egWeights([pair.yClose, pair.xClose], 0, trainBars);
  const beta = -fit.weights[1];
  const p = backtestPair(pair, { ...rule, hedge: { kind: 'fixed', beta, intercept: fit.intercept } } as PairStrategy, pairOptions);
  const b = backtestBasket(asBasket(pair), { ...rule, weights: { kind: 'fixed', weights: Array.from(fit.weights), intercept: fit.intercept } }, basketOptions);
  expect(p.metrics.trades).toBeGreaterThan(3);
  expect(Array.from(b.signals.z)).toEqual(Array.from(p.signals.z));
  expect(Array.from(b.position)).toEqual(Array.from(p.position));
  expect(Array.from(b.equity)).toEqual(Array.from(p.equity));
  expect(b.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason, t.pnl, t.fees, t.funding, t.qty[0], t.qty[1]]))
    .toEqual(p.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason, t.pnl, t.fees, t.funding, t.qtyY, t.qtyX]));
  for (const [key, value] of Object.entries(p.metrics)) {
    const got = b.metrics[key as keyof typeof b.metrics];
    if (Number.isFinite(value)) expect(Math.abs(got - value), key).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(value)));
    else expect(got, key).toBe(value);
  }
  expect(b.costUsage).toEqual(p.costUsage);
  return b;
}

const rule = { entry: 1.5, exit: 0.3, window: 60 };

describe('two-leg basket = backtestPair with the same fixed hedge', () => {
  const pair = syntheticPair(3000, 7);
  for (const sizing of ['dollarNeutral', 'hedgeUnits', 'hedgeNotional'] as const) {
    it(`sizing ${sizing}, fills at the open with fees and slippage`, () => {
      const execution: Partial<ExecutionSettings> = { sizing, slippageBps: 2, takerFeeBps: 5 };
      expectSameRun(pair, rule, { execution, start: 400 }, { execution, start: 400 });
    });
  }

  it('stops, holding limits, cooldown and fills at the close', () => {
    const r = { ...rule, stop: 2.2, maxHoldingBars: 40, cooldownBars: 5 };
    const execution: Partial<ExecutionSettings> = { fillAt: 'close', liquidity: 'maker' };
    const b = expectSameRun(pair, r, { execution }, { execution });
    expect(new Set(b.trades.map((t) => t.exitReason)).size).toBeGreaterThan(1);
  });

  it('funding per leg: rates on the open, and recorded events at their mark price', () => {
    const every = 8 * 60 * 60_000 / 60_000 / 16; // an event every 30 bars
    const events = (k: number, marks: boolean): FundingRates => {
      const idx = Array.from({ length: Math.floor(3000 / every) }, (_, i) => i * every + 3);
      return {
        time: Float64Array.from(idx, (i) => pair.time[i] - 1000),
        rate: Float64Array.from(idx, (i) => ((i % 7) - 3) * 1e-4 * k),
        ...(marks ? { markPrice: Float64Array.from(idx, (i) => (k === 1 ? pair.yOpen[i] : pair.xOpen[i]) * 1.001) } : {}),
      };
    };
    for (const marks of [false, true]) {
      const y = events(1, marks);
      const x = events(2, marks);
      const b = expectSameRun(pair, rule, { funding: { y, x } }, { funding: [y, x] });
      expect(b.metrics.funding).not.toBe(0);
      const t = b.trades.find((tr) => tr.funding !== 0);
      expect(t && t.legFunding[0] + t.legFunding[1]).toBe(t?.funding);
    }
  });

  it('fills at recorded quotes, leg by leg', () => {
    const quotes = (open: Float64Array, close: Float64Array): LegQuotes => {
      const n = pair.time.length;
      const time = new Float64Array(2 * n);
      const bid = new Float64Array(2 * n);
      const ask = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        for (const [k, at, p] of [[2 * i, pair.time[i], open[i]], [2 * i + 1, pair.time[i] + 59_000, close[i]]] as const) {
          time[k] = at;
          bid[k] = p * (1 - 1e-4);
          ask[k] = p * (1 + 1e-4);
        }
      }
      return { time, bid, ask };
    };
    const y = quotes(pair.yOpen, pair.yClose);
    const x = quotes(pair.xOpen, pair.xClose);
    const b = expectSameRun(pair, rule, { quotes: { y, x } }, { quotes: { legs: [y, x] } });
    expect(b.costUsage.quotedFills).toBeGreaterThan(0);
    expect(b.metrics.spreadCost).toBeGreaterThan(0);
  });

  it('trained EG weights equal the pair with that fixed hedge once the z window after training is full', () => {
    const train = 500;
    const fit = egWeights([pair.yClose, pair.xClose], 0, train);
    const start = train + rule.window - 2;
    const p = backtestPair(pair, { ...rule, hedge: { kind: 'fixed', beta: -fit.weights[1], intercept: fit.intercept } }, { start });
    const b = backtestBasket(asBasket(pair), { ...rule, weights: { kind: 'train', method: 'eg', bars: train } }, { start });
    expect(Number.isNaN(b.signals.z[start - 1])).toBe(true);
    expect(Array.from(b.equity)).toEqual(Array.from(p.equity));
    expect(b.metrics.trades).toBe(p.metrics.trades);
  });
});

/** Three legs: A, B random walks, C ≈ A + B + AR(1) noise; opens near the previous close. */
function threeLegs(n: number, seed: number): AlignedBasket {
  const r = rng(seed);
  const g = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const close = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  let a = 100;
  let b = 60;
  let e = 0;
  for (let t = 0; t < n; t++) {
    a += 0.3 * g();
    b += 0.2 * g();
    e = 0.85 * e + 0.4 * g();
    close[0][t] = a + b + e;
    close[1][t] = a;
    close[2][t] = b;
  }
  const open = close.map((c) => c.map((v, t) => (t ? c[t - 1] : v) * (1 + 1e-4 * g())));
  const time = Float64Array.from({ length: n }, (_, t) => 1_700_000_000_000 + t * 60_000);
  return alignBasket({ time, open, close, symbols: ['C', 'A', 'B'] });
}

describe('three-leg basket', () => {
  const basket = threeLegs(2500, 3);
  const strategy: BasketStrategy = { ...rule, weights: { kind: 'rolling', method: 'johansen', window: 400, every: 50 } };

  it('fills every leg at its own open with slippage, and charges fees leg by leg', () => {
    const execution: Partial<ExecutionSettings> = { slippageBps: 3, takerFeeBps: 5, sizing: 'hedgeUnits' };
    const res = backtestBasket(basket, strategy, { execution });
    expect(res.metrics.trades).toBeGreaterThan(5);
    for (const t of res.trades.slice(0, 5)) {
      t.qty.forEach((q, i) => {
        const side = Math.sign(q);
        expect(t.entryPrice[i]).toBeCloseTo(basket.open[i][t.entryBar] * (1 + side * 3e-4), 9);
        expect(t.exitPrice[i]).toBeCloseTo(basket.open[i][t.exitBar] * (1 - side * 3e-4), 9);
        expect(t.legFees[i]).toBeCloseTo(Math.abs(q) * (t.entryPrice[i] + t.exitPrice[i]) * 5e-4, 9);
        // hedge units: |q_i| = |w_i| × notional / price of leg 1
        expect(Math.abs(q)).toBeCloseTo(Math.abs(t.weights[i]) * 5000 / basket.open[0][t.entryBar], 9);
      });
      expect(t.fees).toBeCloseTo(t.legFees.reduce((s, f) => s + f, 0), 9);
      const pricePnl = t.qty.reduce((s, q, i) => s + q * (t.exitPrice[i] - t.entryPrice[i]), 0);
      expect(t.pnl).toBeCloseTo(pricePnl - t.fees + t.funding, 9);
    }
    expect(res.metrics.feesPaid).toBeCloseTo(res.trades.reduce((s, t) => s + t.fees, 0), 6);
    expect(res.equity[res.equity.length - 1] - 10_000).toBeCloseTo(res.trades.reduce((s, t) => s + t.pnl, 0), 6);
  });

  it('funds each leg on its own position: −qty × mark × rate per event', () => {
    const first = backtestBasket(basket, strategy).trades[0];
    const bar = first.entryBar + 1;
    const funding = [undefined, undefined, { time: Float64Array.of(basket.time[bar] - 5), rate: Float64Array.of(2e-4), markPrice: Float64Array.of(61) }];
    const t = backtestBasket(basket, strategy, { funding }).trades[0];
    expect(t.legFunding[0]).toBe(0);
    expect(t.legFunding[1]).toBe(0);
    expect(t.legFunding[2]).toBe(-t.qty[2] * 61 * 2e-4);
    expect(t.funding).toBe(t.legFunding[2]);
  });

  it('uses no future bar: changing bars after t leaves equity and position up to t unchanged', () => {
    const cut = 1800;
    const a = backtestBasket(basket, strategy);
    const moved = alignBasket({
      time: basket.time,
      open: basket.open.map((c) => c.map((v, t) => (t > cut ? v * 1.3 : v))),
      close: basket.close.map((c, i) => c.map((v, t) => (t > cut ? v * (1.3 + i / 10) : v))),
      symbols: basket.symbols,
    });
    const b = backtestBasket(moved, strategy);
    expect(Array.from(b.position.subarray(0, cut))).toEqual(Array.from(a.position.subarray(0, cut)));
    expect(Array.from(b.equity.subarray(0, cut))).toEqual(Array.from(a.equity.subarray(0, cut)));
    expect(Array.from(b.equity.subarray(cut + 2))).not.toEqual(Array.from(a.equity.subarray(cut + 2)));
  });

  it('refuses unusable baskets and weights with what to do', () => {
    expect(() => backtestBasket(basket, { ...rule, weights: { kind: 'fixed', weights: [1, -1] } })).toThrow(/one weight per leg/);
    expect(() => backtestBasket(basket, { ...rule, weights: { kind: 'fixed', weights: [2, -1, -1] } })).toThrow(/must be 1/);
    expect(() => alignBasket({ time: basket.time, open: [basket.open[0]], close: [basket.close[0]] })).toThrow(/2 to 6 legs/);
    expect(() => alignBasket({ time: basket.time, open: basket.open, close: [basket.close[0], basket.close[1], basket.close[2].subarray(1)] })).toThrow(/one bar grid/);
    expect(() => backtestBasket(basket, { ...rule, weights: { kind: 'rolling', method: 'eg', window: 5000 } })).toThrow(/weight window/);
  });
});
