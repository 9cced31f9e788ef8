import { type OuParams, checkOuParams } from './ouFit';
import { bisect, dawson, erfi, powerGaussianIntegral } from './ouSpecial';
import { AnalyticsInputError } from './validate';

function checkCost(cost: number): void {
  if (!(cost >= 0 && Number.isFinite(cost))) throw new AnalyticsInputError(`transaction cost must be a finite number ≥ 0 (in spread units per round trip), got ${cost}`);
}

/**
 * Bertram (2010): enter at `entry`, exit at `exit` > entry, wait for `entry` again. The expected cycle time is
 * E[T] = π/θ · (erfi((exit − μ)√θ/σ) − erfi((entry − μ)√θ/σ)) and the expected return per unit time
 * (exit − entry − cost)/E[T].
 */
export function bertramExpectedReturn(ou: OuParams, entry: number, exit: number, cost = 0): { expectedReturn: number; expectedCycleTime: number } {
  checkOuParams(ou);
  checkCost(cost);
  if (!(exit > entry)) throw new AnalyticsInputError(`Bertram exit level (${exit}) must be above the entry level (${entry})`);
  const k = Math.sqrt(ou.theta) / ou.sigma;
  const cycle = (Math.PI / ou.theta) * (erfi((exit - ou.mu) * k) - erfi((entry - ou.mu) * k));
  return { expectedReturn: (exit - entry - cost) / cycle, expectedCycleTime: cycle };
}

export interface BertramLevels {
  /** Buy the spread here (μ − m*). */
  entry: number;
  /** Sell it here (μ + m*). */
  exit: number;
  expectedReturn: number;
  expectedCycleTime: number;
}

/**
 * Levels maximising Bertram's expected return per unit time. The optimum is symmetric about μ (Bertram 2010);
 * with m = m'·σ/√θ and c' = cost·√θ/σ its first-order condition reduces to D(m') = m' − c'/2 (D Dawson's integral),
 * whose left side minus right side falls strictly from c'/2 > 0 at m' = c'/2 to below zero by m' = c'/2 + 1.
 */
export function bertramLevels(ou: OuParams, cost: number): BertramLevels {
  checkOuParams(ou);
  checkCost(cost);
  if (cost === 0) throw new AnalyticsInputError('Bertram levels need a transaction cost > 0: without costs the best levels collapse onto μ (infinitely many round trips)');
  const scale = ou.sigma / Math.sqrt(ou.theta);
  const c = cost / scale;
  const m = bisect((x) => dawson(x) - x + c / 2, c / 2, c / 2 + 1) * scale;
  const entry = ou.mu - m;
  const exit = ou.mu + m;
  return { entry, exit, ...bertramExpectedReturn(ou, entry, exit, cost) };
}

export interface LeungLiOptions {
  /** Discount rate r > 0 per unit time (the unit of θ). */
  discountRate: number;
  /** Transaction cost c ≥ 0 per entry and per exit, in spread units. */
  cost?: number;
  /** Optional stop-loss level L: the position is closed if the spread falls to L. */
  stopLoss?: number;
}

export interface LeungLiLevels {
  /** Enter (buy the spread) when it is at or below this level (and, with a stop-loss, at or above `entryLower`). */
  entry: number;
  /** Lower edge of the entry region with a stop-loss (−Infinity without). NaN when entering never pays. */
  entryLower: number;
  /** Take profit at or above this level. */
  exit: number;
  stopLoss: number;
  /** Value of the exit problem V(x) (holding one unit of spread), for plotting or checks. */
  exitValue: (x: number) => number;
  /** Value of the entry problem J(x) (flat, may enter). */
  entryValue: (x: number) => number;
}

/**
 * Leung & Li (2015) optimal stopping of an OU spread with discounting r and cost c: exit at b* solving
 * F(b) = (b − c)F'(b), enter at d* solving G(d)(V'(d) − 1) = G'(d)(V(d) − d − c), with
 * F(x) = ∫₀^∞ u^{r/θ−1} e^{√(2θ/σ²)(x−μ)u − u²/2} du and G the same with (μ − x). With a stop-loss L the exit value
 * on (L, b*) is C·F + D·G through (L, L − c) and (b*, b* − c) with smooth fit at b*, and the entry region becomes
 * the interval [a*, d*] (smooth fit of J at both ends).
 */
export function leungLiLevels(ou: OuParams, options: LeungLiOptions): LeungLiLevels {
  checkOuParams(ou);
  const r = options.discountRate;
  if (!(r > 0 && Number.isFinite(r))) throw new AnalyticsInputError(`Leung-Li discountRate must be a positive rate per unit time, got ${r}`);
  const c = options.cost ?? 0;
  checkCost(c);
  const L = options.stopLoss ?? -Infinity;
  if (Number.isNaN(L) || L >= ou.mu) throw new AnalyticsInputError(`Leung-Li stopLoss must be below the long-run mean μ = ${ou.mu}, got ${L}`);
  const k = r / ou.theta;
  const kappa = Math.sqrt(2 * ou.theta) / ou.sigma;
  const sd = 1 / kappa; // stationary std σ/√(2θ)
  const F = (x: number) => powerGaussianIntegral(k - 1, kappa * (x - ou.mu));
  const dF = (x: number) => kappa * powerGaussianIntegral(k, kappa * (x - ou.mu));
  const G = (x: number) => powerGaussianIntegral(k - 1, kappa * (ou.mu - x));
  const dG = (x: number) => -kappa * powerGaussianIntegral(k, kappa * (ou.mu - x));
  const hi = ou.mu + 30 * sd;

  let exitValue: (x: number) => number;
  let dExitValue: (x: number) => number;
  let b: number;
  if (L === -Infinity) {
    b = bisect((x) => F(x) - (x - c) * dF(x), Math.min(c, ou.mu) - 30 * sd, hi);
    const scale = (b - c) / F(b);
    exitValue = (x) => (x < b ? scale * F(x) : x - c);
    dExitValue = (x) => (x < b ? scale * dF(x) : 1);
  } else {
    const fL = F(L);
    const gL = G(L);
    const coefficients = (y: number): [number, number] => {
      const fy = F(y);
      const gy = G(y);
      const den = fy * gL - fL * gy;
      return [((y - c) * gL - (L - c) * gy) / den, ((L - c) * fy - (y - c) * fL) / den];
    };
    const smoothFit = (y: number) => {
      const [C, D] = coefficients(y);
      return C * dF(y) + D * dG(y) - 1;
    };
    b = bisect(smoothFit, ...(firstSignChange(smoothFit, L, hi, sd / 8) ?? noLevel()));
    const [C, D] = coefficients(b);
    exitValue = (x) => (x <= L || x >= b ? x - c : C * F(x) + D * G(x));
    dExitValue = (x) => (x <= L || x >= b ? 1 : C * dF(x) + D * dG(x));
  }

  // entry from above: maximise (V(d) − d − c)/G(d); its derivative's sign is that of hd
  const hd = (d: number) => G(d) * (dExitValue(d) - 1) - dG(d) * (exitValue(d) - d - c);
  const lo = L === -Infinity ? ou.mu - 30 * sd : L;
  const dBracket = firstSignChangeDown(hd, b, lo, sd / 8);
  if (dBracket === null) {
    return { entry: NaN, entryLower: NaN, exit: b, stopLoss: L, exitValue, entryValue: () => 0 };
  }
  const d = bisect(hd, ...dBracket);
  const payoffD = (exitValue(d) - d - c) / G(d);
  let a = -Infinity;
  let payoffA = 0;
  if (L !== -Infinity) {
    const ha = (y: number) => F(y) * (dExitValue(y) - 1) - dF(y) * (exitValue(y) - y - c);
    const aBracket = firstSignChange(ha, L, d, sd / 64);
    // no sign change: the ratio rises all the way to d* (enter only at d*) or falls from L (enter anywhere above L)
    a = aBracket !== null ? bisect(ha, ...aBracket) : ha(d - sd * 1e-6) > 0 ? d : L;
    payoffA = (exitValue(a) - a - c) / F(a);
  }
  const entryValue = (x: number) => (x > d ? payoffD * G(x) : x < a ? payoffA * F(x) : exitValue(x) - x - c);
  return { entry: d, entryLower: a, exit: b, stopLoss: L, exitValue, entryValue };
}

function noLevel(): never {
  throw new AnalyticsInputError('Leung-Li: no optimal exit level found within μ ± 30 stationary std; check θ, σ, r and the stop-loss');
}

/** Scanning up from lo, the first bracket [p, p + step] where f changes sign; null if none below hi. */
function firstSignChange(f: (x: number) => number, lo: number, hi: number, step: number): [number, number] | null {
  let x = lo + step * 1e-3;
  let fx = f(x);
  while (x < hi) {
    const next = Math.min(x + step, hi);
    const fn = f(next);
    if (fn > 0 !== fx > 0) return [x, next];
    x = next;
    fx = fn;
  }
  return null;
}

/** Scanning down from hi, the first bracket where f changes sign; null if none above lo. */
function firstSignChangeDown(f: (x: number) => number, hi: number, lo: number, step: number): [number, number] | null {
  let x = hi - step * 1e-3;
  let fx = f(x);
  while (x > lo) {
    const next = Math.max(x - step, lo + step * 1e-3);
    const fn = f(next);
    if (fn > 0 !== fx > 0) return [next, x];
    if (next <= lo + step * 1e-3) break;
    x = next;
    fx = fn;
  }
  return null;
}
