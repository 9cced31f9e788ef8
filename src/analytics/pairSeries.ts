import { adfuller } from './adf';
import { AlertEngine, type AlertEvent } from './alerts';
import { rollingCorrelation } from './correlation';
import { rollingHedgeRatio } from './hedgeRatio';
import { kalmanHedge } from './kalman';
import { type PairModelOptions, adfDue, checkPairModel } from './pairModel';
import { rollingMoments } from './rolling';
import { spread } from './spread';
import { type Series, assertSameLength, finitePair, isConstant, toFloat64 } from './validate';

/** A pair's analytics over a whole range, computed by the batch functions (the reference for `PairState`). */
export interface PairSeriesResult {
  time: Float64Array;
  beta: Float64Array;
  alpha: Float64Array;
  spread: Float64Array;
  spreadMean: Float64Array;
  spreadStd: Float64Array;
  zScore: Float64Array;
  correlation: Float64Array;
  adfPValue: Float64Array;
  alerts: AlertEvent[];
}

function hedgeSeries(y: Float64Array, x: Float64Array, o: PairModelOptions): { beta: Float64Array; alpha: Float64Array } {
  const h = o.hedge;
  if (h.method === 'kalman') return kalmanHedge(y, x, h.params);
  if (h.method === 'fixed') return { beta: new Float64Array(y.length).fill(h.beta), alpha: new Float64Array(y.length).fill(h.alpha ?? 0) };
  return rollingHedgeRatio(y, x, { method: h.estimator ?? 'ols', window: h.window, every: h.every, huber: h.huber });
}

/** ADF p-value of the last `adfWindow` spreads at bar t, NaN when not defined there (NaN or constant window). */
export function spreadAdfPValue(s: ArrayLike<number>, end: number, window: number): number {
  const w = Float64Array.from({ length: window }, (_, i) => s[end - window + 1 + i]);
  for (let i = 0; i < window; i++) if (Number.isNaN(w[i])) return NaN;
  if (isConstant(w)) return NaN;
  return adfuller(w, { regression: 'c', autolag: 'aic' }).pValue;
}

export function pairSeries(times: Series, y: Series, x: Series, o: PairModelOptions): PairSeriesResult {
  checkPairModel(o);
  const [yf, xf] = finitePair(y, x, 0, 'pair analytics');
  const time = toFloat64(times);
  assertSameLength(time, yf, 'times', 'y');
  const n = yf.length;
  const { beta, alpha } = hedgeSeries(yf, xf, o);
  const s = spread(yf, xf, beta, alpha);
  const { mean, std } = rollingMoments(s, o.zWindow);
  const zScore = new Float64Array(n);
  for (let i = 0; i < n; i++) zScore[i] = std[i] > 0 ? (s[i] - mean[i]) / std[i] : NaN;
  const correlation = rollingCorrelation(yf, xf, o.correlationWindow ?? o.zWindow, { returns: o.returns ?? 'simple' });
  const adfPValue = new Float64Array(n).fill(NaN);
  let lastP = NaN;
  for (let t = 0; t < n; t++) {
    if (adfDue(o, t)) lastP = spreadAdfPValue(s, t, o.adfWindow as number);
    adfPValue[t] = lastP;
  }
  const engine = new AlertEngine(o.alerts ? { [o.pair]: o.alerts } : {});
  const alerts = engine.evaluateSeries(o.pair, time, { zScore, spread: s, correlation, adfPValue, lastBarTime: time });
  return { time, beta, alpha, spread: s, spreadMean: mean, spreadStd: std, zScore, correlation, adfPValue, alerts };
}
