// A universe's closes on one common bar grid: what a universe scan tests. The local scan (store or lake) puts its
// bars through this; the Spark scan (python/spark/universe_scan.py) applies the same rules in Spark SQL.

/** One symbol's bars: sorted bucket starts (UTC ms) and closes. */
export interface ClosesLeg {
  symbol: string;
  time: Float64Array;
  close: Float64Array;
}

export interface ClosesGrid {
  /** Usable symbols' closes on the grid, in the order of the legs given. */
  universe: Record<string, Float64Array>;
  bars: number;
  /** First bucket start (inclusive) and the end of the last bucket (exclusive). */
  from: number;
  to: number;
  skipped: Array<{ symbol: string; reason: string }>;
}

/** Fewer bars than this leave a symbol out of a scan. */
export const MIN_SCAN_BARS = 30;

/**
 * The grid runs from the latest first bar to the earliest last bar (so every symbol has started trading), keeping at
 * most the newest `maxBars` buckets; each grid value is the last close at or before its bucket. Symbols with fewer
 * than 30 bars, then symbols constant over the grid, are left out with the reason.
 */
export function closesOnCommonGrid(legs: readonly ClosesLeg[], timeframeMs: number, maxBars = Infinity): ClosesGrid {
  const skipped: ClosesGrid['skipped'] = [];
  const usable = legs.filter((l) => {
    if (l.time.length >= MIN_SCAN_BARS) return true;
    skipped.push({ symbol: l.symbol, reason: `only ${l.time.length} bars (a scan needs ${MIN_SCAN_BARS})` });
    return false;
  });
  const start = Math.max(...usable.map((l) => l.time[0]));
  const end = Math.min(...usable.map((l) => l.time[l.time.length - 1]));
  const count = usable.length >= 2 && end >= start ? Math.min(maxBars, Math.floor((end - start) / timeframeMs) + 1) : 0;
  const gridStart = end - (count - 1) * timeframeMs;
  const universe: Record<string, Float64Array> = {};
  for (const leg of usable) {
    const close = carriedCloses(leg.time, leg.close, gridStart, timeframeMs, count);
    if (close.every((v) => v === close[0])) skipped.push({ symbol: leg.symbol, reason: 'constant price over the range' });
    else universe[leg.symbol] = close;
  }
  return { universe, bars: count, from: gridStart, to: gridStart + count * timeframeMs, skipped };
}

/** Closes on the grid gridStart + i·tf, each the last close at or before that bucket. */
export function carriedCloses(time: Float64Array, close: Float64Array, gridStart: number, tf: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let j = 0;
  let last = NaN;
  for (let i = 0; i < count; i++) {
    const t = gridStart + i * tf;
    while (j < time.length && time[j] <= t) last = close[j++];
    out[i] = last;
  }
  return out;
}
