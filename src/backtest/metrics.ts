/** Performance figures from an equity curve and its trades (365-day year, bar-length aware). */
import { barsPerYear } from './barsPerYear';
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

interface CurveStats {
  meanReturn: number;
  stdReturn: number;
  downsideDeviation: number;
  maxDrawdown: number;
  maxDrawdownBars: number;
  maxDrawdownMs: number;
}

/**
 * Per-bar simple returns (the first against `capital`), their mean, sample std and downside deviation
 * (root mean square of the negative returns over all bars, target 0), and the deepest and longest drawdown
 * (bars from a peak to the bar that regains it, or to the last bar).
 */
function curveStats(equity: Float64Array, time: Float64Array, capital: number, returnsOut?: Float64Array): CurveStats {
  const n = equity.length;
  let prev = capital;
  let sum = 0;
  let sumSq = 0;
  let downSq = 0;
  let peak = capital;
  let peakBar = -1;
  let under = false;
  let maxDd = 0;
  let longest = 0;
  let longestMs = 0;
  let ddFloor = capital; // equity below this is a new deepest drawdown
  for (let i = 0; i < n; i++) {
    const e = equity[i];
    const r = e / prev - 1;
    prev = e;
    if (returnsOut) returnsOut[i] = r;
    sum += r;
    sumSq += r * r;
    // 2·min(r, 0) without a branch: Math.min and r < 0 both branch, and the sign of r is unpredictable
    const down = r - Math.abs(r);
    downSq += down * down;
    if (e >= peak) {
      if (under && i - peakBar > longest) {
        longest = i - peakBar;
        longestMs = time[i] - time[peakBar < 0 ? 0 : peakBar];
      }
      under = false;
      peak = e;
      peakBar = i;
      ddFloor = peak * (1 - maxDd);
    } else {
      under = true;
      if (e < ddFloor) {
        maxDd = 1 - e / peak;
        ddFloor = e;
      }
    }
  }
  // a drawdown not regained lasts to the last bar
  if (under && n - 1 - peakBar > longest) {
    longest = n - 1 - peakBar;
    longestMs = time[n - 1] - time[peakBar < 0 ? 0 : peakBar];
  }
  const mean = sum / n;
  // Σr² − n·mean² loses nothing here: per-bar returns have |mean| far below their std
  const sq = Math.max(sumSq - sum * mean, 0);
  return {
    meanReturn: mean,
    stdReturn: n > 1 ? Math.sqrt(sq / (n - 1)) : NaN,
    downsideDeviation: Math.sqrt(downSq / 4 / n),
    maxDrawdown: maxDd,
    maxDrawdownBars: longest,
    maxDrawdownMs: longestMs,
  };
}

function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num === 0 ? NaN : num > 0 ? Infinity : -Infinity;
}

/** The metrics; when `returnsOut` (length ≥ equity) is given, the per-bar returns are written into it on the way. */
export function computeMetrics(input: MetricsInput, returnsOut?: Float64Array): Metrics {
  const { equity, time, capital, trades } = input;
  const n = equity.length;
  const perYear = barsPerYear(input.barMs);
  const c = curveStats(equity, time, capital, returnsOut);
  const finalEquity = n > 0 ? equity[n - 1] : capital;
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
    exposure: n > 0 ? input.exposedBars / n : 0,
    turnover: input.tradedNotional / capital,
    tradedNotional: input.tradedNotional,
    feesPaid: trades.fees,
    funding: trades.funding,
    pnl: finalEquity - capital,
    finalEquity,
    zPnl: input.zPnl,
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
