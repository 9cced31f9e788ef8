/** Signals from the analytics library, then one backtest: the usual entry point for a notebook or the panel. */
import { type BacktestOptions, runBacktest, toAligned } from './backtest';
import { type HedgeSpec, type PriceScale, type Signals, computeSignals } from './signals';
import type { AlignedPair, BacktestResult, PairInput, StrategyParams } from './types';
import { validateStrategy } from './validate';

export interface PairStrategy extends StrategyParams {
  hedge: HedgeSpec;
  /** z-score window in bars. */
  window: number;
  scale?: PriceScale;
}

export interface PairBacktestResult extends BacktestResult {
  signals: Signals;
}

export function backtestPair(pairInput: PairInput | AlignedPair, strategy: PairStrategy, options: BacktestOptions = {}): PairBacktestResult {
  const pair = toAligned(pairInput);
  validateStrategy(strategy);
  const signals = computeSignals(pair, strategy.hedge, strategy.window, strategy.scale);
  // assigned, not spread, so the lazily computed returns stay lazy
  return Object.assign(runBacktest(pair, signals, strategy, options), { signals });
}
