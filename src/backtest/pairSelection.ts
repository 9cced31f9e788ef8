/**
 * Walk-forward pair selection: on each fold's training bars rank the candidate pairs by Engle-Granger cointegration
 * and its stability, keep the best few, and trade them as one portfolio on the fold's test bars. Only training bars
 * are read to choose; the signals of the traded pairs look back into the training bars, as they would live.
 */
import { coint } from '../analytics';
import type { Allocation } from './allocation';
import { deflatedSharpe, returnMoments } from './deflatedSharpe';
import type { Fold } from './folds';
import { computeMetrics, equityReturns } from './metrics';
import { type PortfolioOptions, type PortfolioPair, type PortfolioResult, backtestPortfolio } from './portfolio';
import { toAligned } from './backtest';
import { resolveExecution } from './settings';
import { tradeStats } from './tradeStats';
import type { Metrics } from './types';
import { BacktestSettingsError } from './validate';

export interface PairSelectionOptions {
  /** How many pairs to keep per fold (fewer when fewer qualify). */
  top: number;
  /** A pair qualifies when its Engle-Granger p-value on the whole training block is below this. Default 0.05. */
  maxPValue?: number;
  /** The training block is cut into this many equal sub-windows; stability = share of them with p below `maxPValue`. Default 4. */
  subWindows?: number;
}

/** One candidate on one training block. */
export interface PairRanking {
  id: string;
  pValue: number;
  /** Share of the sub-windows in which the pair is cointegrated at `maxPValue`. */
  stability: number;
  selected: boolean;
}

export interface FoldSelection {
  fold: Fold;
  /** Every candidate, best first: qualifying pairs by stability (higher first), then p-value (lower first). */
  ranking: PairRanking[];
  /** The fold's portfolio on its test bars, or null when no pair qualified (the block is then flat). */
  portfolio: PortfolioResult | null;
}

export interface PortfolioWalkForwardResult {
  folds: FoldSelection[];
  /** The test blocks chained: each block starts from the equity the previous one ended with. */
  outOfSample: { time: Float64Array; equity: Float64Array; metrics: Metrics };
  /**
   * Deflated Sharpe ratio of the stitched curve's per-bar Sharpe, with trials = the candidates, and the Sharpe spread
   * of the trials measured by trading every candidate alone over the same test bars.
   */
  deflatedSharpe: number;
  trials: number;
}

function candidateId(p: PortfolioPair): string {
  return p.id ?? `${p.y}/${p.x}`;
}

function eg(y: Float64Array, x: Float64Array): number {
  try {
    return coint(y, x).pValue;
  } catch {
    return NaN; // too few bars or a constant leg in this window: not evidence of cointegration
  }
}

/** Ranks the candidates on bars [start, end) only. */
export function rankPairs(candidates: readonly PortfolioPair[], train: { start: number; end: number }, options: PairSelectionOptions): PairRanking[] {
  const maxP = options.maxPValue ?? 0.05;
  const windows = options.subWindows ?? 4;
  if (!(Number.isInteger(options.top) && options.top >= 1)) throw new BacktestSettingsError(`top is ${options.top}: keep a whole number ≥ 1 of pairs per fold`);
  if (!(maxP > 0 && maxP < 1)) throw new BacktestSettingsError(`maxPValue is ${maxP}: give a probability between 0 and 1 (e.g. 0.05)`);
  if (!(Number.isInteger(windows) && windows >= 1)) throw new BacktestSettingsError(`subWindows is ${windows}: give a whole number ≥ 1`);
  const rows = candidates.map((c) => {
    const bars = toAligned(c.bars);
    const log = c.strategy.scale === 'log';
    const slice = (a: Float64Array, s: number, e: number) => (log ? a.subarray(s, e).map(Math.log) : a.subarray(s, e));
    const p = (s: number, e: number) => eg(slice(bars.yClose, s, e), slice(bars.xClose, s, e));
    const pValue = p(train.start, train.end);
    const size = Math.floor((train.end - train.start) / windows);
    let stable = 0;
    for (let w = 0; w < windows; w++) if (p(train.start + w * size, train.start + (w + 1) * size) < maxP) stable++;
    return { id: candidateId(c), pValue, stability: stable / windows, selected: false };
  });
  const qualifies = (r: PairRanking) => r.pValue < maxP;
  const pOrder = (r: PairRanking) => (Number.isNaN(r.pValue) ? Infinity : r.pValue);
  rows.sort((a, b) => Number(qualifies(b)) - Number(qualifies(a)) || b.stability - a.stability || pOrder(a) - pOrder(b));
  rows.filter(qualifies).slice(0, options.top).forEach((r) => (r.selected = true));
  return rows;
}

function perBarSharpe(returns: Float64Array): number {
  let m = 0;
  for (const r of returns) m += r;
  m /= returns.length;
  let v = 0;
  for (const r of returns) v += (r - m) ** 2;
  v /= returns.length - 1;
  return v > 0 ? m / Math.sqrt(v) : NaN;
}

export function walkForwardPortfolio(
  candidates: readonly PortfolioPair[],
  folds: readonly Fold[],
  options: PairSelectionOptions & Omit<PortfolioOptions, 'start' | 'end'> = { top: 1 },
): PortfolioWalkForwardResult {
  if (folds.length === 0) throw new BacktestSettingsError('no folds given: build them with trainTestSplit or walkForwardFolds');
  if (candidates.length === 0) throw new BacktestSettingsError('no candidate pairs given');
  if (options.allocation?.kind === 'fixed') throw new BacktestSettingsError("a fixed allocation names a notional per pair, but the pairs traded change per fold: use 'equal', 'inverseVolatility' or 'kelly'");
  for (let i = 1; i < folds.length; i++) {
    if (folds[i].test.start < folds[i - 1].test.end) throw new BacktestSettingsError(`fold ${i}'s test bars overlap fold ${i - 1}'s: use non-overlapping test blocks (walkForwardFolds makes them)`);
  }
  const exec = resolveExecution(options.execution);
  const time = toAligned(candidates[0].bars).time;
  const total = folds.reduce((a, f) => a + f.test.end - f.test.start, 0);
  const stitchedTime = new Float64Array(total);
  const equity = new Float64Array(total);
  let at = 0;
  let capital = exec.capital;
  const out: FoldSelection[] = folds.map((fold) => {
    const ranking = rankPairs(candidates, fold.train, options);
    const chosen = ranking.filter((r) => r.selected).map((r) => candidates.find((c) => candidateId(c) === r.id) as PortfolioPair);
    const len = fold.test.end - fold.test.start;
    stitchedTime.set(time.subarray(fold.test.start, fold.test.end), at);
    let portfolio: PortfolioResult | null = null;
    if (chosen.length === 0) equity.fill(capital, at, at + len);
    else {
      portfolio = backtestPortfolio(chosen, { ...options, allocation: foldAllocation(options.allocation, fold), execution: { ...exec, capital }, start: fold.test.start, end: fold.test.end });
      equity.set(portfolio.equity, at);
      capital = portfolio.metrics.finalEquity;
    }
    at += len;
    return { fold, ranking, portfolio };
  });
  const trades = out.flatMap((f) => f.portfolio?.trades ?? []);
  const barMs = toAligned(candidates[0].bars).barMs;
  const metrics = computeMetrics({ equity, time: stitchedTime, capital: exec.capital, barMs, trades: tradeStats(trades), zPnl: NaN, tradedNotional: out.reduce((a, f) => a + (f.portfolio?.metrics.tradedNotional ?? 0), 0), exposedBars: out.reduce((a, f) => a + Math.round((f.portfolio?.metrics.exposure ?? 0) * (f.fold.test.end - f.fold.test.start)), 0) });
  const returns = equityReturns(equity, exec.capital);
  const { skewness, kurtosis } = returnMoments(returns);
  const trialSharpes = candidates.map((c) => perBarSharpe(aloneOutOfSample(c, folds, options))).filter(Number.isFinite);
  const m = trialSharpes.reduce((a, v) => a + v, 0) / trialSharpes.length;
  const variance = trialSharpes.length > 1 ? trialSharpes.reduce((a, v) => a + (v - m) ** 2, 0) / (trialSharpes.length - 1) : 0;
  const dsr = deflatedSharpe({ sharpe: perBarSharpe(returns), bars: returns.length, skewness, kurtosis, trials: candidates.length, sharpeVariance: variance });
  return { folds: out, outOfSample: { time: stitchedTime, equity, metrics }, deflatedSharpe: dsr, trials: candidates.length };
}

/** Allocations that measure returns do it on the fold's training bars. */
function foldAllocation(allocation: Allocation | undefined, fold: Fold): Allocation | undefined {
  if (allocation?.kind === 'inverseVolatility' || allocation?.kind === 'kelly') return { ...allocation, estimation: fold.train };
  return allocation;
}

/** Per-bar returns of one candidate traded alone (full allocation) on every test block, chained. */
function aloneOutOfSample(c: PortfolioPair, folds: readonly Fold[], options: PairSelectionOptions & Omit<PortfolioOptions, 'start' | 'end'>): Float64Array {
  const parts = folds.map((fold) => backtestPortfolio([c], { ...options, allocation: foldAllocation(options.allocation, fold), start: fold.test.start, end: fold.test.end }));
  const returns = new Float64Array(parts.reduce((a, p) => a + p.equity.length, 0));
  let at = 0;
  for (const p of parts) {
    returns.set(equityReturns(p.equity, p.metrics.finalEquity - p.metrics.pnl), at);
    at += p.equity.length;
  }
  return returns;
}
