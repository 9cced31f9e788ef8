// When an on-demand result (backtest, parameter search, universe scan) was computed and on how many bars: such a
// result stays on screen while new bars arrive and across kernel restarts, so it says how old it is.
import type { DisplayClock } from './clock';
import { timeframeMs } from './timeframe';

export interface IRunStamp {
  /** When the reply arrived, epoch ms. */
  at: number;
  /** Bars the result was computed on. */
  bars: number;
  /** The newest bar of the view then (null when unknown). */
  lastBar: number | null;
  /** "on 201 bars" by default; e.g. "on up to 201 bars per pair". */
  barsText?: string;
}

/**
 * E.g. "Run at 14:02:11 UTC on 201 bars." and, once newer bars exist, "… 400 newer bars since: run again for the
 * newest bars."
 */
export function runStampText(run: IRunStamp, clock: DisplayClock, lastBarNow: number | null, timeframe: string): string {
  const base = `Run at ${clock.time(run.at)} ${clock.label} ${run.barsText ?? `on ${run.bars} bars`}`;
  const tf = timeframeMs(timeframe);
  const newer = run.lastBar !== null && lastBarNow !== null && tf > 0 ? Math.round((lastBarNow - run.lastBar) / tf) : 0;
  return newer > 0 ? `${base}; ${newer} newer bar${newer === 1 ? '' : 's'} since: run again for the newest bars.` : `${base}.`;
}
