// What each chart and card of a young pair view waits for, in words a user can act on: how many bars it needs, how
// many there are, and about how long that takes at this bar length. Pure functions of the controls and the metric
// cards the kernel sent (browser code with no DOM, unit-tested).
import type { HedgeMethod, MetricCards } from '../protocol';

export interface IWarmupState {
  /** Bars the view holds. */
  bars: number;
  timeframe: string;
  /** Rolling window of the z-score and correlation, bars. */
  window: number;
  hedge: HedgeMethod;
  metrics: MetricCards | null;
}

/** What a statistic needs before it has a value. */
export type Statistic = 'hedge' | 'spread' | 'zscore' | 'correlation' | 'tests';

import { timeframeMs } from '../timeframe';

export { timeframeMs };

/** A rough duration for a user: "about 40 s", "about 5 min", "about 11 h", "about 3 days". */
export function roughDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'moments';
  const s = ms / 1000;
  if (s < 90) return `about ${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `about ${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `about ${Math.round(s / 3600)} h`;
  return `about ${Math.round(s / 86_400)} days`;
}

/** Bars before the first hedge fit, as the kernel reported them (NaN before its first reply). */
function hedgeMinBars(st: IWarmupState): number {
  if (st.hedge === 'kalman') return 1;
  const sent = st.metrics?.hedgeMinBars;
  return typeof sent === 'number' ? sent : NaN;
}

/** Bars a statistic needs before its first value. */
export function barsNeeded(st: IWarmupState, what: Statistic): number {
  const hedge = hedgeMinBars(st);
  switch (what) {
    case 'hedge':
    case 'spread':
      return hedge;
    case 'zscore':
      return hedge + st.window - 1;
    case 'correlation':
      return st.window + 2;
    case 'tests':
      // the ADF with its lag search and the half-life need some spread values beyond the first fit
      return hedge + 20;
  }
}

const LABEL: Record<Statistic, string> = {
  hedge: 'Hedge ratio', spread: 'Spread', zscore: 'z-score', correlation: 'Rolling correlation', tests: 'ADF and half-life',
};

/**
 * What `what` waits for, e.g. "z-score: needs 119 bars (60 for the first hedge fit, then 60 spread values), 12 so
 * far — about 2 min at 1s." Empty when it has enough bars (a missing value then has another cause).
 */
export function waitingText(st: IWarmupState, what: Statistic): string {
  const need = barsNeeded(st, what);
  // before the kernel's first reply nothing is known to wait for
  if (st.bars >= need || !Number.isFinite(need)) return '';
  const eta = `${roughDuration((need - st.bars) * timeframeMs(st.timeframe))} at ${st.timeframe}`;
  const why = what === 'zscore' && st.hedge !== 'kalman'
    ? ` (${hedgeMinBars(st)} for the first hedge fit, then ${st.window} spread values for the rolling window)`
    : what === 'hedge' || what === 'spread' ? (st.hedge === 'kalman' ? '' : ' for the first hedge fit') : '';
  const advice = what === 'correlation' || st.hedge === 'kalman' ? 'or choose a shorter rolling window' : 'or choose a shorter rolling window or hedge window';
  return `${LABEL[what]}: needs ${need} bars${why}, ${st.bars} so far — ${eta}; ${advice} in the sidebar.`;
}

/**
 * The flag for a hedge ratio still fitted on all bars so far, e.g. "Hedge ratio fitted on all 312 bars so far
 * (expanding) until the 600-bar window fills — about 5 min at 1s …"; empty once the fit rolls on the full window.
 */
export function hedgeWarmupText(st: IWarmupState): string {
  const m = st.metrics;
  if (!m || st.hedge === 'kalman' || typeof m.hedgeFitBars !== 'number' || typeof m.hedgeWindow !== 'number') return '';
  if (m.hedgeFitBars >= m.hedgeWindow) return '';
  const eta = roughDuration((m.hedgeWindow - st.bars) * timeframeMs(st.timeframe));
  return `Hedge ratio fitted on all ${m.hedgeFitBars} bars so far (expanding, shaded on the charts) until the ${m.hedgeWindow}-bar hedge window fills — ${eta} at ${st.timeframe}. Every value uses only bars before it; choose a shorter hedge window in the sidebar to roll sooner.`;
}

/** The note under an undefined card while the view is too young for it, e.g. "needs 119 bars, 12 so far". */
export function waitingNote(st: IWarmupState, value: number | null | undefined, what: Statistic): string | undefined {
  if (value !== null && value !== undefined) return undefined;
  const need = barsNeeded(st, what);
  return st.bars < need ? `needs ${need} bars, ${st.bars} so far` : undefined;
}

/** The warm-up state of the model's view. */
export function warmupOf(model: { bars: number; metrics: MetricCards | null; controls: { timeframe: string; window: number; hedge: HedgeMethod } }): IWarmupState {
  const c = model.controls;
  return { bars: model.bars, timeframe: c.timeframe, window: c.window, hedge: c.hedge, metrics: model.metrics };
}

/**
 * What a young watchlist row waits for before its z-score, e.g. "z: 12 of 119 bars, about 2 min"; `st.bars` is the
 * row's bars (every watched pair uses the sidebar's settings). Empty once it has enough bars.
 */
export function watchZWaiting(st: IWarmupState): string {
  const need = barsNeeded(st, 'zscore');
  if (!Number.isFinite(need)) return `z: ${st.bars} bars so far`;
  if (st.bars >= need) return '';
  return `z: ${st.bars} of ${need} bars, ${roughDuration((need - st.bars) * timeframeMs(st.timeframe))}`;
}

/**
 * What a watchlist row's cointegration columns wait for before its first test, e.g. "first test at 1000 bars: 600 so
 * far, about 7 min"; a row with the bars waits for its next scheduled test bar.
 */
export function watchTestWaiting(bars: number, stabilityWindow: number, every: number, timeframe: string): string {
  if (bars >= stabilityWindow) return `first test within ${every} bars`;
  return `first test at ${stabilityWindow} bars: ${bars} so far, ${roughDuration((stabilityWindow - bars) * timeframeMs(timeframe))}`;
}
