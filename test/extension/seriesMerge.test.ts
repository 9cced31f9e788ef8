// The panel's merge of incremental snapshot replies (extension/src/seriesMerge.ts, browser code with no DOM):
// after any sequence of replies it holds what one full reply of the newest maxBars bars would hold.
import { describe, expect, it } from 'vitest';
import { mergeSeries } from '../../extension/src/seriesMerge';
import type { PairSeries } from '../../kernel-lib/src/protocol';
import { Prng } from '../../src/feed/sim/prng';

/** The series of bars at `times`, every value derived from the time and the bar's revision number. */
function seriesAt(times: number[], revision: number | ((time: number) => number) = 0): PairSeries {
  const rev = typeof revision === 'number' ? () => revision : revision;
  const v = (k: number) => times.map((t) => t / 1000 + k + rev(t) / 10);
  const leg = (k: number) => ({ open: v(k), high: v(k + 1), low: v(k - 1), close: v(k), volume: v(7), filled: times.map(() => 0) });
  return {
    fromTime: times[0] ?? null, time: times, y: leg(100), x: leg(50),
    hedgeRatio: v(1), intercept: v(2), spread: v(3), zScore: v(4), correlation: v(5),
  };
}

const times = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => (from + i) * 1000);

describe('mergeSeries', () => {
  it('replaces the points from the reply\'s first time, appends the rest and keeps the newest maxBars', () => {
    const merged = mergeSeries(seriesAt(times(0, 10)), seriesAt(times(8, 14), 1), 10);
    expect(merged.time).toEqual(times(4, 14));
    expect(merged.fromTime).toBe(4000);
    expect(merged.spread.slice(0, 4)).toEqual(seriesAt(times(4, 8)).spread);
    expect(merged.spread.slice(4)).toEqual(seriesAt(times(8, 14), 1).spread);
  });

  it('gives the merged series\' own first time when the reply alone fills maxBars', () => {
    const merged = mergeSeries(seriesAt(times(0, 10)), seriesAt(times(5, 20), 1), 10);
    expect(merged.time).toEqual(times(10, 20));
    expect(merged.fromTime).toBe(10_000);
  });

  it('leaves the series as it is for a reply with nothing new', () => {
    const base = seriesAt(times(0, 5));
    expect(mergeSeries(base, { ...seriesAt([]), fromTime: null }, 10)).toBe(base);
  });

  it('after 300 random replies (revisions, gaps, bursts) equals a full reply of the newest maxBars', () => {
    const rng = new Prng(9);
    const maxBars = 50;
    let newest = 30;
    let revision = 0;
    const revisionAt = new Map<number, number>();
    // each bar carries the revision it last changed in
    const full = () => seriesAt(times(Math.max(0, newest - maxBars), newest), (time) => revisionAt.get(time) ?? 0);
    let held = full();
    for (let step = 0; step < 300; step++) {
      revision++;
      const back = Math.floor(rng.next() * 5);
      const grow = Math.floor(rng.next() * (rng.next() < 0.1 ? 120 : 4));
      const from = Math.max(0, newest - back);
      newest += grow;
      const t = times(from, newest);
      for (const time of t) revisionAt.set(time, revision);
      held = mergeSeries(held, seriesAt(t, revision), maxBars);
      const want = full();
      expect(held).toEqual(want);
    }
  });
});
