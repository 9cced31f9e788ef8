// The Ornstein-Uhlenbeck card of a pair view: an exact OU fit of the spread over the test bars and Bertram's
// levels, in spread units and in z units, so the panel can draw them next to its z thresholds.
import { AnalyticsInputError, bertramLevels, ouFit } from '../../../src/analytics';

/** The fee per fill the card's levels assume (Binance USD-M regular taker tier). */
export const OU_FEE_BPS = 5;

/** OU fit (time in seconds) and Bertram's levels; every number NaN and `reason` set when the fit or the levels refuse. */
export interface OuCard {
  /** Mean-reversion speed θ, per second. */
  theta: number;
  halfLifeSeconds: number;
  mu: number;
  sigma: number;
  /** Bertram's buy level μ − m and sell level μ + m, spread units. */
  entry: number;
  exit: number;
  /** Round-trip cost the levels assume, spread units. */
  cost: number;
  /**
   * The levels as (level − μ)/σ∞ with σ∞ = σ/√(2θ), the OU stationary std: entryZ = −exitZ. The panel's z uses a
   * rolling mean and std, so comparing them is approximate.
   */
  entryZ: number;
  exitZ: number;
  reason: string | null;
}

function refused(reason: string): OuCard {
  return { theta: NaN, halfLifeSeconds: NaN, mu: NaN, sigma: NaN, entry: NaN, exit: NaN, cost: NaN, entryZ: NaN, exitZ: NaN, reason };
}

/**
 * The card for `spread` sampled every `barSeconds`. The round-trip cost is 2 × fee × yPrice: one unit of spread holds
 * one unit of y, whose fee is paid at entry and at exit (the x leg's fee is left out, so the levels are slightly tight).
 */
export function ouCard(spread: Float64Array, barSeconds: number, yPrice: number, feeBps = OU_FEE_BPS): OuCard {
  try {
    const fit = ouFit(spread, { dt: barSeconds });
    const cost = (2 * feeBps * yPrice) / 10_000;
    const levels = bertramLevels(fit, cost);
    const sdInf = fit.sigma / Math.sqrt(2 * fit.theta);
    return {
      theta: fit.theta, halfLifeSeconds: fit.halfLife, mu: fit.mu, sigma: fit.sigma, entry: levels.entry, exit: levels.exit, cost,
      entryZ: (levels.entry - fit.mu) / sdInf, exitZ: (levels.exit - fit.mu) / sdInf, reason: null,
    };
  } catch (e) {
    if (e instanceof AnalyticsInputError) return refused(e.message);
    throw e;
  }
}
