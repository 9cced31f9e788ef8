/**
 * Weights of a basket of 2–6 legs, spread = Σ wᵢ·pᵢ − c with leg 1's weight 1: from the Johansen test's first
 * eigenvector (normalised to leg 1 = 1, c = 0), or from the Engle-Granger regression of leg 1 on the other legs with a
 * constant (w = [1, −b₂, …, −bₘ], c = the intercept). Fitted on bars [from, to) only, so a caller chooses what is known.
 */
import { johansen } from './johansen';
import { backSolve, choleskyInPlace, forwardSolve } from './linalg';
import { AnalyticsInputError, assertFinite, isConstant, mean } from './validate';

export type BasketMethod = 'johansen' | 'eg';

export interface BasketFit {
  /** One weight per leg, leg 1's = 1. */
  weights: Float64Array;
  /** c of the spread Σ wᵢ·pᵢ − c (the regression's intercept for 'eg', 0 for 'johansen'). */
  intercept: number;
}

export interface BasketFitOptions {
  /** Johansen deterministic terms (−1 none, 0 constant, 1 trend). Default 0. */
  detOrder?: number;
  /** Johansen lagged differences. Default 1. */
  kArDiff?: number;
}

export const MIN_LEGS = 2;
export const MAX_LEGS = 6;

/** Checks a basket's price columns: 2–6 legs of equal length, finite, none constant over [from, to). */
export function checkBasketLegs(legs: ReadonlyArray<ArrayLike<number>>, names: readonly string[] = legs.map((_, i) => `leg ${i + 1}`)): void {
  if (legs.length < MIN_LEGS || legs.length > MAX_LEGS) {
    throw new AnalyticsInputError(`a basket has ${MIN_LEGS} to ${MAX_LEGS} legs, got ${legs.length}: give between ${MIN_LEGS} and ${MAX_LEGS} price series`);
  }
  const n = legs[0].length;
  legs.forEach((leg, i) => {
    if (leg.length !== n) throw new AnalyticsInputError(`${names[i]} has ${leg.length} values but ${names[0]} has ${n}: align the legs on one bar grid first`);
  });
}

/** OLS of leg 1 on legs 2..m with a constant over [from, to), from centred cross-products; null when a regressor is (almost) a combination of the others. */
function regressFirstLeg(legs: readonly Float64Array[], from: number, to: number): BasketFit | null {
  const k = legs.length - 1;
  const means = legs.map((l) => mean(l, from, to));
  const sxx = new Float64Array(k * k);
  const sxy = new Float64Array(k);
  const y = legs[0];
  for (let t = from; t < to; t++) {
    const dy = y[t] - means[0];
    for (let a = 0; a < k; a++) {
      const da = legs[a + 1][t] - means[a + 1];
      sxy[a] += da * dy;
      for (let b = 0; b <= a; b++) sxx[a * k + b] += da * (legs[b + 1][t] - means[b + 1]);
    }
  }
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) sxx[a * k + b] = sxx[b * k + a];
  const { l, rank } = choleskyInPlace(sxx, k);
  if (rank < k) return null;
  const beta = backSolve(l, k, forwardSolve(l, k, sxy));
  const weights = new Float64Array(k + 1);
  weights[0] = 1;
  let intercept = means[0];
  for (let a = 0; a < k; a++) {
    weights[a + 1] = -beta[a];
    intercept -= beta[a] * means[a + 1];
  }
  return { weights, intercept };
}

function checkWindow(legs: readonly Float64Array[], from: number, to: number, min: number, what: string): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= legs[0].length)) {
    throw new AnalyticsInputError(`bars [${from}, ${to}) are not inside the ${legs[0].length} bars of the legs`);
  }
  if (to - from < min) throw new AnalyticsInputError(`${to - from} bars are too few for ${what} of ${legs.length} legs: it needs at least ${min}`);
  legs.forEach((leg, i) => {
    assertFinite(leg.subarray(from, to), `leg ${i + 1}`);
    if (isConstant(leg, from, to)) throw new AnalyticsInputError(`leg ${i + 1} is constant over bars [${from}, ${to}): a basket weight is undefined for a leg with no variation; drop it`);
  });
}

/** Engle-Granger weights: OLS of leg 1 on the other legs with a constant, over bars [from, to). */
export function egWeights(legs: readonly Float64Array[], from = 0, to = legs[0]?.length ?? 0): BasketFit {
  checkBasketLegs(legs);
  checkWindow(legs, from, to, legs.length + 2, 'the Engle-Granger regression');
  const fit = regressFirstLeg(legs, from, to);
  if (!fit) throw new AnalyticsInputError(`the legs 2..${legs.length} are collinear over bars [${from}, ${to}) (one is a combination of the others): drop one`);
  return fit;
}

/** Johansen weights: the first cointegrating vector over bars [from, to), scaled so leg 1's weight is 1. */
export function johansenWeights(legs: readonly Float64Array[], from = 0, to = legs[0]?.length ?? 0, opts: BasketFitOptions = {}): BasketFit {
  checkBasketLegs(legs);
  const kArDiff = opts.kArDiff ?? 1;
  checkWindow(legs, from, to, legs.length * (kArDiff + 1) + 4, 'the Johansen test');
  const r = johansen(legs.map((l) => l.subarray(from, to)), opts.detOrder ?? 0, kArDiff);
  return normalisedVector(r.eigenvectors[0]);
}

/** v / v₁; refused when leg 1 has (almost) no weight in v, since dividing would blow the other weights up. */
export function normalisedVector(v: Float64Array): BasketFit {
  let largest = 0;
  for (const e of v) largest = Math.max(largest, Math.abs(e));
  if (!(Math.abs(v[0]) > 1e-9 * largest)) {
    throw new AnalyticsInputError('the first Johansen vector gives leg 1 no weight, so it cannot be scaled to leg 1 = 1: put another symbol first');
  }
  return { weights: v.map((e) => e / v[0]), intercept: 0 };
}

export function fitBasket(method: BasketMethod, legs: readonly Float64Array[], from?: number, to?: number, opts: BasketFitOptions = {}): BasketFit {
  if (method === 'eg') return egWeights(legs, from, to);
  if (method === 'johansen') return johansenWeights(legs, from, to, opts);
  throw new AnalyticsInputError(`basket weights must be 'johansen' or 'eg', got "${String(method)}"`);
}

/**
 * spread_t = w₁·p₁ − (c + Σ_{i≥2} (−wᵢ)·pᵢ), written as leg 1 minus the hedge basket so that two legs give exactly the
 * pair spread y − (α + β·x). `weights[i]` and `intercept` are constants or per-bar series (NaN = not known yet).
 */
export function basketSpread(legs: readonly Float64Array[], weights: ReadonlyArray<number | Float64Array>, intercept: number | Float64Array = 0): Float64Array {
  checkBasketLegs(legs);
  if (weights.length !== legs.length) throw new AnalyticsInputError(`${weights.length} weights for ${legs.length} legs: give one weight per leg`);
  const n = legs[0].length;
  const out = new Float64Array(n);
  const at = (w: number | Float64Array, t: number) => (typeof w === 'number' ? w : w[t]);
  for (let t = 0; t < n; t++) {
    let hedge = at(intercept, t);
    for (let i = 1; i < legs.length; i++) hedge += -at(weights[i], t) * legs[i][t];
    out[t] = at(weights[0], t) * legs[0][t] - hedge;
  }
  return out;
}

/** Per-bar weights: each leg's weight series and the intercept series, NaN while not known. */
export interface BasketWeightSeries {
  weights: Float64Array[];
  intercept: Float64Array;
}

/** Weights re-fitted on the trailing `window` bars at bar window−1 and every `every` bars after, carried forward between fits. */
export function rollingBasketWeights(method: BasketMethod, legs: readonly Float64Array[], window: number, every = 1, opts: BasketFitOptions = {}): BasketWeightSeries {
  checkBasketLegs(legs);
  const n = legs[0].length;
  if (!Number.isInteger(window) || window < 3 || window > n) throw new AnalyticsInputError(`the weight window must be a whole number of bars from 3 to the ${n} bars of data, got ${window}`);
  if (!Number.isInteger(every) || every < 1) throw new AnalyticsInputError(`every must be a whole number of bars ≥ 1, got ${every}`);
  const out = emptyWeightSeries(legs.length, n);
  let fit: BasketFit | null = null;
  for (let t = window - 1; t < n; t++) {
    if ((t - window + 1) % every === 0) fit = fitBasket(method, legs, t - window + 1, t + 1, opts);
    setWeightsAt(out, fit as BasketFit, t);
  }
  return out;
}

/** Weights fitted once on the first `bars` bars, known from bar bars−1 on (NaN before). */
export function trainedBasketWeights(method: BasketMethod, legs: readonly Float64Array[], bars: number, opts: BasketFitOptions = {}): BasketWeightSeries {
  checkBasketLegs(legs);
  const n = legs[0].length;
  if (!Number.isInteger(bars) || bars < 3 || bars > n) throw new AnalyticsInputError(`the training window must be a whole number of bars from 3 to the ${n} bars of data, got ${bars}`);
  const fit = fitBasket(method, legs, 0, bars, opts);
  const out = emptyWeightSeries(legs.length, n);
  for (let t = bars - 1; t < n; t++) setWeightsAt(out, fit, t);
  return out;
}

function emptyWeightSeries(m: number, n: number): BasketWeightSeries {
  return { weights: Array.from({ length: m }, () => new Float64Array(n).fill(NaN)), intercept: new Float64Array(n).fill(NaN) };
}

function setWeightsAt(out: BasketWeightSeries, fit: BasketFit, t: number): void {
  for (let i = 0; i < fit.weights.length; i++) out.weights[i][t] = fit.weights[i];
  out.intercept[t] = fit.intercept;
}
