/** The `data` of the basket replies (see protocol.ts). Types only, so the extension can import them. */
import type { BasketWeightsMethod, Num } from './protocol';
import type { BacktestCosts, BacktestMetrics } from './replyData';

/** A basket's statistics over the bars shown, fitted on those bars (a description, not a signal). */
export interface BasketStats {
  /** Weights per leg, leg 1 = 1; the spread is Σ weightᵢ · closeᵢ − intercept. */
  weights: Num[];
  intercept: Num;
  halfLifeBars: Num;
  adfStatistic: Num;
  adfPValue: Num;
  /** Engle-Granger: ADF statistic of the residuals and its MacKinnon p-value; Johansen: trace statistic (p-value null). */
  cointStatistic: Num;
  cointPValue: Num;
  /** The 95% critical value of that statistic. */
  cointCritical5: Num;
  cointRejects: boolean;
  /** Share of rolling windows whose test rejects at 5%. */
  stability: Num;
  /** z of the newest bar. */
  zScore: Num;
}

/** A basket view: the legs' closes on their common bars, the basket's spread and rolling z, and its statistics. Always whole (no increments). */
export interface BasketData {
  simulated: boolean;
  legs: string[];
  method: BasketWeightsMethod;
  timeframe: string;
  window: number;
  bars: number;
  time: number[];
  /** close[i]: leg i's closes on `time`. */
  close: Num[][];
  spread: Num[];
  zScore: Num[];
  stats: BasketStats;
}

/** A basket backtest: weights re-fitted on trailing bars only, every leg filled, charged fees and funded on its own. */
export interface BasketBacktestData {
  simulated: boolean;
  legs: string[];
  time: number[];
  equity: Num[];
  /** Drawdown from the running peak, fraction ≤ 0. */
  drawdown: Num[];
  metrics: BacktestMetrics;
  costs: BacktestCosts;
  /** Per leg, over all trades: fees paid (positive) and funding received (negative = paid). */
  legFees: Num[];
  legFunding: Num[];
  /** Leg fills at recorded quotes and at bar prices. */
  quotedFills: number;
  barFills: number;
  /** What the run charged, in words. */
  costNotes: string[];
}
