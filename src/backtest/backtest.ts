/** One backtest of the mean-reversion rule on precomputed per-bar hedge ratios and z-scores. */
import { simulate, type SimulationInput, type SimulationRange } from './engine';
import { fundingPerBar } from './funding';
import { validateQuotes } from './quoteFills';
import { pricedFundingPerBar } from './recordedFunding';
import { equityReturns, metricsFromSummary } from './metrics';
import { resolveExecution } from './settings';
import type { AlignedPair, BacktestResult, ExecutionSettings, FundingSettings, PairInput, QuoteSettings, StrategyParams, Trade } from './types';
import { BacktestSettingsError, alignPair, validateStrategy } from './validate';

/** Per-bar inputs of the rule, each value known at that bar's close (NaN = not yet known). */
export interface SignalArrays {
  hedgeRatio: Float64Array;
  z: Float64Array;
}

export interface BacktestOptions {
  execution?: Partial<ExecutionSettings>;
  /** Funding events per leg; with mark prices (recorded events) each is charged on quantity × its mark price. */
  funding?: FundingSettings;
  /** Quotes per leg to fill at (buy at the ask, sell at the bid) instead of bar prices with slippage. */
  quotes?: QuoteSettings;
  /** Simulate bars [start, end) only, starting flat; the signals may use the bars before `start` (they only look back). */
  start?: number;
  end?: number;
}

export function isAligned(pair: PairInput | AlignedPair): pair is AlignedPair {
  return 'yOpen' in pair;
}

export function toAligned(pair: PairInput | AlignedPair): AlignedPair {
  return isAligned(pair) ? pair : alignPair(pair);
}

export function resolveRange(n: number, start = 0, end = n): SimulationRange {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= n && end - start >= 2)) {
    throw new BacktestSettingsError(`range [${start}, ${end}) is not a run of at least 2 bars inside the ${n} bars of data`);
  }
  return { start, end };
}

export function checkSignals(signals: SignalArrays, n: number): void {
  for (const key of ['hedgeRatio', 'z'] as const) {
    if (signals[key].length !== n) {
      throw new BacktestSettingsError(`signals.${key} has ${signals[key].length} values but the pair has ${n} bars: compute the signals on the same bars`);
    }
  }
}

/**
 * The simulation input for a pair and its signals, with funding placed on the bar grid: as rates charged at the bar's
 * open, or, when either leg's events carry mark prices, as quote currency per unit priced at each event's mark.
 */
export function simulationInput(pair: AlignedPair, signals: SignalArrays, funding: FundingSettings = {}, quotes: QuoteSettings = {}): SimulationInput {
  checkSignals(signals, pair.time.length);
  if (quotes.y) validateQuotes(quotes.y, 'y');
  if (quotes.x) validateQuotes(quotes.x, 'x');
  if (quotes.maxAgeMs !== undefined && !(quotes.maxAgeMs >= 0)) {
    throw new BacktestSettingsError(`quotes.maxAgeMs is ${quotes.maxAgeMs}: give a number of milliseconds ≥ 0, or leave it out to use quotes of any age`);
  }
  const quoteInput = { quotesY: quotes.y ?? null, quotesX: quotes.x ?? null, quoteMaxAgeMs: quotes.maxAgeMs };
  const signalInput = { pair, hedgeRatio: signals.hedgeRatio, z: signals.z, ...quoteInput };
  if (funding.y?.markPrice === undefined && funding.x?.markPrice === undefined) {
    return { ...signalInput, fundingY: fundingPerBar(pair.time, funding.y, 'y'), fundingX: fundingPerBar(pair.time, funding.x, 'x') };
  }
  const y = pricedFundingPerBar(pair.time, pair.yOpen, funding.y, 'y');
  const x = pricedFundingPerBar(pair.time, pair.xOpen, funding.x, 'x');
  return {
    ...signalInput, fundingY: y?.perUnit ?? null, fundingX: x?.perUnit ?? null, fundingPriced: true,
    fundingWithoutMark: (y?.withoutMark ?? 0) + (x?.withoutMark ?? 0),
  };
}

export function runBacktest(pairInput: PairInput | AlignedPair, signals: SignalArrays, params: StrategyParams, options: BacktestOptions = {}): BacktestResult {
  const pair = toAligned(pairInput);
  validateStrategy(params);
  const exec = resolveExecution(options.execution);
  const range = resolveRange(pair.time.length, options.start, options.end);
  const out = simulate(simulationInput(pair, signals, options.funding, options.quotes), params, exec, { range });
  const time = pair.time.subarray(range.start, range.end);
  const metrics = metricsFromSummary(out.curve, {
    capital: exec.capital,
    barMs: pair.barMs,
    trades: out.tradeStats,
    zPnl: out.zPnl,
    tradedNotional: out.tradedNotional,
    exposedBars: out.exposedBars,
  });
  // per-bar returns and trade records are built on first use: many callers read only the metrics and equity
  let returns: Float64Array | null = null;
  let trades: Trade[] | null = null;
  return {
    time,
    equity: out.equity,
    get returns(): Float64Array {
      returns ??= equityReturns(out.equity, exec.capital);
      return returns;
    },
    position: out.position,
    get trades(): Trade[] {
      trades ??= out.log?.toTrades(pair.time) ?? [];
      return trades;
    },
    metrics,
    costUsage: out.costUsage,
  };
}
