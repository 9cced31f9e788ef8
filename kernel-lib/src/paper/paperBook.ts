// Starting or resuming a pair view's paper book: the view's hedge and z settings and the panel's strategy and
// execution fields become the book's fixed spec; a journal already in the store is resumed.
import { type PairStrategy, resolveExecution } from '../../../src/backtest';
import type { PaperBookSpec } from '../../../src/paper';
import { checkBookName } from '../../../src/store';
import { type HedgeSettings, executionSettings, hedgeSpec } from '../analysis/backtesting';
import { QUOTE_MAX_AGE_MS } from '../analysis/recordedCosts';
import { seriesLookback } from '../analysis/series';
import type { ResolvedViewOptions } from '../analysis/viewOptions';
import type { ExecutionParams, StrategyParams } from '../protocol';
import { type PaperSource, PaperTrader } from './paperTrader';

/** Options of `view.paperTrade`. */
export interface PaperTradeOptions extends ExecutionParams {
  /** The book's name (its journal `paper/<name>.jsonl`). Default `<Y>-<X>-<timeframe>`. */
  name?: string;
  /** Step every this many ms (default 1,000); 0: only when `step()` is called. */
  everyMs?: number;
  /** A new book decides from the close of the bar holding this time (epoch ms). Default: now on the exchange's clock. */
  startAt?: number;
}


export interface PaperViewInfo {
  y: string;
  x: string;
  options: ResolvedViewOptions;
  timeframeMs: number;
}

export function defaultBookName(v: Pick<PaperViewInfo, 'y' | 'x' | 'options'>): string {
  return `${v.y}-${v.x}-${v.options.timeframe}`;
}

/** The spec of a book started now (`now` on the exchange's clock): it decides from the close of the current bar on. */
export async function newBookSpec(source: PaperSource, v: PaperViewInfo, strategy: StrategyParams, opts: PaperTradeOptions, now: number): Promise<PaperBookSpec> {
  const name = opts.name ?? defaultBookName(v);
  checkBookName(name);
  const barMs = v.timeframeMs;
  const execution = resolveExecution(executionSettings(opts));
  if (execution.fillAt !== 'open') {
    throw new Error(`paper trading fills at the quotes standing when the deciding bar closes (fillAt 'open'); fillAt '${execution.fillAt}' cannot be paper traded`);
  }
  const startAt = Math.floor((opts.startAt ?? now) / barMs) * barMs;
  const o = v.options;
  const historyFrom = startAt - (seriesLookback(o) + o.window + 10) * barMs;
  const h: HedgeSettings = { hedge: o.hedge, hedgeWindow: o.hedgeWindow, hedgeEvery: o.hedgeEvery, hedgeMinBars: o.hedgeMinBars, kalman: o.kalman };
  // the Kalman filter's start is scaled to the first prices the book's signals read
  const first = await source.pairBars({ y: v.y, x: v.x, timeframe: o.timeframe, from: historyFrom, to: startAt + barMs });
  if (first.y.time.length === 0) throw new Error(`no bars of both ${v.y} and ${v.x} since ${new Date(historyFrom).toISOString()}: record the pair before paper trading it`);
  const hedge = hedgeSpec(h, { time: first.y.time, yOpen: first.y.open, yClose: first.y.close, xOpen: first.x.open, xClose: first.x.close, barMs });
  const rule: PairStrategy = {
    entry: strategy.entry, exit: strategy.exit, window: o.window, hedge,
    ...(strategy.stop !== undefined ? { stop: strategy.stop } : {}),
    ...(strategy.maxHoldBars !== undefined ? { maxHoldingBars: strategy.maxHoldBars } : {}),
    ...(strategy.cooldownBars !== undefined ? { cooldownBars: strategy.cooldownBars } : {}),
  };
  return {
    name, y: v.y, x: v.x, timeframe: o.timeframe, barMs, strategy: rule, execution, quoteMaxAgeMs: QUOTE_MAX_AGE_MS,
    historyFrom: first.y.time[0], startAt, createdAt: now,
  };
}

/** The settings a resumed book must share with the request: thresholds, z window and execution. */
function ruleOf(strategy: StrategyParams, opts: PaperTradeOptions, v: PaperViewInfo): Record<string, unknown> {
  const execution = resolveExecution(executionSettings(opts));
  return {
    entry: strategy.entry, exit: strategy.exit, stop: strategy.stop, maxHoldingBars: strategy.maxHoldBars, cooldownBars: strategy.cooldownBars,
    window: v.options.window, notionalPerLeg: execution.notionalPerLeg, takerFeeBps: execution.takerFeeBps, slippageBps: execution.slippageBps,
    sizing: execution.sizing, capital: execution.capital,
  };
}

/** Starts the view's paper book, or resumes it (same name: its journal's settings win over these, which must agree). */
export async function openPaperBook(source: PaperSource, dataDir: string, v: PaperViewInfo, strategy: StrategyParams, opts: PaperTradeOptions, now: number): Promise<PaperTrader> {
  const name = opts.name ?? defaultBookName(v);
  const trader = await PaperTrader.open(source, dataDir, name).catch(async (err: Error) => {
    if (!/there is no paper book/.test(err.message)) throw err;
    return PaperTrader.open(source, dataDir, name, await newBookSpec(source, v, strategy, opts, now));
  });
  const held = trader.spec;
  const wanted = ruleOf(strategy, opts, v);
  const differs = Object.entries(wanted).filter(([k, value]) => JSON.stringify(value) !== JSON.stringify(k in held.strategy ? held.strategy[k as keyof PairStrategy] : (held.execution as unknown as Record<string, unknown>)[k]));
  if (differs.length) {
    await trader.close();
    throw new Error(`paper book "${name}" already runs with other settings (${differs.map(([k]) => k).join(', ')}); resume it with its own settings, stop it, or give a new name`);
  }
  if (opts.everyMs !== 0) trader.follow(opts.everyMs ?? 1_000);
  return trader;
}
