/**
 * The walk-forward strategy as one curve: each fold's test block traded with the point chosen on its
 * training block, the blocks chained so every block starts from the equity the previous one ended with.
 */
import { runBacktest, toAligned } from './backtest';
import type { Fold } from './folds';
import type { GridOptions, GridPoint, GridSpec } from './grid';
import { computeMetrics } from './metrics';
import { resolveExecution } from './settings';
import { computeSignals, hedgeLabel } from './signals';
import { tradeStats } from './tradeStats';
import type { AlignedPair, BacktestResult, Metrics, PairInput, Trade } from './types';

export interface StitchedCurve {
  time: Float64Array;
  /** Quote currency, starting from `capital`. */
  equity: Float64Array;
  /** Trades of every test block, in each block's own capital base (P&L not rescaled). */
  trades: Trade[];
  metrics: Metrics;
}

/** One grid point backtested on one range of bars (its signals still look back before the range). */
export function runPoint(pair: AlignedPair, spec: GridSpec, point: GridPoint, range: { start: number; end: number }, options: GridOptions = {}): BacktestResult {
  const hedge = spec.hedge.find((h) => hedgeLabel(h) === point.hedge);
  if (!hedge) throw new Error(`internal: hedge ${point.hedge} is not in the grid`);
  const signals = computeSignals(pair, hedge, point.window, spec.scale);
  const params = { entry: point.entry, exit: point.exit, stop: point.stop ?? undefined, maxHoldingBars: spec.maxHoldingBars, maxHoldingMs: spec.maxHoldingMs, cooldownBars: spec.cooldownBars };
  return runBacktest(pair, signals, params, { execution: options.execution, funding: options.funding, start: range.start, end: range.end });
}

/** Null when the test blocks overlap or are out of order (then there is no single curve). */
export function stitchOutOfSample(pairInput: PairInput | AlignedPair, spec: GridSpec, folds: readonly Fold[], points: readonly GridPoint[], options: GridOptions = {}): StitchedCurve | null {
  for (let i = 1; i < folds.length; i++) if (folds[i].test.start < folds[i - 1].test.end) return null;
  const pair = toAligned(pairInput);
  const exec = resolveExecution(options.execution);
  const total = folds.reduce((a, f) => a + f.test.end - f.test.start, 0);
  const time = new Float64Array(total);
  const equity = new Float64Array(total);
  const trades: Trade[] = [];
  let at = 0;
  let growth = 1;
  let zPnl = 0;
  let traded = 0;
  let exposed = 0;
  folds.forEach((fold, f) => {
    const r = runPoint(pair, spec, points[f], fold.test, options);
    time.set(r.time, at);
    for (let i = 0; i < r.equity.length; i++) equity[at + i] = r.equity[i] * growth;
    at += r.equity.length;
    growth *= r.metrics.finalEquity / exec.capital;
    trades.push(...r.trades);
    zPnl += r.metrics.zPnl;
    traded += r.metrics.tradedNotional;
    exposed += r.metrics.exposure * r.equity.length;
  });
  const metrics = computeMetrics({ equity, time, capital: exec.capital, barMs: pair.barMs, trades: tradeStats(trades), zPnl, tradedNotional: traded, exposedBars: Math.round(exposed) });
  return { time, equity, trades, metrics };
}
