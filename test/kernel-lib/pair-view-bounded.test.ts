// A live pair view holds a bounded number of bars however long it runs, and dropping its oldest bars changes
// nothing it shows or computes later: every shown value equals that of a view that never dropped a bar, and a
// client merging incremental replies (as the panel does) ends up with exactly what a full reply shows.
import { describe, expect, it } from 'vitest';
import { PairView, type PairViewOptions } from '../../kernel-lib/src/analysis/pairView';
import { seriesChunk } from '../../kernel-lib/src/panel/replies';
import type { PairSeries } from '../../kernel-lib/src/protocol';
import { GrowingPairStore, T0, TF } from './support/growingPairStore';
import { mergeSeries } from '../../extension/src/seriesMerge';

/** A panel client that asks for a snapshot every `every` refreshes, the way PanelSession.snapshot answers it. */
class Client {
  seq?: number;
  series?: PairSeries;
  fullReplies = 0;

  constructor(readonly every: number) {}

  take(view: PairView): void {
    const from = this.seq === undefined ? null : view.changedSince(this.seq);
    const chunk = seriesChunk(view, from ?? 0);
    if (from === null || !this.series) this.fullReplies++;
    this.series = from === null || !this.series ? chunk : mergeSeries(this.series, chunk, view.options.maxBars);
    this.seq = view.seq;
  }
}

const identical = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
const newest = (a: Float64Array, n: number) => a.subarray(a.length - n);

describe('a live pair view drops its oldest bars without changing anything it shows', () => {
  // `keep`: bars held after a drop; beyond maxBars (50) where a refresh's series read further back than 50 bars.
  const settings: Array<[Omit<PairViewOptions, 'timeframe' | 'maxBars'>, number]> = [
    [{ window: 10, hedge: 'ols', hedgeWindow: 30, hedgeEvery: 1 }, 64],
    // the fit reads 120 bars before a refresh's first; drops come in steps of 4 bars to keep the re-fit phase
    [{ window: 12, hedge: 'huber', hedgeWindow: 120, hedgeEvery: 4 }, 160],
    [{ window: 10, hedge: 'kalman' }, 50],
  ];
  for (const [opts, keep] of settings) {
    it(`${opts.hedge}: values, the bound, and incremental clients across drops`, async () => {
      const store = new GrowingPairStore(1_200);
      store.publish(40);
      const maxBars = 50;
      const bounded = await PairView.load(store, 'YUSDT', 'XUSDT', { ...opts, timeframe: '1s', maxBars });
      const unbounded = await PairView.load(store, 'YUSDT', 'XUSDT', { ...opts, timeframe: '1s', maxBars: 1_000_000 });
      const { keepBars, slackBars } = bounded.retention;
      expect(keepBars).toBe(keep);
      const clients = [new Client(1), new Client(7), new Client(150)];
      let drops = 0;
      let heldBefore = bounded.held.bars;
      for (let step = 1; step <= 360; step++) {
        store.publish(1 + (step % 3));
        if (step % 5 === 0) store.revise(2 + (step % 4), 0.01);
        const shownBefore = { time: Array.from(bounded.time), z: Array.from(bounded.series.zScore), beta: Array.from(bounded.series.hedgeRatio) };
        const change = await bounded.refresh();
        await unbounded.refresh();

        if (bounded.held.bars < heldBefore) drops++;
        heldBefore = bounded.held.bars;
        expect(bounded.length).toBe(Math.min(maxBars, store.published));
        expect(bounded.held.bars).toBeLessThan(keepBars + slackBars);
        expect(bounded.held.capacity).toBeLessThanOrEqual(keepBars + slackBars);

        // Every shown value is the never-dropping view's value for the same bar, bit for bit.
        const n = bounded.length;
        expect(identical(bounded.time, newest(unbounded.time, n))).toBe(true);
        for (const which of ['y', 'x'] as const) expect(identical(bounded.leg(which).close, newest(unbounded.leg(which).close, n))).toBe(true);
        for (const key of ['hedgeRatio', 'intercept', 'spread', 'zScore', 'correlation'] as const) {
          expect(identical(bounded.series[key], newest(unbounded.series[key], n)), `${key} at step ${step}`).toBe(true);
        }
        // Bars still shown and before the first changed one kept their values.
        const changedTime = change.changedFrom === null ? Infinity : bounded.time[change.changedFrom];
        bounded.time.forEach((t, i) => {
          const j = shownBefore.time.indexOf(t);
          if (t < changedTime && j >= 0) {
            expect(Object.is(bounded.series.zScore[i], shownBefore.z[j])).toBe(true);
            expect(Object.is(bounded.series.hedgeRatio[i], shownBefore.beta[j])).toBe(true);
          }
        });

        for (const client of clients) {
          if (step % client.every !== 0 && client.seq !== undefined) continue;
          client.take(bounded);
          expect(client.series).toEqual(seriesChunk(bounded, 0));
        }
      }
      expect(store.published).toBeGreaterThan(keepBars + 4 * slackBars);
      expect(drops).toBeGreaterThanOrEqual(4);
      expect(bounded.series.zScore.every(Number.isFinite)).toBe(true);
      // After the first reply every client got increments only, even one that skipped several drops.
      for (const client of clients) expect(client.fullReplies).toBe(1);
      expect(bounded.metrics.bars).toBe(maxBars);
    });
  }

  it('holds at most keepBars + slackBars over 2,000 refreshes of a 100-bar view', async () => {
    const store = new GrowingPairStore(4_000);
    store.publish(100);
    const view = await PairView.load(store, 'YUSDT', 'XUSDT', { timeframe: '1s', maxBars: 100, window: 20, hedge: 'ols', hedgeWindow: 40 });
    const bound = view.retention.keepBars + view.retention.slackBars;
    expect(bound).toBe(125);
    let mostHeld = 0;
    let mostCapacity = 0;
    for (let i = 0; i < 2_000; i++) {
      store.publish(1 + (i % 2));
      await view.refresh();
      mostHeld = Math.max(mostHeld, view.held.bars);
      mostCapacity = Math.max(mostCapacity, view.held.capacity);
    }
    expect(store.published).toBe(3_100);
    expect(view.length).toBe(100);
    expect(view.time[99]).toBe(T0 + 3_099 * TF);
    expect(mostHeld).toBeLessThan(bound);
    expect(mostCapacity).toBeLessThanOrEqual(bound);
  });
});
