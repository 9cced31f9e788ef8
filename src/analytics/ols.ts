import { AnalyticsInputError, type Series, finitePair, mean } from './validate';

/** Ordinary least squares of y on x with intercept, as statsmodels `OLS(y, add_constant(x))`. */
export interface OlsResult {
  beta: number;
  intercept: number;
  /** 1 − SSR/centred TSS (y is refused when constant, so this is always defined). */
  rSquared: number;
  residuals: Float64Array;
  /** Standard errors (statsmodels `bse`) of the slope and the intercept. */
  stdErrBeta: number;
  stdErrIntercept: number;
  tBeta: number;
  tIntercept: number;
  ssr: number;
  nobs: number;
}

/** Slope/intercept of y on x over [from, to) using centred sums (exact for price levels ~1e4). */
export function olsFit(y: ArrayLike<number>, x: ArrayLike<number>, from = 0, to = y.length): { beta: number; intercept: number; sxx: number; syy: number; sxy: number } {
  const my = mean(y, from, to);
  const mx = mean(x, from, to);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const beta = sxy / sxx;
  return { beta, intercept: my - beta * mx, sxx, syy, sxy };
}

export function ols(y: Series, x: Series): OlsResult {
  const [yf, xf] = finitePair(y, x, 3, 'OLS with intercept');
  const n = yf.length;
  const { beta, intercept, sxx, syy } = olsFit(yf, xf);
  if (!(sxx > 0)) throw new AnalyticsInputError('x is constant: the OLS slope is undefined; pick a regressor that varies');
  if (!(syy > 0)) throw new AnalyticsInputError('y is constant: the OLS fit is degenerate (zero residuals, R² and t undefined); pick a series that varies');
  const residuals = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const r = yf[i] - intercept - beta * xf[i];
    residuals[i] = r;
    ssr += r * r;
  }
  const mx = mean(xf);
  const sigma2 = ssr / (n - 2);
  const stdErrBeta = Math.sqrt(sigma2 / sxx);
  const stdErrIntercept = Math.sqrt(sigma2 * (1 / n + (mx * mx) / sxx));
  return {
    beta,
    intercept,
    rSquared: 1 - ssr / syy,
    residuals,
    stdErrBeta,
    stdErrIntercept,
    tBeta: beta / stdErrBeta,
    tIntercept: intercept / stdErrIntercept,
    ssr,
    nobs: n,
  };
}
