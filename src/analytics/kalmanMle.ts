import { KalmanFilter, type KalmanParams, defaultKalmanParams } from './kalman';
import { AnalyticsInputError, type Series, finitePair } from './validate';

const LN_2PI = Math.log(2 * Math.PI);

/**
 * Gaussian log-likelihood of the Kalman hedge's innovations (prediction-error decomposition):
 * Σ −½(ln 2π + ln Q_t + e_t²/Q_t), from the same filter `kalmanHedge` runs, every bar included.
 */
export function kalmanLogLikelihood(y: Series, x: Series, params: Partial<KalmanParams> = {}): number {
  const [yf, xf] = finitePair(y, x, 2, 'the Kalman log-likelihood');
  return logLikelihood(yf, xf, { ...defaultKalmanParams, ...params });
}

function logLikelihood(y: Float64Array, x: Float64Array, params: KalmanParams): number {
  const filter = new KalmanFilter(params);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    filter.step(y[i], x[i]);
    const q = filter.innovationVariance;
    const e = filter.innovation;
    sum += Math.log(q) + (e * e) / q;
  }
  return -0.5 * (y.length * LN_2PI + sum);
}

export interface KalmanMleOptions {
  /** Fixed, not fitted: the filter's initial state and covariance (defaults as `kalmanHedge`). */
  initialState?: readonly [number, number];
  initialCovariance?: readonly [number, number, number];
}

export interface KalmanMleResult {
  delta: number;
  observationVariance: number;
  /** Standard errors from the inverse Hessian of the log-likelihood at the optimum. */
  stdErr: { delta: number; observationVariance: number };
  logLikelihood: number;
  /** The fitted parameters, ready for `kalmanHedge(y, x, params)`. */
  params: KalmanParams;
  iterations: number;
  converged: boolean;
}

const H = 1e-4; // finite-difference step in log-parameters

/**
 * Maximum-likelihood δ and observation variance Ve of the Kalman hedge. Works in z = (ln Vw, ln Ve), Vw = δ/(1−δ):
 * a coarse grid for the start, then Newton steps with central-difference derivatives and step halving.
 */
export function kalmanMle(y: Series, x: Series, options: KalmanMleOptions = {}): KalmanMleResult {
  const [yf, xf] = finitePair(y, x, 10, 'the Kalman maximum-likelihood fit');
  const base = {
    ...defaultKalmanParams,
    ...(options.initialState ? { initialState: options.initialState } : {}),
    ...(options.initialCovariance ? { initialCovariance: options.initialCovariance } : {}),
  };
  const toParams = (z0: number, z1: number): KalmanParams => {
    const vw = Math.exp(z0);
    return { ...base, delta: vw / (1 + vw), observationVariance: Math.exp(z1) };
  };
  const f = (z0: number, z1: number): number => {
    const p = toParams(z0, z1);
    if (!(p.delta > 0 && p.delta < 1 && p.observationVariance > 0 && Number.isFinite(p.observationVariance))) return -Infinity;
    return logLikelihood(yf, xf, p);
  };
  new KalmanFilter(base); // validates the fixed initial state and covariance before the search

  let scale = 0;
  for (let i = 1; i < yf.length; i++) scale += (yf[i] - yf[i - 1]) ** 2;
  scale = Math.log(Math.max(scale / (yf.length - 1), 1e-300));
  let z: [number, number] = [0, 0];
  let best = -Infinity;
  for (let a = -30; a <= 2; a += 2) {
    for (let b = scale - 14; b <= scale + 2; b += 2) {
      const v = f(a, b);
      if (v > best) {
        best = v;
        z = [a, b];
      }
    }
  }
  if (!Number.isFinite(best)) throw new AnalyticsInputError('Kalman MLE: the log-likelihood is not finite anywhere on the start grid; check y and x for extreme values');

  let converged = false;
  let iterations = 0;
  let d = derivatives(f, z, best);
  for (; iterations < 200 && !converged; iterations++) {
    let step = newtonStep(d);
    let t = 1;
    let next = -Infinity;
    for (let k = 0; k < 60; k++) {
      next = f(z[0] + t * step[0], z[1] + t * step[1]);
      if (next >= best) break;
      t /= 2;
    }
    if (!(next >= best)) {
      converged = true;
      break;
    }
    step = [t * step[0], t * step[1]];
    z = [z[0] + step[0], z[1] + step[1]];
    const gain = next - best;
    best = next;
    d = derivatives(f, z, best);
    if (Math.hypot(step[0], step[1]) < 1e-9 || gain <= 1e-13 * Math.abs(best)) converged = true;
  }

  const params = toParams(z[0], z[1]);
  // covariance of z from −H⁻¹, mapped by dδ/dz0 = δ(1 − δ), dVe/dz1 = Ve (the gradient is zero at the optimum)
  const det = d.h00 * d.h11 - d.h01 * d.h01;
  const var0 = -d.h11 / det;
  const var1 = -d.h00 / det;
  return {
    delta: params.delta,
    observationVariance: params.observationVariance,
    stdErr: {
      delta: params.delta * (1 - params.delta) * Math.sqrt(var0),
      observationVariance: params.observationVariance * Math.sqrt(var1),
    },
    logLikelihood: best,
    params,
    iterations,
    converged,
  };
}

interface Derivatives {
  g0: number;
  g1: number;
  h00: number;
  h01: number;
  h11: number;
}

function derivatives(f: (a: number, b: number) => number, z: [number, number], center: number): Derivatives {
  const [a, b] = z;
  const fa1 = f(a + H, b);
  const fa0 = f(a - H, b);
  const fb1 = f(a, b + H);
  const fb0 = f(a, b - H);
  const cross = f(a + H, b + H) - f(a + H, b - H) - f(a - H, b + H) + f(a - H, b - H);
  return {
    g0: (fa1 - fa0) / (2 * H),
    g1: (fb1 - fb0) / (2 * H),
    h00: (fa1 - 2 * center + fa0) / (H * H),
    h11: (fb1 - 2 * center + fb0) / (H * H),
    h01: cross / (4 * H * H),
  };
}

/** Newton ascent step −H⁻¹g when H is negative definite, else a gradient step of at most 1 in log-parameters. */
function newtonStep(d: Derivatives): [number, number] {
  const det = d.h00 * d.h11 - d.h01 * d.h01;
  if (d.h00 < 0 && det > 0) {
    return [-(d.h11 * d.g0 - d.h01 * d.g1) / det, -(-d.h01 * d.g0 + d.h00 * d.g1) / det];
  }
  const norm = Math.hypot(d.g0, d.g1) || 1;
  return [d.g0 / norm, d.g1 / norm];
}
