// When an on-demand result (backtest, parameter search, universe scan) was computed and on how many bars: such a
// result stays on screen while new bars arrive, across kernel restarts and after the user picks another pair, so it
// says how old it is and what it was computed on.
import type { DisplayClock } from './clock';
import { timeframeMs } from './timeframe';

export interface IRunStamp {
  /** When the reply arrived, epoch ms. */
  at: number;
  /** Bars the result was computed on. */
  bars: number;
  /** "on 201 bars" by default; e.g. "on up to 201 bars per pair of 1m". */
  barsText?: string;
  /** The view the result was computed on (the model's view key) with its newest bar then; none for a scan. */
  view?: { key: string; label: string; timeframe: string; lastBar: number | null };
}

/** The view on screen now. */
export interface ICurrentView {
  key: string;
  lastBar: number | null;
  timeframe: string;
}

/**
 * E.g. "Run at 14:02:11 UTC on 201 bars."; once the view has newer bars "…; 400 newer bars since: run again for the
 * newest bars."; after the user picked another view "… of AAAUSDT/BBBUSDT 1m (not the view on screen)."
 */
export function runStampText(run: IRunStamp, clock: DisplayClock, current: ICurrentView): string {
  const base = `Run at ${clock.time(run.at)} ${clock.label} ${run.barsText ?? `on ${run.bars} bars`}`;
  const view = run.view;
  if (!view) return `${base}.`;
  if (view.key !== current.key) return `${base} of ${view.label} (not the view on screen).`;
  const tf = timeframeMs(current.timeframe);
  const newer = view.lastBar !== null && current.lastBar !== null && tf > 0 ? Math.round((current.lastBar - view.lastBar) / tf) : 0;
  return newer > 0 ? `${base}; ${newer} newer bar${newer === 1 ? '' : 's'} since: run again for the newest bars.` : `${base}.`;
}
