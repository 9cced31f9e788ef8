// What a pair view produces for people: charts of its series, backtests on its bars, and CSV exports.
import { isoInZone } from './zonedTime';
import { type AlignedPair, type BacktestResult, defaultExecution } from '../../../src/backtest';
import type { CellValue, ResultTable } from '../../../src/store';
import { toCsv } from '../../../src/store';
import type { ExecutionParams, ParamSearchParams, StrategyParams } from '../protocol';
import {
  correlationChart, crossCorrelationChart, equityChart, heatmapChart, hedgeRatioChart, priceChart, spreadChart,
} from '../display/charts';
import type { Figure } from '../display/figure';
import { type SearchResult, drawdown, runBacktest, runParamSearch } from './backtesting';
import type { PairView } from './pairView';
import { type CostChoice, costModelOf, recordedCosts } from './recordedCosts';
import type { BacktestCostModel } from '../protocol';

/** A backtest with its drawdown series and the cost model it used. */
export interface BacktestReport extends BacktestResult {
  drawdown: Float64Array;
  costModel: BacktestCostModel;
}

/** The view's bars as the backtester takes them. */
export function alignedPair(view: PairView): AlignedPair {
  const y = view.leg('y');
  const x = view.leg('x');
  return { time: view.time, yOpen: y.open, yClose: y.close, xOpen: x.open, xClose: x.close, barMs: view.timeframeMs };
}

/**
 * Backtests the mean-reversion rule on the view's bars with its hedge method and window; funding and fill prices come
 * from the store's recorded market data unless `execution` turns them off (see {@link recordedCosts}).
 */
export async function backtestView(view: PairView, strategy: StrategyParams, execution: ExecutionParams & CostChoice = {}): Promise<BacktestReport> {
  const slippageBps = execution.slippageBps ?? defaultExecution.slippageBps;
  const costs = await recordedCosts(view.marketData, { y: view.y, x: view.x }, view.time, view.timeframeMs, execution, slippageBps);
  const result = runBacktest(alignedPair(view), view.options, view.options.window, strategy, execution, costs.options);
  // assigned, not spread: the result's trades and returns are built on first read
  return Object.assign(result, { drawdown: drawdown(result.equity), costModel: costModelOf(costs, result, slippageBps, execution.quoteMaxAgeMs) });
}

/** Grid search on the view's bars (walk-forward by default). */
export function paramSearchView(view: PairView, params: Pick<ParamSearchParams, 'grid' | 'validation' | 'objective'> & ExecutionParams): SearchResult {
  return runParamSearch(alignedPair(view), view.options, params);
}

/** Every chart of a view. */
export function viewCharts(view: PairView) {
  const s = view.series;
  const name = view.pair;
  return {
    prices: (which: 'y' | 'x' = 'y'): Figure => priceChart(which === 'y' ? view.y : view.x, view.leg(which)),
    spread: (bands: { entry?: number; exit?: number } = {}): Figure => spreadChart(view.time, s.spread, s.zScore, bands, { title: `${name} spread and z-score` }),
    hedgeRatio: (): Figure => hedgeRatioChart(view.time, s.hedgeRatio, { title: `${name} hedge ratio (${view.options.hedge})` }),
    correlation: (floor?: number): Figure => correlationChart(view.time, s.correlation, { floor, title: `${name} rolling correlation (${view.options.window} bars)` }),
    crossCorrelation: (): Figure => crossCorrelationChart(view.crossCorrelation.lags, view.crossCorrelation.values, { title: `${name} cross-correlation of returns` }),
    equity: (report: BacktestReport): Figure => equityChart(report.time, report.equity, report.drawdown, { title: `${name} backtest equity` }),
    heatmap: (search: SearchResult): Figure => heatmapChart(search.heatmap.x, search.heatmap.y, search.heatmap.z, { xLabel: 'entry', yLabel: 'exit', metric: search.heatmap.metric }),
  };
}

function table(columns: Record<string, CellValue[]>): ResultTable {
  const names = Object.keys(columns);
  return { columns: names.map((name) => ({ name, type: 'DOUBLE', values: columns[name] })), rowCount: names.length ? columns[names[0]].length : 0 };
}

const nums = (a: ArrayLike<number>): number[] => Array.from(a);

/** CSV of the view's time series: time, both closes, hedge ratio, intercept, spread, z-score, correlation. */
export function analyticsCsv(view: PairView, timeZone?: string): string {
  const iso = (t: number) => isoInZone(t, timeZone);
  const s = view.series;
  return toCsv(table({
    timestamp: Array.from(view.time, iso), [`${view.y}_close`]: nums(view.leg('y').close), [`${view.x}_close`]: nums(view.leg('x').close),
    hedge_ratio: nums(s.hedgeRatio), intercept: nums(s.intercept), spread: nums(s.spread), z_score: nums(s.zScore), correlation: nums(s.correlation),
  }));
}

/** CSV of both legs' bars on the pair grid. */
export function pairBarsCsv(view: PairView, timeZone?: string): string {
  const iso = (t: number) => isoInZone(t, timeZone);
  const cols: Record<string, CellValue[]> = { timestamp: Array.from(view.time, iso) };
  for (const which of ['y', 'x'] as const) {
    const leg = view.leg(which);
    for (const key of ['open', 'high', 'low', 'close', 'volume', 'filled'] as const) cols[`${leg.symbol}_${key}`] = nums(leg[key]);
  }
  return toCsv(table(cols));
}

/** CSV of a backtest's trade list. */
export function tradesCsv(report: BacktestResult, timeZone?: string): string {
  const iso = (t: number) => isoInZone(t, timeZone);
  const t = report.trades;
  return toCsv(table({
    entry_time: t.map((r) => iso(r.entryTime)), exit_time: t.map((r) => iso(r.exitTime)), side: t.map((r) => r.side),
    entry_price_y: t.map((r) => r.entryPriceY), entry_price_x: t.map((r) => r.entryPriceX), exit_price_y: t.map((r) => r.exitPriceY), exit_price_x: t.map((r) => r.exitPriceX),
    qty_y: t.map((r) => r.qtyY), qty_x: t.map((r) => r.qtyX), hedge_ratio: t.map((r) => r.hedgeRatio), fees: t.map((r) => r.fees), spread_cost: t.map((r) => r.spreadCost ?? 0), slippage: t.map((r) => r.slippage ?? 0), funding: t.map((r) => r.funding),
    pnl: t.map((r) => r.pnl), holding_ms: t.map((r) => r.holdingMs), exit_reason: t.map((r) => r.exitReason),
  }));
}
