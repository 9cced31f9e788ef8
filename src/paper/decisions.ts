/**
 * The backtester's rule, decision by decision, on the bars closed so far. The engine closes whatever is open on its
 * last bar and never enters on it, so it runs on the closed bars plus two bars that have not happened yet (no z, no
 * hedge ratio): every decision at a closed bar's close is then the one the engine takes, and nothing is decided at
 * the bars that have not happened.
 */
import { type AlignedPair, type PairStrategy, type ExitReason, computeSignals, runBacktest } from '../backtest';
import type { Side } from './types';

export interface Decision {
  action: 'enter' | 'exit';
  /** The close of the deciding bar: when the order goes out and fills. */
  time: number;
  side: Side;
  z: number;
  hedgeRatio: number;
  reason?: ExitReason;
}

function extend(a: Float64Array, extra: number, value: number): Float64Array {
  const out = new Float64Array(a.length + extra);
  out.set(a);
  out.fill(value, a.length);
  return out;
}

/** Decisions at the closes of bars `startBar` … last of `pair` (all closed), oldest first. */
export function ruleDecisions(pair: AlignedPair, strategy: PairStrategy, startBar: number): Decision[] {
  const n = pair.time.length;
  if (n - startBar < 1) return [];
  const signals = computeSignals(pair, strategy.hedge, strategy.window, strategy.scale);
  const last = n - 1;
  const time = extend(pair.time, 2, NaN);
  time[n] = pair.time[last] + pair.barMs;
  time[n + 1] = pair.time[last] + 2 * pair.barMs;
  const ahead: AlignedPair = {
    time,
    yOpen: extend(pair.yOpen, 2, pair.yClose[last]),
    yClose: extend(pair.yClose, 2, pair.yClose[last]),
    xOpen: extend(pair.xOpen, 2, pair.xClose[last]),
    xClose: extend(pair.xClose, 2, pair.xClose[last]),
    barMs: pair.barMs,
  };
  const z = extend(signals.z, 2, NaN);
  const hedgeRatio = extend(signals.hedgeRatio, 2, NaN);
  const run = runBacktest(ahead, { z, hedgeRatio }, strategy, { start: startBar, end: n + 2 });
  const out: Decision[] = [];
  for (const t of run.trades) {
    const side: Side = t.side === 'long' ? 1 : -1;
    out.push({ action: 'enter', time: time[t.entryBar], side, z: t.entryZ, hedgeRatio: t.hedgeRatio });
    // an exit filled on a bar still to come was decided at a close that has not happened, or is the engine's `end`
    if (t.exitReason !== 'end' && t.exitBar <= n) {
      out.push({ action: 'exit', time: time[t.exitBar], side, z: t.exitZ, hedgeRatio: t.hedgeRatio, reason: t.exitReason });
    }
  }
  return out;
}
