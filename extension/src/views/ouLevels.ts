// The Ornstein-Uhlenbeck levels the kernel fits to the spread (Bertram's, in z units), as the Spread tab shows them
// and as the Backtest tab's "Use OU levels" turns them into an entry/exit rule.
import type { OuCardData } from '../protocol';
import { roughDuration } from './warmup';

const NO_OU = 'This kernel sends no OU fit; restart it to load the current kernel library.';

export interface IOuCardTexts {
  halfLife: string;
  levels: string;
  /** Under the levels card: what the levels are, or why there are none. */
  note: string;
  /** Under the half-life card: only when it has no value. */
  halfLifeNote?: string;
}

/**
 * Card texts. `ou` is null before the first snapshot and undefined from a kernel without the fit. While the view warms
 * up (`waiting`, e.g. "needs 120 bars, 30 so far") the values are "—" with that note; when the fit refused, "no fit"
 * with its reason. Never "undefined" or "NaN".
 */
export function ouCardTexts(ou: OuCardData | null | undefined, waiting?: string): IOuCardTexts {
  const without = (value: string, note: string): IOuCardTexts => ({ halfLife: value, levels: value, note, halfLifeNote: note });
  if (ou === undefined) return without('n/a', NO_OU);
  if (ou === null || ou.reason !== null || ou.entryZ === null || ou.exitZ === null || ou.halfLifeSeconds === null) {
    if (waiting || ou === null) return without('—', waiting ?? '');
    return without('no fit', `No OU levels: ${ou.reason ?? 'the fit gave no finite levels'}`);
  }
  const signed = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(2)}`;
  return {
    halfLife: roughDuration(ou.halfLifeSeconds * 1000),
    levels: `${signed(ou.entryZ)} / ${signed(ou.exitZ)}`,
    note: 'Bertram: buy at one level, sell at the other; cost 2 × 5 bps of Y. As (level − μ)/σ∞, approximate against the rolling z.',
  };
}

/** The form's limits on |z| thresholds. */
export const Z_LIMIT = 20;

/**
 * Entry and exit thresholds for the panel's rule from the OU levels, rounded to 0.01. Bertram buys at −|z*| and sells at
 * +|z*| (the mirror level, symmetric about the mean): entry |z*| and exit −|z*|, i.e. a long entered below −entry exits
 * above +entry (and a short the other way). A `reason` instead when the levels cannot be used.
 */
export function ouStrategyLevels(ou: OuCardData | undefined): { entry: number; exit: number } | { reason: string } {
  if (!ou) return { reason: NO_OU };
  if (ou.reason !== null || ou.entryZ === null) return { reason: `No OU levels to use: ${ou.reason ?? 'the fit gave no finite levels'}` };
  const entry = Math.round(Math.abs(ou.entryZ) * 100) / 100;
  if (!(entry > 0)) return { reason: `The OU entry level |z| ${Math.abs(ou.entryZ).toPrecision(2)} rounds to 0: it is too close to the mean to trade on (costs are small against the spread's noise).` };
  if (entry > Z_LIMIT) return { reason: `The OU entry level |z| ${entry.toFixed(2)} is beyond the form's limit of ${Z_LIMIT}: the fit is unreliable on this window (costs large against the spread's noise).` };
  return { entry, exit: -entry };
}
