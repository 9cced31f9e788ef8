/** Performance figures from an equity curve and its trades (365-day year, bar-length aware). */
import { barsPerYear } from './barsPerYear';
import type { Metrics, Trade } from './types';

export interface MetricsInput {
  /** Equity at each close. */
  equity: Float64Array;
  /** Time of each bar (same length as `equity`). */
  time: Float64Array;
  capital: number;
  barMs: number;
  trades: readonly Trade[];
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
function curveStats(equity: Float64Array, time: Float64Array, capital: number): CurveStats {
  const n = equity.length;
  let prev = capital;
  let sum = 0;
  let downSq = 0;
  let peak = capital;
  let peakBar = -1;
  let under = false;
  let maxDd = 0;
  let longest = 0;
  let longestMs = 0;
  const span = (i: number): void => {
    if (i - peakBar > longest) {
      longest = i - peakBar;
      longestMs = time[i] - time[Math.max(peakBar, 0)];
    }
  };
  for (let i = 0; i < n; i++) {
    const e = equity[i];
    const r = e / prev - 1;
    sum += r;
    if (r < 0) downSq += r * r;
    prev = e;
    if (e >= peak) {
      if (under) span(i);
      under = false;
      peak = e;
      peakBar = i;
    } else {
      under = true;
      const dd = 1 - e / peak;
      if (dd > maxDd) maxDd = dd;
    }
  }
  if (under) span(n - 1);
  const mean = sum / n;
  let sq = 0;
  prev = capital;
  for (let i = 0; i < n; i++) {
    const d = equity[i] / prev - 1 - mean;
    sq += d * d;
    prev = equity[i];
  }
  return {
    meanReturn: mean,
    stdReturn: n > 1 ? Math.sqrt(sq / (n - 1)) : NaN,
    downsideDeviation: Math.sqrt(downSq / n),
    maxDrawdown: maxDd,
    maxDrawdownBars: longest,
    maxDrawdownMs: longestMs,
  };
}

function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num === 0 ? NaN : num > 0 ? Infinity : -Infinity;
}

export function computeMetrics(input: MetricsInput): Metrics {
  const { equity, time, capital, trades } = input;
  const n = equity.length;
  const perYear = barsPerYear(input.barMs);
  const c = curveStats(equity, time, capital);
  const finalEquity = n > 0 ? equity[n - 1] : capital;
  const totalReturn = finalEquity / capital - 1;
  const annualReturn = finalEquity > 0 ? Math.pow(finalEquity / capital, perYear / n) - 1 : -1;
  const root = Math.sqrt(perYear);
  const annualVolatility = c.stdReturn * root;
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let fees = 0;
  let funding = 0;
  let holdBars = 0;
  let holdMs = 0;
  for (const t of trades) {
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else grossLoss -= t.pnl;
    fees += t.fees;
    funding += t.funding;
    holdBars += t.holdingBars;
    holdMs += t.holdingMs;
  }
  const count = trades.length;
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
    avgHoldingBars: count > 0 ? holdBars / count : NaN,
    avgHoldingMs: count > 0 ? holdMs / count : NaN,
    exposure: n > 0 ? input.exposedBars / n : 0,
    turnover: input.tradedNotional / capital,
    tradedNotional: input.tradedNotional,
    feesPaid: fees,
    funding,
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
