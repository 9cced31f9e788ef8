/** Public shapes of the basket backtest: 2–6 legs on one bar grid, traded as one spread Σ wᵢ·pᵢ − c. */
import type { BasketFitOptions, BasketMethod } from '../analytics';
import type { CostUsage, ExecutionSettings, FundingRates, LegQuotes, Metrics, StrategyParams, Trade } from './types';

/** Every leg's bars on one time grid (`time[i]` is each bar's start, UTC epoch ms); leg 1 first. */
export interface BasketBars {
  time: Float64Array;
  open: Float64Array[];
  close: Float64Array[];
  /** Leg names for messages and trades. Default `leg 1`, `leg 2`, … */
  symbols?: string[];
}

/** A checked basket (see `alignBasket`). */
export interface AlignedBasket {
  time: Float64Array;
  open: Float64Array[];
  close: Float64Array[];
  symbols: string[];
  barMs: number;
}

/** How the weights are known at each bar. None fits on the whole sample: that would use the future. */
export type BasketWeightSpec =
  /** Constants chosen by the user (e.g. fitted on an earlier period); leg 1's weight must be 1. */
  | { kind: 'fixed'; weights: number[]; intercept?: number }
  /** Fitted once on the first `bars` bars; known from bar `bars − 1` on. */
  | { kind: 'train'; method: BasketMethod; bars: number }
  /** Re-fitted on the last `window` bars every `every` bars (default 1); known from bar `window − 1` on. */
  | { kind: 'rolling'; method: BasketMethod; window: number; every?: number };

export interface BasketStrategy extends StrategyParams {
  weights: BasketWeightSpec;
  /** z-score window in bars. */
  window: number;
  /** Johansen settings of the fits (detOrder 0, kArDiff 1 by default). */
  fit?: BasketFitOptions;
}

/** Per-bar inputs of the rule, each known at that bar's close (NaN = not yet). */
export interface BasketSignals {
  /** weights[i][t]: leg i's weight at bar t. */
  weights: Float64Array[];
  intercept: Float64Array;
  spread: Float64Array;
  z: Float64Array;
}

export interface BasketBacktestOptions {
  execution?: Partial<ExecutionSettings>;
  /** Funding events per leg (index = leg); with mark prices each is charged on quantity × its mark price. */
  funding?: ReadonlyArray<FundingRates | undefined>;
  /** Quotes per leg to fill at (buy at the ask, sell at the bid) instead of bar prices with slippage. */
  quotes?: { legs?: ReadonlyArray<LegQuotes | undefined>; maxAgeMs?: number };
  /** Simulate bars [start, end) only, starting flat. */
  start?: number;
  end?: number;
}

/** One round trip of the basket (`side` long = long leg 1). Quantities are signed (positive = long that leg); prices are fills. */
export interface BasketTrade
  extends Pick<Trade, 'side' | 'entryBar' | 'exitBar' | 'entryTime' | 'exitTime' | 'entryZ' | 'exitZ' | 'fees' | 'funding' | 'pnl' | 'holdingBars' | 'holdingMs' | 'exitReason'> {
  weights: number[];
  qty: number[];
  entryPrice: number[];
  exitPrice: number[];
  /** Fees of every leg's two fills (positive = paid); they sum to `fees`. */
  legFees: number[];
  /** Net funding received per leg (negative = paid); they sum to `funding`. */
  legFunding: number[];
  spreadCost: number;
  slippage: number;
}

export interface BasketBacktestResult {
  time: Float64Array;
  equity: Float64Array;
  returns: Float64Array;
  /** +1 long the spread, −1 short, 0 flat, at each bar's close. */
  position: Int8Array;
  trades: BasketTrade[];
  metrics: Metrics;
  costUsage: CostUsage;
  signals: BasketSignals;
}
