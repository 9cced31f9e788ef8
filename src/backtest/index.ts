/** The backtester: a mean-reversion pair rule with next-bar fills, costs and funding, metrics and parameter search. */
export type * from './types';
export { BacktestSettingsError, alignPair } from './validate';
export { MS_PER_YEAR, annualisationFactor, barsPerYear } from './barsPerYear';
export { defaultExecution, resolveExecution } from './settings';
export { fundingPerBar, placeFundingEvents } from './funding';
export { fundingReceived, pricedFundingPerBar, type PricedFunding } from './recordedFunding';
export { closePositionAt, fillLeg, isQuoted, legPriceAt, openPositionAt, quoteIndexAt, sizingPrice, validateQuotes, type LegFill, type LegPrice } from './quoteFills';
export { OpenPosition, costsOf, sizePosition, type Costs } from './fills';
export { simulate, type SimulationBuffers, type SimulationInput, type SimulationOptions, type SimulationOutput, type SimulationRange } from './engine';
export { tradeStats, type TradeStats } from './tradeStats';
export { TradeLog } from './tradeLog';
export { computeMetrics, equityReturns, metricsFromSummary, type MetricsInput, type RunTotals } from './metrics';
export { CurveStats, summariseCurve, type CurveSummary } from './curveStats';
export { runBacktest, type BacktestOptions, type SignalArrays } from './backtest';
export { computeSignals, hedgeLabel, hedgeSeries, zScore, type HedgeSeries, type HedgeSpec, type PriceScale, type Signals } from './signals';
export { backtestPair, type PairBacktestResult, type PairStrategy } from './backtestPair';
export { trainTestSplit, walkForwardFolds, type Fold, type WalkForwardOptions } from './folds';
export { gridSearch, type GridOptions, type GridPoint, type GridResult, type GridRow, type GridSpec } from './grid';
export { runPoint, stitchOutOfSample, type StitchedCurve } from './stitch';
export { deflatedSharpe, expectedMaxSharpe, normalQuantile, returnMoments, type DeflatedSharpeInput } from './deflatedSharpe';
export { walkForward, type Objective, type SelectedPoint, type WalkForwardResult } from './walkForward';
export { gridTable, heatmap, type GridAxis, type GridTable, type Heatmap, type HeatmapOptions } from './table';
export { allocate, pnlReturnMoments, type Allocation } from './allocation';
export {
  backtestPortfolio, type BasketAttribution, type PairAttribution, type PortfolioBasket, type PortfolioBasketTrade, type PortfolioMember, type PortfolioOptions, type PortfolioPair,
  type PortfolioResult, type PortfolioTrade, type SymbolPosition,
} from './portfolio';
export { rankPairs, walkForwardPortfolio, type FoldSelection, type PairRanking, type PairSelectionOptions, type PortfolioWalkForwardResult } from './pairSelection';
export type * from './basketTypes';
export { alignBasket, backtestBasket, basketSignals, runBasketBacktest } from './basketBacktest';
export { simulateBasket, type BasketSimulationInput, type BasketSimulationOutput, type LegFunding } from './basketEngine';
