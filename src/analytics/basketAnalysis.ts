/**
 * A basket's statistics over a range: weights fitted on the whole range (a description of the range, not a signal:
 * the backtest fits only on data before each decision), the spread and its rolling z-score, half-life, ADF of the
 * spread, the cointegration test of the chosen method and its stability over rolling windows.
 */
import { adfuller, type AdfResult } from './adf';
import { type BasketCointegration, type BasketStability, basketCointegration, basketStability } from './basketTests';
import { type BasketFitOptions, type BasketMethod, basketSpread, fitBasket } from './basketWeights';
import { halfLife } from './meanReversion';
import { rollingZScore } from './rolling';
import { AnalyticsInputError, type Series, toFloat64 } from './validate';

export interface BasketAnalysisOptions extends BasketFitOptions {
  method?: BasketMethod;
  /** z-score window in bars. Default 100. */
  zWindow?: number;
  /** Stability windows in bars (default a quarter of the range, at least 50) and their step (default half a window). */
  stabilityWindow?: number;
  stabilityStep?: number;
}

export interface BasketAnalysis {
  method: BasketMethod;
  weights: Float64Array;
  intercept: number;
  spread: Float64Array;
  z: Float64Array;
  /** Half-life of the spread in bars (+∞ when it does not revert). */
  halfLife: number;
  /** ADF with constant, AIC lags, on the spread. */
  adf: AdfResult;
  cointegration: BasketCointegration;
  stability: BasketStability;
}

export function analyseBasket(legSeries: readonly Series[], opts: BasketAnalysisOptions = {}): BasketAnalysis {
  const legs = legSeries.map(toFloat64);
  const method = opts.method ?? 'johansen';
  const n = legs[0]?.length ?? 0;
  const zWindow = opts.zWindow ?? 100;
  if (!Number.isInteger(zWindow) || zWindow < 2 || zWindow > n) throw new AnalyticsInputError(`the z window must be a whole number of bars from 2 to the ${n} bars of data, got ${zWindow}`);
  const fit = fitBasket(method, legs, 0, n, opts);
  const spread = basketSpread(legs, Array.from(fit.weights), fit.intercept);
  const stabilityWindow = opts.stabilityWindow ?? Math.min(n, Math.max(50, Math.floor(n / 4)));
  return {
    method,
    weights: fit.weights,
    intercept: fit.intercept,
    spread,
    z: rollingZScore(spread, zWindow),
    halfLife: halfLife(spread).halfLife,
    adf: adfuller(spread, { regression: 'c', autolag: 'aic' }),
    cointegration: basketCointegration(method, legs, 0, n, opts),
    stability: basketStability(method, legs, stabilityWindow, opts.stabilityStep, opts),
  };
}
