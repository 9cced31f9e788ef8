// Conversions from the library's results (typed arrays, NaN) to the protocol's JSON shapes (arrays, null).
import type { AlertEvent, PairScanRow } from '../../../src/analytics';
import type { Metrics } from '../../../src/backtest';
import type { AlertRecord } from '../../../src/store';
import type {
  AlertRow, BacktestData, BacktestMetrics, BarColumns, MetricCards, Num, PairSeries, ParamSearchData, ScanRow, TradeRow,
} from '../protocol';
import type { PairView } from '../analysis/pairView';
import type { BacktestReport } from '../analysis/viewOutputs';
import type { SearchResult } from '../analysis/backtesting';

/** A finite number, or null. */
export const num = (v: number | null | undefined): Num => (v !== null && v !== undefined && Number.isFinite(v) ? v : null);

/** Significant digits sent for chart series: far below what a chart or a trader can see, and it keeps float noise
 * such as 0.46200000000000013 out of the reply. */
const REPLY_DIGITS = 10;

/** A value as replies send it: NaN as null, rounded to {@link REPLY_DIGITS} significant digits. */
export const replyValue = (v: number): Num => (Number.isFinite(v) ? (Number.isInteger(v) ? v : Number(v.toPrecision(REPLY_DIGITS))) : null);

/** A column from `from` on, as replies send it. */
export function column(values: ArrayLike<number>, from = 0): Num[] {
  const out = new Array<Num>(Math.max(0, values.length - from));
  for (let i = from; i < values.length; i++) out[i - from] = replyValue(values[i]);
  return out;
}

function legColumns(view: PairView, which: 'y' | 'x', from: number): BarColumns {
  const leg = view.leg(which);
  return {
    open: column(leg.open, from), high: column(leg.high, from), low: column(leg.low, from), close: column(leg.close, from),
    volume: column(leg.volume, from), filled: Array.from(leg.filled.subarray(from)),
  };
}

/** The view's series from bar `from` on. */
export function seriesChunk(view: PairView, from: number): PairSeries {
  const s = view.series;
  return {
    fromTime: from < view.length ? view.time[from] : null,
    time: Array.from(view.time.subarray(from)),
    y: legColumns(view, 'y', from),
    x: legColumns(view, 'x', from),
    hedgeRatio: column(s.hedgeRatio, from), intercept: column(s.intercept, from), spread: column(s.spread, from),
    zScore: column(s.zScore, from), correlation: column(s.correlation, from),
  };
}

export function metricCards(view: PairView): MetricCards {
  const m = view.metrics;
  const h = view.hedgeWarmup;
  return {
    hedgeRatio: num(m.hedgeRatio), intercept: num(m.intercept), rSquared: num(m.rSquared), adfStatistic: num(m.adfStatistic),
    adfPValue: num(m.adfPValue), halfLifeBars: num(m.halfLifeBars), zScore: num(m.zScore), spread: num(m.spread),
    correlation: num(m.correlation), bars: m.bars, lastTime: num(m.lastTime),
    hedgeWindow: num(h.window), hedgeMinBars: num(h.minBars), hedgeFitBars: num(h.fitBars), hedgeWarmupUntil: num(h.until),
    ou: {
      theta: num(m.ou.theta), halfLifeSeconds: num(m.ou.halfLifeSeconds), mu: num(m.ou.mu), sigma: num(m.ou.sigma), entry: num(m.ou.entry),
      exit: num(m.ou.exit), cost: num(m.ou.cost), entryZ: num(m.ou.entryZ), exitZ: num(m.ou.exitZ), reason: m.ou.reason,
    },
  };
}

/** An alert as the panel shows it; `pair` is split back into its legs. */
export function alertRow(a: AlertEvent | AlertRecord): AlertRow {
  const [y = a.pair, x = ''] = a.pair.split('/');
  return { time: a.time, y, x, rule: a.rule, value: a.value, threshold: a.threshold, message: a.message ?? `${a.rule} ${a.value}` };
}

export function backtestMetrics(m: Metrics): BacktestMetrics {
  return {
    totalReturn: num(m.totalReturn), annualReturn: num(m.annualReturn), annualVolatility: num(m.annualVolatility), sharpe: num(m.sharpe),
    sortino: num(m.sortino), maxDrawdown: num(m.maxDrawdown), maxDrawdownMs: num(m.maxDrawdownMs), calmar: num(m.calmar),
    winRate: num(m.winRate), profitFactor: num(m.profitFactor), trades: m.trades, avgHoldMs: num(m.avgHoldingMs),
    exposure: num(m.exposure), turnover: num(m.turnover), fees: num(m.feesPaid), zUnitPnl: num(m.zPnl), finalEquity: num(m.finalEquity),
  };
}

export function backtestData(report: BacktestReport, simulated: boolean): BacktestData {
  const trades: TradeRow[] = report.trades.map((t) => ({
    entryTime: t.entryTime, exitTime: t.exitTime, side: t.side, entryY: t.entryPriceY, entryX: t.entryPriceX,
    exitY: t.exitPriceY, exitX: t.exitPriceX, qtyY: t.qtyY, qtyX: t.qtyX, fees: t.fees, funding: t.funding,
    pnl: t.pnl, holdMs: t.holdingMs, exitReason: t.exitReason,
  }));
  return {
    simulated, time: Array.from(report.time), equity: column(report.equity), drawdown: column(report.drawdown),
    trades, metrics: backtestMetrics(report.metrics),
    costs: { fees: num(report.metrics.feesPaid), spread: num(report.metrics.spreadCost), slippage: num(report.metrics.slippageCost), funding: num(report.metrics.funding) },
    costModel: report.costModel,
  };
}

export function paramSearchData(r: SearchResult): ParamSearchData {
  const sample = (f: SearchResult['rows'][number]['inSample']) => ({
    sharpe: num(f.sharpe), totalReturn: num(f.totalReturn), maxDrawdown: num(f.maxDrawdown), calmar: num(f.calmar), trades: f.trades,
  });
  return {
    validation: r.validation,
    objective: r.objective,
    rows: r.rows.map((row) => ({ ...row, stop: num(row.stop), inSample: sample(row.inSample), outOfSample: sample(row.outOfSample) })),
    heatmap: { ...r.heatmap, z: r.heatmap.z.map((line) => column(line)) },
  };
}

export function scanRow(r: PairScanRow, bars: number): ScanRow {
  return {
    y: r.y, x: r.x, hedgeRatio: num(r.beta), cointPValue: num(r.egPValue), adfStatistic: num(r.adfStatistic),
    adfPValue: num(r.adfPValue), halfLifeBars: num(r.halfLife), correlation: num(r.correlation), bars,
  };
}
