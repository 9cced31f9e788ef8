// Rolling cointegration stability of a pair: the Engle-Granger p-value (y on x, constant, AIC lags, as statsmodels'
// coint) over the trailing `window` bars, re-evaluated at scheduled bars, and since when it has stayed below `pMax`.
import { coint } from '../../../src/analytics';
import { scheduledAmong } from '../analysis/phase';

export interface StabilitySettings {
  /** Trailing bars of each test. */
  window: number;
  /** Bars between tests; a pair tests at bars whose bucket number is `phase` modulo this. */
  every: number;
  /** The p-value a pair must stay below to count as cointegrated. */
  pMax: number;
}

/** The latest test and the run of tests below `pMax` it belongs to. */
export interface Stability {
  /** NaN before the first test (fewer than `window` bars), or when the test is undefined (a constant leg). */
  pValue: number;
  /** Bar time of the latest test; NaN before the first. */
  checkedAt: number;
  /** Bar time of the first test of the current run below `pMax`; NaN when the latest test is not below it. */
  belowSince: number;
  /** Tests made. */
  checks: number;
}

/** Tests on a first load reach back at most this many scheduled bars (the rest of the history is not tested). */
export const STABILITY_BACKFILL = 10;

/** The Engle-Granger p-value of y on x over bars [end − window + 1, end]; NaN when it cannot be computed. */
export function cointPValueAt(y: Float64Array, x: Float64Array, end: number, window: number): number {
  if (end + 1 < window) return NaN;
  try {
    return coint(y.subarray(end - window + 1, end + 1), x.subarray(end - window + 1, end + 1)).pValue;
  } catch {
    return NaN;
  }
}

/** Keeps a pair's stability current as bars arrive. */
export class StabilityTracker {
  private state: Stability = { pValue: NaN, checkedAt: NaN, belowSince: NaN, checks: 0 };

  constructor(readonly settings: StabilitySettings, readonly phase: number, readonly timeframeMs: number) {}

  get current(): Stability {
    return { ...this.state };
  }

  /** Whether the bar starting at `time` is a scheduled test bar of this pair. */
  scheduled(time: number): boolean {
    return scheduledAmong([time], this.timeframeMs, this.settings.every, this.phase);
  }

  /**
   * Tests at every scheduled bar of `time` after the latest test (at most {@link STABILITY_BACKFILL} of them on the
   * first call), each on the `window` bars ending there; returns whether anything changed. The newest bar is still
   * forming, so a bar is tested once the next one exists.
   */
  update(time: Float64Array, y: Float64Array, x: Float64Array): boolean {
    const { window, pMax } = this.settings;
    const due: number[] = [];
    for (let i = time.length - 2; i >= window - 1 && !(time[i] <= this.state.checkedAt); i--) {
      if (this.scheduled(time[i])) due.push(i);
      if (this.state.checks === 0 && due.length === STABILITY_BACKFILL) break;
    }
    if (due.length === 0) return false;
    for (const i of due.reverse()) {
      const p = cointPValueAt(y, x, i, window);
      const below = p < pMax;
      this.state = {
        pValue: p,
        checkedAt: time[i],
        belowSince: below ? (Number.isNaN(this.state.belowSince) ? time[i] : this.state.belowSince) : NaN,
        checks: this.state.checks + 1,
      };
    }
    return true;
  }
}
