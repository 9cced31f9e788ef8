/**
 * A pair's phase among `every` bars: a stable spread (FNV-1a of the pair's name) of scheduled work — tests every so
 * many bars — so that the views of many pairs do not all do it on the same refresh.
 */
export function pairPhase(pair: string, every: number): number {
  let h = 2166136261;
  for (let i = 0; i < pair.length; i++) h = Math.imul(h ^ pair.charCodeAt(i), 16777619);
  return (h >>> 0) % every;
}

/** Whether any bar of `time` (bucket starts) is a scheduled one: its bucket number is `phase` modulo `every`. */
export function scheduledAmong(time: ArrayLike<number>, timeframeMs: number, every: number, phase: number): boolean {
  for (let i = 0; i < time.length; i++) if (((Math.round(time[i] / timeframeMs) - phase) % every + every) % every === 0) return true;
  return false;
}
