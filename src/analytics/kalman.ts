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

/** The filter's state; `update` takes one bar (incremental use in live sessions). */
export class KalmanFilter {
  readonly params: KalmanParams;
  private b: number;
  private a: number;
  private p00: number;
  private p01: number;
  private p11: number;
  private steps = 0;

  constructor(params: Partial<KalmanParams> = {}) {
    this.params = { ...defaultKalmanParams, ...params };
    checkParams(this.params);
    [this.b, this.a] = this.params.initialState;
    [this.p00, this.p01, this.p11] = this.params.initialCovariance;
  }

  get count(): number {
    return this.steps;
  }

  get state(): { beta: number; alpha: number; covariance: [number, number, number] } {
    return { beta: this.b, alpha: this.a, covariance: [this.p00, this.p01, this.p11] };
  }

  /** Last innovation and its variance (after `update`/`step`). */
  innovation = NaN;
  innovationVariance = NaN;

  update(y: number, x: number): KalmanStep {
    if (!Number.isFinite(y) || !Number.isFinite(x)) throw new AnalyticsInputError(`Kalman update got y=${y}, x=${x}: both must be finite`);
    this.step(y, x);
    return { beta: this.b, alpha: this.a, innovation: this.innovation, innovationVariance: this.innovationVariance };
  }

  /** `update` without the input check and the result object (for batch loops over checked data). */
  step(y: number, x: number): void {
    const { delta, observationVariance: ve } = this.params;
    if (this.steps > 0) {
      const vw = delta / (1 - delta);
      this.p00 += vw;
      this.p11 += vw;
    }
    // H = [x, 1]; PHᵀ = [p00·x + p01, p01·x + p11]
    const ph0 = this.p00 * x + this.p01;
    const ph1 = this.p01 * x + this.p11;
    const q = x * ph0 + ph1 + ve;
    const e = y - (this.b * x + this.a);
    const k0 = ph0 / q;
    const k1 = ph1 / q;
    this.b += k0 * e;
    this.a += k1 * e;
    // P − K(HP), then symmetrised
    const n00 = this.p00 - k0 * ph0;
    const n01 = this.p01 - k0 * ph1;
    const n10 = this.p01 - k1 * ph0;
    const n11 = this.p11 - k1 * ph1;
    this.p00 = n00;
    this.p01 = (n01 + n10) / 2;
    this.p11 = n11;
    this.steps++;
    this.innovation = e;
    this.innovationVariance = q;
  }

  get beta(): number {
    return this.b;
  }

  get alpha(): number {
    return this.a;
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
