/**
 * Pairs Lab kernel library: the one entry point for notebooks (tslab) and for the panel's kernel.
 *
 * ```ts
 * import * as pl from 'pairs-lab';
 * const lab = await pl.openLab();                       // the store in ./data (or $PAIRS_LAB_DATA)
 * const view = await lab.pair('BTCUSDT', 'ETHUSDT', { timeframe: '1m', window: 60, hedge: 'huber' });
 * pl.show(view.charts.spread({ entry: 2, exit: 0.5 }));  // Plotly figure with a text summary
 * pl.show(view.metrics);                                 // metric cards as a table
 * ```
 * @packageDocumentation
 */
export const version = '0.1.0';

// The session façade: store, recorder, bars, pair views, scans, CSV.
export { openLab, Lab, defaultDataDir, scratchDir, defaultSymbols, type LabOptions, type RecordOptions, type LabWatchlistOptions, type TimeRange } from './session/lab';
export {
  Watchlist, resolveWatchlistOptions, type WatchlistOptions, type ResolvedWatchlistOptions, type WatchlistDeps, type WatchRow, type WatchStatus,
  type WatchlistRefresh,
} from './watchlist/watchlist';
export { type Stability, type StabilitySettings, cointPValueAt } from './watchlist/stability';
export { PairView, resolveViewOptions, type PairViewOptions, type ResolvedViewOptions, type RefreshResult, type LegColumns } from './analysis/pairView';
export type { PairMetrics, LagCorrelation } from './analysis/metrics';
export { computeSeries, type SeriesOptions, type PairSeriesArrays } from './analysis/series';
export { runBacktest, runParamSearch, drawdown, type SearchResult, type SearchRow, type HedgeSettings } from './analysis/backtesting';
export { type BacktestReport, alignedPair, tradesCsv } from './analysis/viewOutputs';
export { type CostChoice, type MarketDataSource, QUOTE_MAX_AGE_MS, costModelOf, recordedCosts } from './analysis/recordedCosts';
export { scanUniverse, scanBasketUniverse, type ScanSettings, type UniverseScan, type BasketUniverseScan } from './analysis/scan';
export {
  BasketView, commonBars, type BasketViewOptions, type BasketBacktestParams, type BasketBacktestReport, type BasketCostChoice, type BasketMetrics,
} from './analysis/basketView';
export { scanLake, searchLake, type LakeScanOptions, type LakeSearchOptions } from './analysis/lakeScan';
export { basketMember, commonSpan, pairMember, type BarSpan } from './analysis/portfolioMembers';
export { writeSimulatedHistory, type SimulatedHistoryOptions, type SimulatedHistory } from './session/simHistory';

// Display: Plotly figures with text summaries, HTML tables with text fallbacks.
export { type Figure, type PlotlyTrace, PLOTLY_MIME } from './display/figure';
export {
  type OhlcvColumns, type ChartOptions,
  priceChart, spreadChart, seriesChart, hedgeRatioChart, correlationChart, crossCorrelationChart, equityChart, heatmapChart,
} from './display/charts';
export { type Cell, type Row, type TableOptions, type Table, renderTable, renderRecord } from './display/table';
export { show, showFigure, showTable, showRecord, figureBundle } from './display/show';
export { barRows, tradeRows, searchRows, scanRows, watchRows } from './display/rows';
export { type MimeBundle, type DisplaySink, displayBundle, setDisplaySink, inKernel } from './display/emit';

// The panel's server side and the protocol it speaks.
export * from './protocol';
export { handlePanelRequest, answerPanelRequest, closePanelSession } from './panel/handler';
export { parsePanelRequest } from './panel/requests';
export { RequestError } from './panel/schema';

// The layers underneath, for research beyond the façade.
export * as analytics from '../../src/analytics';
export * as backtest from '../../src/backtest';
export * as store from '../../src/store';
export * as feed from '../../src/feed';
export * as lake from '../../src/lake';
