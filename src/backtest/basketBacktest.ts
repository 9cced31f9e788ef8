/** Signals of a basket (weights known at each bar, spread, z) and one backtest of the mean-reversion rule on them. */
import { type BasketFitOptions, basketSpread, checkBasketLegs, rollingBasketWeights, trainedBasketWeights, type BasketWeightSeries } from '../analytics';
import { resolveRange } from './backtest';
import { type LegFunding, simulateBasket } from './basketEngine';
import type { AlignedBasket, BasketBacktestOptions, BasketBacktestResult, BasketBars, BasketSignals, BasketStrategy, BasketWeightSpec } from './basketTypes';
import type { StrategyParams } from './types';
import { costsOf } from './fills';
import { fundingPerBar } from './funding';
import { computeMetrics, equityReturns } from './metrics';
import { validateQuotes } from './quoteFills';
import { pricedFundingPerBar } from './recordedFunding';
import { resolveExecution } from './settings';
import { zScore } from './signals';
import { BacktestSettingsError, checkPrices, medianSpacing, validateStrategy, validateWindow } from './validate';

function fail(message: string): never {
  throw new BacktestSettingsError(message);
}

/** Checks that every leg has one price per bar of a strictly increasing time axis, finite and positive. */
export function alignBasket(bars: BasketBars): AlignedBasket {
  const m = bars.open.length;
  if (m < 2 || m > 6) fail(`a basket has 2 to 6 legs, got ${m}: give one open and one close column per leg`);
  if (bars.close.length !== m) fail(`${m} open columns but ${bars.close.length} close columns: give one of each per leg`);
  const symbols = bars.symbols ?? Array.from({ length: m }, (_, i) => `leg ${i + 1}`);
  if (symbols.length !== m) fail(`${symbols.length} symbols for ${m} legs: give one name per leg`);
  const n = bars.time.length;
  if (n < 2) fail(`the basket has ${n} bars: a backtest needs at least 2`);
  for (let i = 0; i < m; i++) {
    for (const [kind, col] of [['open', bars.open[i]], ['close', bars.close[i]]] as const) {
      if (col.length !== n) fail(`${symbols[i]} ${kind} has ${col.length} values but time has ${n}: put every leg on one bar grid first`);
      checkPrices(col, `${symbols[i]}.${kind}`);
    }
  }
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(bars.time[t])) fail(`time[${t}] is ${bars.time[t]}: times must be finite epoch ms`);
    if (t > 0 && !(bars.time[t] > bars.time[t - 1])) fail(`time[${t}] = ${bars.time[t]} is not after time[${t - 1}]: bars must be in strictly increasing time order without duplicates`);
  }
  return { time: bars.time, open: bars.open, close: bars.close, symbols, barMs: medianSpacing(bars.time) };
}

function weightSeries(basket: AlignedBasket, spec: BasketWeightSpec, fit: BasketFitOptions): BasketWeightSeries {
  const n = basket.time.length;
  const m = basket.close.length;
  switch (spec.kind) {
    case 'fixed': {
      if (spec.weights.length !== m) fail(`${spec.weights.length} fixed weights for ${m} legs: give one weight per leg`);
      if (!spec.weights.every(Number.isFinite) || !Number.isFinite(spec.intercept ?? 0)) fail('fixed weights and intercept must be finite numbers');
      if (spec.weights[0] !== 1) fail(`leg 1's weight is ${spec.weights[0]}, it must be 1: divide every weight (and the intercept) by it`);
      return { weights: spec.weights.map((w) => new Float64Array(n).fill(w)), intercept: new Float64Array(n).fill(spec.intercept ?? 0) };
    }
    case 'train':
      return trainedBasketWeights(spec.method, basket.close, spec.bars, fit);
    case 'rolling':
      return rollingBasketWeights(spec.method, basket.close, spec.window, spec.every, fit);
    default:
      return fail(`weights.kind must be 'fixed', 'train' or 'rolling', got "${String((spec as { kind: unknown }).kind)}"`);
  }
}

/** Weights, spread and rolling z of a basket, each value from closes up to and including its bar. */
export function basketSignals(basket: AlignedBasket, spec: BasketWeightSpec, window: number, fit: BasketFitOptions = {}): BasketSignals {
  validateWindow(window, basket.time.length);
  checkBasketLegs(basket.close, basket.symbols);
  const w = weightSeries(basket, spec, fit);
  const spread = basketSpread(basket.close, w.weights, w.intercept);
  return { weights: w.weights, intercept: w.intercept, spread, z: zScore(spread, window) };
}

function legFunding(basket: AlignedBasket, options: BasketBacktestOptions): { funding: Array<LegFunding | null>; withoutMark: number } {
  const given = options.funding ?? [];
  if (given.length > basket.open.length) fail(`funding for ${given.length} legs but the basket has ${basket.open.length}: give at most one entry per leg`);
  let withoutMark = 0;
  const funding = basket.open.map((open, i): LegFunding | null => {
    const rates = given[i];
    if (rates?.markPrice === undefined) {
      const perBar = fundingPerBar(basket.time, rates, basket.symbols[i]);
      return perBar && { perBar, priced: false };
    }
    const priced = pricedFundingPerBar(basket.time, open, rates, basket.symbols[i]);
    withoutMark += priced?.withoutMark ?? 0;
    return priced && { perBar: priced.perUnit, priced: true };
  });
  return { funding, withoutMark };
}

export function toAlignedBasket(bars: BasketBars | AlignedBasket): AlignedBasket {
  return 'barMs' in bars ? bars : alignBasket(bars);
}

/** Backtests the mean-reversion rule on the basket's z, every leg filled, charged and funded on its own. */
export function backtestBasket(bars: BasketBars | AlignedBasket, strategy: BasketStrategy, options: BasketBacktestOptions = {}): BasketBacktestResult {
  const basket = toAlignedBasket(bars);
  validateStrategy(strategy);
  return runBasketBacktest(basket, basketSignals(basket, strategy.weights, strategy.window, strategy.fit), strategy, options);
}

/** One backtest of the rule on signals already computed for the basket (e.g. reused across several runs). */
export function runBasketBacktest(basket: AlignedBasket, signals: BasketSignals, strategy: StrategyParams, options: BasketBacktestOptions = {}): BasketBacktestResult {
  const exec = resolveExecution(options.execution);
  const range = resolveRange(basket.time.length, options.start, options.end);
  const quotes = options.quotes?.legs ?? [];
  quotes.forEach((q, i) => q && validateQuotes(q, basket.symbols[i] ?? `leg ${i + 1}`));
  const maxAgeMs = options.quotes?.maxAgeMs ?? Infinity;
  if (!(maxAgeMs >= 0)) fail(`quotes.maxAgeMs is ${maxAgeMs}: give a number of milliseconds ≥ 0, or leave it out to use quotes of any age`);
  const { funding, withoutMark } = legFunding(basket, options);
  const out = simulateBasket(
    { basket, weights: signals.weights, z: signals.z, funding, quotes: basket.open.map((_, i) => quotes[i]), quoteMaxAgeMs: maxAgeMs, fundingWithoutMark: withoutMark },
    strategy, costsOf(exec), exec.fillAt === 'open', exec.capital, range.start, range.end,
  );
  const time = basket.time.subarray(range.start, range.end);
  const metrics = computeMetrics({
    equity: out.equity, time, capital: exec.capital, barMs: basket.barMs, trades: out.tradeStats,
    zPnl: out.zPnl, tradedNotional: out.tradedNotional, exposedBars: out.exposedBars,
  });
  return {
    time, equity: out.equity, returns: equityReturns(out.equity, exec.capital), position: out.position,
    trades: out.trades, metrics, costUsage: out.costUsage, signals,
  };
}
