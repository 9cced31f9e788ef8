import { olsFit } from './ols';
import { AnalyticsInputError, type Series, assertFinite, assertMinLength, isConstant, mean, toFloat64 } from './validate';

/** Ornstein-Uhlenbeck process dX = θ(μ − X)dt + σ dW; time in the unit of `dt`. */
export interface OuParams {
  theta: number;
  mu: number;
  sigma: number;
}

export interface OuFit extends OuParams {
  /** ln 2 / θ, in the unit of `dt`. */
  halfLife: number;
  /** Standard errors from the observed information (inverse Hessian of the exact log-likelihood). */
  stdErr: { theta: number; mu: number; sigma: number; halfLife: number };
  /** Covariance of (θ, μ, σ), row-major 3×3. */
  covariance: Float64Array;
  /** Exact Gaussian log-likelihood at the optimum, conditional on the first point. */
  logLikelihood: number;
  /** Number of transitions used (points − 1). */
  nobs: number;
  dt: number;
}

export interface OuFitOptions {
  /** Bar length in the time unit of the answer (e.g. 1/86400 for one-second bars in days). Default 1 (per bar). */
  dt?: number;
}

/**
 * Exact maximum-likelihood fit of an OU process sampled every `dt`. The exact discretisation is the AR(1)
 * X_{t+1} = μ + b(X_t − μ) + ε, b = e^{−θ·dt}, Var ε = σ²(1 − b²)/(2θ), whose conditional MLE is the least-squares
 * fit. The regression is on the differences, ΔX = a + c·X + ε with c = b − 1, so that on intraday bars, where
 * θ·dt ≈ 1e-5 and b rounds to within a few ulps of 1, c keeps all its digits: θ = −log1p(c)/dt and
 * 1 − b² = −c(2 + c) never subtract two numbers near 1.
 */
export function ouFit(spread: Series, options: OuFitOptions = {}): OuFit {
  const s = toFloat64(spread);
  const dt = options.dt ?? 1;
  if (!(dt > 0 && Number.isFinite(dt))) throw new AnalyticsInputError(`OU fit dt must be a positive bar length, got ${dt}`);
  assertMinLength(s, 4, 'spread', 'the OU fit');
  assertFinite(s, 'spread');
  if (isConstant(s)) throw new AnalyticsInputError('spread is constant: an OU fit needs a series that moves');
  const n = s.length - 1;
  const lagged = s.subarray(0, n);
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = s[i + 1] - s[i];
  const { beta: c, intercept, sxx, sxy: sxd, syy: sdd } = olsFit(diff, lagged);
  const xBar = mean(lagged, 0, n);
  if (!(sxx > 0)) throw new AnalyticsInputError('spread is constant before its last point: an OU fit needs a series that moves');
  if (!(c < 0)) throw new AnalyticsInputError(`the spread shows no mean reversion (AR(1) coefficient 1 + ${c} ≥ 1): an OU fit is undefined; use a longer or stationary spread`);
  if (!(c > -1)) throw new AnalyticsInputError(`the spread alternates bar to bar (AR(1) coefficient ${1 + c} ≤ 0), which no OU process sampled every dt produces: use longer bars`);
  const v = Math.max((sdd - c * sxd) / n, 0);
  const theta = -Math.log1p(c) / dt;
  const mu = intercept / -c;
  const oneMinusB2 = -c * (2 + c);
  const sigma = Math.sqrt((v * 2 * theta) / oneMinusB2);

  // delta method from (c, μ-of-regression, v); exact for the observed information at the optimum
  const varC = v / sxx;
  const dThetaDc = -1 / ((1 + c) * dt);
  const varMu = (v / (c * c)) * (1 / n + ((xBar - mu) * (xBar - mu)) / sxx);
  const covMuC = (v / -c) * ((mu - xBar) / sxx);
  const g = 0.5 * (dThetaDc / theta - 1 / c - 1 / (2 + c)); // ∂ln σ/∂c
  const varV = (2 * v * v) / n;
  const varSigma = sigma * sigma * (varV / (4 * v * v) + g * g * varC);
  const cov = new Float64Array(9);
  cov[0] = dThetaDc * dThetaDc * varC;
  cov[4] = varMu;
  cov[8] = varSigma;
  cov[1] = cov[3] = dThetaDc * covMuC;
  cov[2] = cov[6] = dThetaDc * sigma * g * varC;
  cov[5] = cov[7] = sigma * g * covMuC;
  const seTheta = Math.sqrt(cov[0]);
  const halfLife = Math.LN2 / theta;
  return {
    theta,
    mu,
    sigma,
    halfLife,
    stdErr: { theta: seTheta, mu: Math.sqrt(varMu), sigma: Math.sqrt(varSigma), halfLife: (halfLife * seTheta) / theta },
    covariance: cov,
    logLikelihood: v > 0 ? -0.5 * n * (Math.log(2 * Math.PI) + Math.log(v) + 1) : Infinity,
    nobs: n,
    dt,
  };
}

/** Exact OU log-likelihood of a path (conditional on its first point) at given parameters. */
export function ouLogLikelihood(spread: Series, params: OuParams, dt = 1): number {
  const s = toFloat64(spread);
  checkOuParams(params);
  const { theta, mu, sigma } = params;
  const em1 = Math.expm1(-theta * dt); // b − 1
  const variance = (sigma * sigma * -Math.expm1(-2 * theta * dt)) / (2 * theta);
  let ss = 0;
  for (let i = 0; i + 1 < s.length; i++) {
    const e = s[i + 1] - s[i] - em1 * (s[i] - mu);
    ss += e * e;
  }
  const n = s.length - 1;
  return -0.5 * (n * Math.log(2 * Math.PI * variance) + ss / variance);
}

export function checkOuParams(p: OuParams): void {
  if (!(p.theta > 0 && Number.isFinite(p.theta))) throw new AnalyticsInputError(`OU theta (mean-reversion speed) must be positive and finite, got ${p.theta}`);
  if (!Number.isFinite(p.mu)) throw new AnalyticsInputError(`OU mu (long-run mean) must be finite, got ${p.mu}`);
  if (!(p.sigma > 0 && Number.isFinite(p.sigma))) throw new AnalyticsInputError(`OU sigma (volatility) must be positive and finite, got ${p.sigma}`);
}
