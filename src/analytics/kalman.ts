import { AnalyticsInputError, type Series, finitePair } from './validate';

/**
 * Kalman-filter hedge ratio: state θ_t = [β_t, α_t] follows a random walk with covariance Vw·I,
 * Vw = δ/(1−δ); observation y_t = β_t·x_t + α_t + v_t, v ~ N(0, Ve). Outputs are filtered values
 * (they use bars up to and including t only).
 */
export interface KalmanParams {
  /** Transition parameter δ in (0, 1); Vw = δ/(1−δ). Default 1e-4. */
  delta: number;
  /** Observation noise variance Ve. Default 1e-3 (scale it with price² for large prices). */
  observationVariance: number;
  /** Initial state [β, α]. Default [0, 0]. */
  initialState: readonly [number, number];
  /** Initial covariance P0 as [p00, p01, p11] (symmetric 2×2). Default identity. */
  initialCovariance: readonly [number, number, number];
}

export const defaultKalmanParams: KalmanParams = {
  delta: 1e-4,
  observationVariance: 1e-3,
  initialState: [0, 0],
  initialCovariance: [1, 0, 1],
};

export interface KalmanStep {
  beta: number;
  alpha: number;
  /** Innovation e_t = y_t − (β_{t|t−1}·x_t + α_{t|t−1}). */
  innovation: number;
  /** Innovation variance Q_t. */
  innovationVariance: number;
}

export interface KalmanResult {
  beta: Float64Array;
  alpha: Float64Array;
  innovation: Float64Array;
  innovationVariance: Float64Array;
  /** Final filter, ready to take the next bar. */
  filter: KalmanFilter;
}

function checkParams(p: KalmanParams): void {
  if (!(p.delta > 0 && p.delta < 1)) throw new AnalyticsInputError(`Kalman delta must be in (0, 1), got ${p.delta}`);
  if (!(p.observationVariance > 0)) throw new AnalyticsInputError(`Kalman observationVariance must be > 0, got ${p.observationVariance}`);
  const [p00, p01, p11] = p.initialCovariance;
  if (!(p00 > 0 && p11 > 0 && p00 * p11 - p01 * p01 > 0)) throw new AnalyticsInputError('Kalman initialCovariance [p00, p01, p11] must be positive definite');
  if (!p.initialState.every(Number.isFinite)) throw new AnalyticsInputError('Kalman initialState must be finite');
}

// slots of the filter's state vector
const B = 0, A = 1, P00 = 2, P01 = 3, P11 = 4, INNOVATION = 5, INNOVATION_VARIANCE = 6;

/** The filter's state; `update` takes one bar (incremental use in live sessions). */
export class KalmanFilter {
  readonly params: KalmanParams;
  // numbers in a typed array, not fields: a double written to a field is boxed on the heap, once per bar per field
  private readonly s = new Float64Array(7);
  private steps = 0;

  constructor(params: Partial<KalmanParams> = {}) {
    this.params = { ...defaultKalmanParams, ...params };
    checkParams(this.params);
    const s = this.s;
    [s[B], s[A]] = this.params.initialState;
    [s[P00], s[P01], s[P11]] = this.params.initialCovariance;
    s[INNOVATION] = NaN;
    s[INNOVATION_VARIANCE] = NaN;
  }

  get count(): number {
    return this.steps;
  }

  get state(): { beta: number; alpha: number; covariance: [number, number, number] } {
    const s = this.s;
    return { beta: s[B], alpha: s[A], covariance: [s[P00], s[P01], s[P11]] };
  }

  /** Last innovation e_t (after `update`/`step`). */
  get innovation(): number {
    return this.s[INNOVATION];
  }

  /** Last innovation variance Q_t (after `update`/`step`). */
  get innovationVariance(): number {
    return this.s[INNOVATION_VARIANCE];
  }

  update(y: number, x: number): KalmanStep {
    if (!Number.isFinite(y) || !Number.isFinite(x)) throw new AnalyticsInputError(`Kalman update got y=${y}, x=${x}: both must be finite`);
    this.step(y, x);
    const s = this.s;
    return { beta: s[B], alpha: s[A], innovation: s[INNOVATION], innovationVariance: s[INNOVATION_VARIANCE] };
  }

  /** `update` without the input check and the result object (for batch loops over checked data). */
  step(y: number, x: number): void {
    const s = this.s;
    let p00 = s[P00];
    let p11 = s[P11];
    const p01 = s[P01];
    if (this.steps > 0) {
      const delta = this.params.delta;
      const vw = delta / (1 - delta);
      p00 += vw;
      p11 += vw;
    }
    // H = [x, 1]; PHᵀ = [p00·x + p01, p01·x + p11]
    const ph0 = p00 * x + p01;
    const ph1 = p01 * x + p11;
    const q = x * ph0 + ph1 + this.params.observationVariance;
    const e = y - (s[B] * x + s[A]);
    const k0 = ph0 / q;
    const k1 = ph1 / q;
    s[B] += k0 * e;
    s[A] += k1 * e;
    // P − K(HP), then symmetrised
    const n01 = p01 - k0 * ph1;
    const n10 = p01 - k1 * ph0;
    s[P00] = p00 - k0 * ph0;
    s[P01] = (n01 + n10) / 2;
    s[P11] = p11 - k1 * ph1;
    this.steps++;
    s[INNOVATION] = e;
    s[INNOVATION_VARIANCE] = q;
  }

  get beta(): number {
    return this.s[B];
  }

  get alpha(): number {
    return this.s[A];
  }
}

export function kalmanHedge(y: Series, x: Series, params: Partial<KalmanParams> = {}): KalmanResult {
  const [yf, xf] = finitePair(y, x, 1, 'the Kalman hedge ratio');
  const filter = new KalmanFilter(params);
  const n = yf.length;
  const out: KalmanResult = {
    beta: new Float64Array(n),
    alpha: new Float64Array(n),
    innovation: new Float64Array(n),
    innovationVariance: new Float64Array(n),
    filter,
  };
  for (let i = 0; i < n; i++) {
    filter.step(yf[i], xf[i]);
    out.beta[i] = filter.beta;
    out.alpha[i] = filter.alpha;
    out.innovation[i] = filter.innovation;
    out.innovationVariance[i] = filter.innovationVariance;
  }
  return out;
}
