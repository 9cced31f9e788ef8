/**
 * A pair's phase among `every` bars: a stable spread (FNV-1a of the pair's name) of scheduled work — tests every so
 * many bars — so that the views of many pairs do not all do it on the same refresh.
 */
export function pairPhase(pair: string, every: number): number {
  let h = 2166136261;
  for (let i = 0; i < pair.length; i++) h = Math.imul(h ^ pair.charCodeAt(i), 16777619);
  return (h >>> 0) % every;
}
