/**
 * Pairs Lab analytics: pure numeric functions on Float64Array (no I/O; runs in Node and browsers).
 * Conventions: inputs `Float64Array | number[]`, outputs Float64Array with NaN for "not defined yet";
 * invalid input (NaN where a fit needs numbers, mismatched lengths, too short, constant) throws
 * `AnalyticsInputError` with a message saying what to fix.
 */
export { AnalyticsInputError, type Series } from './validate';
export { ols, type OlsResult } from './ols';
export { olsWithTrend, type TrendSpec, type TrendOlsResult } from './olsTrend';
export { huber, huberObjective, type HuberOptions, type HuberResult } from './huber';
export { kalmanHedge, KalmanFilter, defaultKalmanParams, type KalmanParams, type KalmanResult, type KalmanStep } from './kalman';
export { rollingHedgeRatio, expandingHedgeRatio, type HedgeMethod, type HedgeRatioOptions, type HedgeRatioSeries } from './hedgeRatio';
export { spread } from './spread';
export { rollingMean, rollingStd, rollingZScore, rollingMoments, type RollingMoments } from './rolling';
export { normalCdf, erfc } from './normal';
export { mackinnonp, mackinnoncrit, type CriticalValues, type TrendCode } from './mackinnon';
export { adfuller, adfullerBoth, defaultMaxLag, type AdfOptions, type AdfResult, type AdfRegression, type AdfAutolag } from './adf';
export { coint, cointFromFit, type CointOptions, type CointResult } from './coint';
export { johansen, type JohansenResult } from './johansen';
export { halfLife, hurst, type HalfLifeResult } from './meanReversion';
export { ouFit, ouLogLikelihood, type OuFit, type OuFitOptions, type OuParams } from './ouFit';
export {
  bertramExpectedReturn,
  bertramLevels,
  leungLiLevels,
  type BertramLevels,
  type LeungLiLevels,
  type LeungLiOptions,
} from './ouLevels';
export { kalmanMle, kalmanLogLikelihood, type KalmanMleOptions, type KalmanMleResult } from './kalmanMle';
export {
  returns,
  rollingCorrelation,
  rollingPearson,
  crossCorrelation,
  pearson,
  type ReturnKind,
  type RollingCorrelationOptions,
  type CrossCorrelation,
} from './correlation';
export { AlertEngine, validateRule, type AlertRule, type AlertRuleKind, type AlertMetrics, type AlertMetricSeries, type AlertEvent } from './alerts';
export { type HedgeSpec, type PairModelOptions, type PairBar } from './pairModel';
export { pairSeries, type PairSeriesResult } from './pairSeries';
export { PairState, type PairUpdate } from './pairState';
export { pairSnapshot, type PairSnapshot, type PairSnapshotOptions } from './snapshot';
export { closesOnCommonGrid, carriedCloses, MIN_SCAN_BARS, type ClosesLeg, type ClosesGrid } from './commonGrid';
export { scanPairs, scanPairRows, rankScanRows, checkUniverse, allPairs, type PairScanRow, type ScanOptions } from './scan';
export {
  basketSpread, egWeights, fitBasket, johansenWeights, rollingBasketWeights, trainedBasketWeights, checkBasketLegs,
  type BasketFit, type BasketFitOptions, type BasketMethod, type BasketWeightSeries,
} from './basketWeights';
export { basketCointegration, basketStability, egBasketTest, johansenBasketTest, type BasketCointegration, type BasketStability } from './basketTests';
export { analyseBasket, type BasketAnalysis, type BasketAnalysisOptions } from './basketAnalysis';
export { scanBaskets, basketScanRows, rankBasketRows, allCombinations, checkBasketScanOptions, type BasketScanRow, type BasketScanOptions, type BasketRankBy } from './basketScan';
