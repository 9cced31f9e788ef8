/** Performance figures from an equity curve and its trades (365-day year, bar-length aware). */
import { barsPerYear } from './barsPerYear';
import { type CurveSummary, summariseCurve } from './curveStats';
import type { TradeStats } from './tradeStats';
import type { Metrics } from './types';

export interface MetricsInput {
  /** Equity at each close. */
  equity: Float64Array;
  /** Time of each bar (same length as `equity`). */
  time: Float64Array;
  capital: number;
  barMs: number;
  trades: TradeStats;
  zPnl: number;
  tradedNotional: number;
  exposedBars: number;
}

function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num === 0 ? NaN : num > 0 ? Infinity : -Infinity;
}

/** Everything but the curve itself: what the simulation reports besides equity. */
export type RunTotals = Omit<MetricsInput, 'equity' | 'time'>;

export function computeMetrics(input: MetricsInput): Metrics {
  return metricsFromSummary(summariseCurve(input.equity, input.time, input.capital), input);
}

export function metricsFromSummary(c: CurveSummary, totals: RunTotals): Metrics {
  const { capital, trades } = totals;
  const n = c.bars;
  const perYear = barsPerYear(totals.barMs);
  const finalEquity = n > 0 ? c.finalEquity : capital;
  const totalReturn = finalEquity / capital - 1;
  const annualReturn = finalEquity > 0 ? Math.pow(finalEquity / capital, perYear / n) - 1 : -1;
  const root = Math.sqrt(perYear);
  const annualVolatility = c.stdReturn * root;
  const { count, wins, grossProfit, grossLoss } = trades;
  return {
    totalReturn,
    annualReturn,
    annualVolatility,
    sharpe: c.stdReturn > 0 ? (c.meanReturn / c.stdReturn) * root : NaN,
    sortino: ratio(c.meanReturn, c.downsideDeviation) * root,
    maxDrawdown: c.maxDrawdown,
    maxDrawdownBars: c.maxDrawdownBars,
    maxDrawdownMs: c.maxDrawdownMs,
    calmar: ratio(annualReturn, c.maxDrawdown),
    winRate: count > 0 ? wins / count : NaN,
    profitFactor: count > 0 ? ratio(grossProfit, grossLoss) : NaN,
    trades: count,
    avgHoldingBars: count > 0 ? trades.holdingBars / count : NaN,
    avgHoldingMs: count > 0 ? trades.holdingMs / count : NaN,
    exposure: n > 0 ? totals.exposedBars / n : 0,
    turnover: totals.tradedNotional / capital,
    tradedNotional: totals.tradedNotional,
    feesPaid: trades.fees,
    spreadCost: trades.spreadCost,
    slippageCost: trades.slippage,
    funding: trades.funding,
    pnl: finalEquity - capital,
    finalEquity,
    zPnl: totals.zPnl,
    barsPerYear: perYear,
  };
}

/** Per-bar simple returns of an equity curve, the first against `capital`. */
export function equityReturns(equity: Float64Array, capital: number): Float64Array {
  const out = new Float64Array(equity.length);
  let prev = capital;
  for (let i = 0; i < equity.length; i++) {
    out[i] = equity[i] / prev - 1;
    prev = equity[i];
  }
  return out;
}
