// A day of one-second bars opened with `overview`: the first reply carries the newest bars in full and the rest as
// thinned lines, under 1 MB where the full reply is over 10 MB; `seriesRange` then gives the exact bars of a span.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import { writeSimulatedHistory } from '../../kernel-lib/src/session/simHistory';
import type { Num, OverviewLineName, PanelReplyData, PanelRequest, PanelRequestKind, SnapshotData } from '../../kernel-lib/src/protocol';

const LINES: OverviewLineName[] = ['spread', 'zScore', 'hedgeRatio', 'correlation'];
const VIEW = { y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', window: 60 } as const;
const OVERVIEW = { buckets: 1000, tailBars: 1000 };
let dir = '';
let full: SnapshotData;
let fullBytes = 0;

async function ask<K extends PanelRequestKind>(request: PanelRequest<K>): Promise<{ data: PanelReplyData[K]; seq?: number; bytes: number }> {
  const reply = await answerPanelRequest(JSON.stringify(request));
  if (!reply.ok) throw new Error(`${request.kind} refused: ${reply.error.message}`);
  return { ...(reply as unknown as { data: PanelReplyData[K]; seq?: number }), bytes: JSON.stringify(reply).length };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-thinned-'));
  await writeSimulatedHistory(dir, { symbols: [VIEW.y, VIEW.x], hours: 24, tradesPerSecond: 4, stepMs: 1000, seed: 5 });
  await ask({ id: 'init', kind: 'init', dataDir: dir, universe: [VIEW.y, VIEW.x] });
  const reply = await ask({ id: 'full', kind: 'snapshot', ...VIEW });
  full = reply.data;
  fullBytes = reply.bytes;
}, 240_000);

afterAll(async () => {
  await closePanelSession();
  rmSync(dir, { recursive: true, force: true });
});

/** The full reply's values of one line for bars `from ≤ i < to`. */
const fullLine = (name: OverviewLineName, from: number, to: number): { time: number[]; value: Num[] } =>
  ({ time: full.series.time.slice(from, to), value: full.series[name].slice(from, to) });

describe('the first reply of a day of one-second bars', () => {
  it('is the newest bars in full and the older ones thinned, under 1 MB', async () => {
    const bars = full.series.time.length;
    expect(bars).toBeGreaterThan(86_000);
    expect(full.overview).toBeNull();
    expect(fullBytes).toBeGreaterThan(10e6);

    const thinned = await ask({ id: 'thin', kind: 'snapshot', ...VIEW, overview: OVERVIEW });
    const d = thinned.data;
    expect(d.full).toBe(true);
    expect(thinned.bytes).toBeLessThan(1e6);
    expect(d.viewStart).toBe(full.series.time[0]);
    expect(d.metrics.bars).toBe(bars);
    // the tail is the full reply's newest bars, column for column
    const tailFrom = bars - OVERVIEW.tailBars;
    expect(d.series.fromTime).toBe(full.series.time[tailFrom]);
    expect(d.series.time).toEqual(full.series.time.slice(tailFrom));
    expect(d.series.y.close).toEqual(full.series.y.close.slice(tailFrom));
    expect(d.series.zScore).toEqual(full.series.zScore.slice(tailFrom));

    const o = d.overview!;
    expect(o.exact).toBe(false);
    expect(o.start).toBe(full.series.time[0]);
    expect(o.end).toBe(full.series.time[tailFrom]);
    for (const name of LINES) {
      const line = o.lines[name];
      expect(line.time.length).toBeLessThanOrEqual(3 * OVERVIEW.buckets);
      // every point is a bar of the full reply with its value, and each bucket keeps the line's lowest and highest
      const at = new Map(full.series.time.map((t, i) => [t, i]));
      line.time.forEach((t, k) => expect(line.value[k]).toBe(full.series[name][at.get(t)!]));
      const byBucket = new Map<number, number[]>();
      for (let i = 0; i < tailFrom; i++) {
        const v = full.series[name][i];
        if (v === null) continue;
        const b = Math.floor((full.series.time[i] - o.start) / o.bucketMs);
        const list = byBucket.get(b) ?? [];
        list.push(v);
        byBucket.set(b, list);
      }
      const kept = new Map<number, number[]>();
      line.time.forEach((t, k) => {
        if (line.value[k] === null) return;
        const b = Math.floor((t - o.start) / o.bucketMs);
        kept.set(b, [...(kept.get(b) ?? []), line.value[k] as number]);
      });
      for (const [b, values] of byBucket) {
        expect(Math.min(...(kept.get(b) ?? [NaN]))).toBe(Math.min(...values));
        expect(Math.max(...(kept.get(b) ?? [NaN]))).toBe(Math.max(...values));
      }
    }
    // the z-score warms up over the first window: its gap is kept, as a null
    expect(o.lines.zScore.value[0]).toBeNull();
  });

  it('seriesRange gives the exact bars of a zoomed span, and a long span thinned', async () => {
    const from = 20_000;
    const to = 21_500;
    const range = { start: full.series.time[from], end: full.series.time[to] };
    const exact = await ask({ id: 'r1', kind: 'seriesRange', ...VIEW, range, buckets: 1000 });
    expect(exact.data.viewStart).toBe(full.series.time[0]);
    expect(exact.data.overview.exact).toBe(true);
    for (const name of LINES) expect(exact.data.overview.lines[name]).toEqual(fullLine(name, from, to));

    const long = await ask({ id: 'r2', kind: 'seriesRange', ...VIEW, range: { start: full.series.time[0], end: full.series.time[40_000] }, buckets: 800 });
    expect(long.data.overview.exact).toBe(false);
    expect(long.data.overview.bucketMs).toBe(50_000);
    expect(long.data.overview.lines.spread.time.length).toBeLessThanOrEqual(3 * 800);
    expect(long.bytes).toBeLessThan(200_000);
  });

  it('an incremental refresh of the thinned view stays incremental; a short view is never thinned', async () => {
    const first = await ask({ id: 'a', kind: 'snapshot', ...VIEW, overview: OVERVIEW });
    const next = await ask({ id: 'b', kind: 'snapshot', ...VIEW, overview: OVERVIEW, sinceSeq: first.seq });
    expect(next.data.full).toBe(false);
    expect(next.data.overview).toBeNull();
    expect(next.data.viewStart).toBe(full.series.time[0]);
    const short = await ask({ id: 'c', kind: 'snapshot', ...VIEW, maxBars: 2_500, overview: OVERVIEW });
    expect(short.data.overview).toBeNull();
    expect(short.data.series.time.length).toBe(2_500);
  });

  it('refuses an empty range and a bucket count out of bounds, naming the field', async () => {
    const t = full.series.time[100];
    const backwards = await answerPanelRequest(JSON.stringify({ id: 'bad', kind: 'seriesRange', ...VIEW, range: { start: t, end: t }, buckets: 500 }));
    expect(backwards).toMatchObject({ ok: false, error: { field: 'range.start' } });
    const few = await answerPanelRequest(JSON.stringify({ id: 'few', kind: 'snapshot', ...VIEW, overview: { buckets: 2, tailBars: 10 } }));
    expect(few).toMatchObject({ ok: false, error: { field: 'overview.buckets' } });
    if (!few.ok) expect(few.error.message).toMatch(/between 10 and 10000/);
  });
});
