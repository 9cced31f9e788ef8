// An independent, deliberately plain implementation of the rules, compared with the engine.
import { describe, expect, it } from 'vitest';
import { backtestPair } from '../../src/backtest/backtestPair';
import { computeMetrics } from '../../src/backtest/metrics';
import { tradeStats } from '../../src/backtest/tradeStats';
import type { AlignedPair, ExecutionSettings, FundingRates } from '../../src/backtest/types';
import { rng, syntheticPair } from './helpers';

interface RefTrade {
  side: 'long' | 'short';
  entryBar: number;
  exitBar: number;
  qtyY: number;
  qtyX: number;
  entryPriceY: number;
  entryPriceX: number;
  exitPriceY: number;
  exitPriceX: number;
  fees: number;
  funding: number;
  pnl: number;
  exitReason: string;
}

/** Rolling OLS (y on x with intercept) over the last `w` closes, then the rolling z of the spread over `zw` bars. */
function naiveSignals(pair: AlignedPair, w: number, zw: number): { beta: number[]; z: number[] } {
  const n = pair.time.length;
  const beta: number[] = [];
  const spread: number[] = [];
  for (let t = 0; t < n; t++) {
    if (t < w - 1) {
      beta.push(NaN);
      spread.push(NaN);
      continue;
    }
    const ys = Array.from(pair.yClose.slice(t - w + 1, t + 1));
    const xs = Array.from(pair.xClose.slice(t - w + 1, t + 1));
    const my = ys.reduce((a, b) => a + b) / w;
    const mx = xs.reduce((a, b) => a + b) / w;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < w; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
    }
    const b = sxy / sxx;
    beta.push(b);
    spread.push(pair.yClose[t] - (my - b * mx) - b * pair.xClose[t]);
  }
  const z = spread.map((s, t) => {
    if (t < zw - 1) return NaN;
    const win = spread.slice(t - zw + 1, t + 1);
    if (win.some(Number.isNaN)) return NaN;
    const m = win.reduce((a, b) => a + b) / zw;
    const sd = Math.sqrt(win.reduce((a, b) => a + (b - m) ** 2, 0) / (zw - 1));
    return (s - m) / sd;
  });
  return { beta, z };
}

interface RefParams {
  entry: number;
  exit: number;
  stop: number;
  maxHold: number;
  cooldown: number;
}

function referenceBacktest(pair: AlignedPair, beta: number[], z: number[], p: RefParams, ex: ExecutionSettings, fy: FundingRates, fx: FundingRates) {
  const n = pair.time.length;
  const fee = ex.takerFeeBps / 10_000;
  const slip = ex.slippageBps / 10_000;
  const trades: RefTrade[] = [];
  const equity: number[] = [];
  let realised = 0;
  let pos: (RefTrade & { decidedAt: number }) | null = null;
  let order: { kind: 'enter'; side: 1 | -1; beta: number; decidedAt: number } | { kind: 'exit'; reason: string } | null = null;
  let noEntryBefore = 0;
  const fundingDue = (f: FundingRates, t: number) => {
    let rate = 0;
    for (let k = 0; k < f.time.length; k++) {
      const after = t === 0 ? true : f.time[k] > pair.time[t - 1];
      if (after && f.time[k] <= pair.time[t]) rate += f.rate[k];
    }
    return rate;
  };
  const close = (t: number, priceY: number, priceX: number, reason: string) => {
    const trade = pos!;
    trade.exitBar = t;
    trade.exitPriceY = trade.qtyY > 0 ? priceY * (1 - slip) : priceY * (1 + slip);
    trade.exitPriceX = trade.qtyX > 0 ? priceX * (1 - slip) : priceX * (1 + slip);
    const exitFee = (Math.abs(trade.qtyY) * trade.exitPriceY + Math.abs(trade.qtyX) * trade.exitPriceX) * fee;
    trade.fees += exitFee;
    const pricePnl = trade.qtyY * (trade.exitPriceY - trade.entryPriceY) + trade.qtyX * (trade.exitPriceX - trade.entryPriceX);
    trade.pnl = pricePnl - trade.fees + trade.funding;
    realised += pricePnl - exitFee;
    trade.exitReason = reason;
    const { decidedAt: _, ...rest } = trade;
    trades.push(rest);
    pos = null;
  };
  for (let t = 0; t < n; t++) {
    if (pos) {
      const paid = pos.qtyY * pair.yOpen[t] * fundingDue(fy, t) + pos.qtyX * pair.xOpen[t] * fundingDue(fx, t);
      pos.funding -= paid;
      realised -= paid;
    }
    const pY = ex.fillAt === 'open' ? pair.yOpen[t] : pair.yClose[t];
    const pX = ex.fillAt === 'open' ? pair.xOpen[t] : pair.xClose[t];
    if (order?.kind === 'enter') {
      const qtyY = (order.side * ex.notionalPerLeg) / pY;
      const qtyX =
        ex.sizing === 'dollarNeutral'
          ? (-order.side * ex.notionalPerLeg) / pX
          : ex.sizing === 'hedgeUnits'
            ? -order.side * order.beta * Math.abs(qtyY)
            : (-order.side * order.beta * ex.notionalPerLeg) / pX;
      const entryPriceY = pY * (1 + Math.sign(qtyY) * slip);
      const entryPriceX = pX * (1 + Math.sign(qtyX) * slip);
      const entryFee = (Math.abs(qtyY) * entryPriceY + Math.abs(qtyX) * entryPriceX) * fee;
      realised -= entryFee;
      pos = { side: order.side === 1 ? 'long' : 'short', entryBar: t, exitBar: -1, qtyY, qtyX, entryPriceY, entryPriceX, exitPriceY: 0, exitPriceX: 0, fees: entryFee, funding: 0, pnl: 0, exitReason: '', decidedAt: order.decidedAt };
    } else if (order?.kind === 'exit') close(t, pY, pX, order.reason);
    order = null;
    if (t === n - 1 && pos) close(t, pair.yClose[t], pair.xClose[t], 'end');
    const open = pos as RefTrade | null;
    equity.push(ex.capital + realised + (open ? open.qtyY * (pair.yClose[t] - open.entryPriceY) + open.qtyX * (pair.xClose[t] - open.entryPriceX) : 0));
    if (t >= n - 1) break;
    if (!pos) {
      const canEnter = t >= noEntryBefore && t + 1 < n - 1 && !Number.isNaN(beta[t]);
      if (canEnter && z[t] > p.entry && z[t] < p.stop) order = { kind: 'enter', side: -1, beta: beta[t], decidedAt: t };
      if (canEnter && z[t] < -p.entry && z[t] > -p.stop) order = { kind: 'enter', side: 1, beta: beta[t], decidedAt: t };
    } else {
      const long = pos.side === 'long';
      if ((long && z[t] > -p.exit) || (!long && z[t] < p.exit)) order = { kind: 'exit', reason: 'exit' };
      else if ((long && z[t] < -p.stop) || (!long && z[t] > p.stop)) {
        order = { kind: 'exit', reason: 'stop' };
        noEntryBefore = t + 1 + p.cooldown;
      } else if (t - pos.decidedAt >= p.maxHold) order = { kind: 'exit', reason: 'maxHolding' };
    }
  }
  return { trades, equity };
}

describe('cross-check against a plain reference loop', () => {
  const pair = syntheticPair(3000, 11);
  const fundingTimes = pair.time.filter((_, i) => i % 480 === 17).map((t) => t - 30_000);
  const fy: FundingRates = { time: fundingTimes, rate: fundingTimes.map((_, i) => 1e-4 * (1 + (i % 3))) };
  const fx: FundingRates = { time: fundingTimes.slice(), rate: fundingTimes.map((_, i) => -5e-5 * (i % 2)) };
  const params: RefParams = { entry: 1.8, exit: 0.2, stop: 3, maxHold: 12, cooldown: 10 };

  for (const fillAt of ['open', 'close'] as const) {
    it(`gives the same trades and equity curve (fills at ${fillAt})`, () => {
      const execution: ExecutionSettings = { fillAt, sizing: 'hedgeUnits', notionalPerLeg: 4000, capital: 10_000, makerFeeBps: 2, takerFeeBps: 5, liquidity: 'taker', slippageBps: 1.5 };
      const engine = backtestPair(
        pair,
        { entry: params.entry, exit: params.exit, stop: params.stop, maxHoldingBars: params.maxHold, cooldownBars: params.cooldown, window: 30, hedge: { kind: 'rolling', estimator: 'ols', window: 50 } },
        { execution, funding: { y: fy, x: fx } },
      );
      const naive = naiveSignals(pair, 50, 30);
      naive.z.forEach((v, i) => (Number.isNaN(v) ? expect(engine.signals.z[i]).toBeNaN() : expect(engine.signals.z[i]).toBeCloseTo(v, 8)));
      const ref = referenceBacktest(pair, naive.beta, naive.z, params, execution, fy, fx);

      expect(ref.trades.length).toBeGreaterThan(20);
      const reasons = new Set(ref.trades.map((t) => t.exitReason));
      expect([...reasons].sort()).toEqual(['exit', 'maxHolding', 'stop']);
      expect(ref.trades.some((t) => t.funding !== 0)).toBe(true);

      expect(engine.trades.length).toBe(ref.trades.length);
      ref.trades.forEach((r, i) => {
        const e = engine.trades[i];
        expect([e.side, e.entryBar, e.exitBar, e.exitReason]).toEqual([r.side, r.entryBar, r.exitBar, r.exitReason]);
        for (const key of ['qtyY', 'qtyX', 'entryPriceY', 'entryPriceX', 'exitPriceY', 'exitPriceX', 'fees', 'funding', 'pnl'] as const) {
          expect(e[key]).toBeCloseTo(r[key], 6);
        }
      });
      expect(engine.equity.length).toBe(ref.equity.length);
      ref.equity.forEach((v, i) => expect(engine.equity[i]).toBeCloseTo(v, 6));

      // the statistics gathered while simulating (flat stretches skipped) equal a full pass over the curve
      const full = computeMetrics({
        equity: engine.equity, time: pair.time, capital: execution.capital, barMs: pair.barMs, trades: tradeStats(engine.trades),
        zPnl: engine.metrics.zPnl, tradedNotional: engine.metrics.tradedNotional, exposedBars: engine.metrics.exposure * pair.time.length,
      });
      for (const [key, value] of Object.entries(full)) expect(engine.metrics[key as keyof typeof full], key).toBeCloseTo(value, 9);
      expect(engine.metrics.maxDrawdownBars).toBeGreaterThan(0);
    });
  }

  it('agrees on random parameter sets, sizings and fill modes', () => {
    const r = rng(99);
    const naive = naiveSignals(pair, 50, 30);
    const sizings = ['dollarNeutral', 'hedgeUnits', 'hedgeNotional'] as const;
    let compared = 0;
    for (let trial = 0; trial < 12; trial++) {
      const entry = 1 + 2 * r();
      const p: RefParams = { entry, exit: entry * r() * 0.9, stop: entry + 0.2 + 2 * r(), maxHold: 5 + Math.floor(80 * r()), cooldown: Math.floor(20 * r()) };
      const execution: ExecutionSettings = {
        fillAt: r() < 0.5 ? 'open' : 'close', sizing: sizings[trial % 3], notionalPerLeg: 1000 + 9000 * r(), capital: 20_000,
        makerFeeBps: 2, takerFeeBps: 10 * r(), liquidity: 'taker', slippageBps: 5 * r(),
      };
      const engine = backtestPair(
        pair,
        { entry: p.entry, exit: p.exit, stop: p.stop, maxHoldingBars: p.maxHold, cooldownBars: p.cooldown, window: 30, hedge: { kind: 'rolling', estimator: 'ols', window: 50 } },
        { execution, funding: { y: fy, x: fx } },
      );
      const ref = referenceBacktest(pair, naive.beta, naive.z, p, execution, fy, fx);
      expect(engine.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason])).toEqual(ref.trades.map((t) => [t.entryBar, t.exitBar, t.exitReason]));
      ref.trades.forEach((t, i) => expect(engine.trades[i].pnl).toBeCloseTo(t.pnl, 6));
      compared += ref.trades.length;
      ref.equity.forEach((v, i) => expect(engine.equity[i]).toBeCloseTo(v, 6));
    }
    expect(compared).toBeGreaterThan(100);
  });
});
