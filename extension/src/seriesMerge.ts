// Merging an incremental snapshot reply into the series the panel holds (pure: no DOM, no JupyterLab).
import type { PairSeries } from './protocol';
import { lowerBound } from './sorted';

/** Drops the points of `base` at or after `chunk.fromTime`, appends the chunk, and keeps the newest `maxBars`. */
export function mergeSeries(base: PairSeries, chunk: PairSeries, maxBars: number): PairSeries {
  if (chunk.fromTime === null || chunk.time.length === 0) return base;
  const cut = lowerBound(base.time, chunk.fromTime);
  const total = cut + chunk.time.length;
  const start = Math.max(0, total - maxBars);
  const join = <T>(a: T[], b: T[]): T[] => {
    const out = a.slice(Math.min(start, cut), cut);
    for (let i = Math.max(0, start - cut); i < b.length; i++) out.push(b[i]);
    return out;
  };
  const bars = (a: PairSeries['y'], b: PairSeries['y']): PairSeries['y'] => ({
    open: join(a.open, b.open),
    high: join(a.high, b.high),
    low: join(a.low, b.low),
    close: join(a.close, b.close),
    volume: join(a.volume, b.volume),
    filled: join(a.filled, b.filled),
  });
  const time = join(base.time, chunk.time);
  return {
    fromTime: time[0] ?? null,
    time,
    y: bars(base.y, chunk.y),
    x: bars(base.x, chunk.x),
    hedgeRatio: join(base.hedgeRatio, chunk.hedgeRatio),
    intercept: join(base.intercept, chunk.intercept),
    spread: join(base.spread, chunk.spread),
    zScore: join(base.zScore, chunk.zScore),
    correlation: join(base.correlation, chunk.correlation),
  };
}
