// The panel's model on a thinned first reply from the real kernel handler (a day of one-second bars): the chart lines
// span the whole view; zooming into older bars asks for their detail, after which the zoomed range holds exactly the
// bars a full reply holds; live refreshes then clip what it holds as the view moves on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PairsLabModel } from '../../extension/src/model';
import { clipOverview, composeLine, detailNeeded } from '../../extension/src/overviewLines';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import { writeSimulatedHistory } from '../../kernel-lib/src/session/simHistory';
import type { OverviewLineName, PanelReplyData, PanelRequest, PanelRequestKind, PairSeries, SeriesOverview, SnapshotData } from '../../kernel-lib/src/protocol';

const LINES: OverviewLineName[] = ['spread', 'zScore', 'hedgeRatio', 'correlation'];
let dir = '';
let full: SnapshotData;

async function ask<K extends PanelRequestKind>(request: PanelRequest<K>): Promise<{ data: PanelReplyData[K]; seq?: number }> {
  const reply = await answerPanelRequest(JSON.stringify(request));
  if (!reply.ok) throw new Error(`${request.kind} refused: ${reply.error.message}`);
  return reply as unknown as { data: PanelReplyData[K]; seq?: number };
}

function newModel(): PairsLabModel {
  const model = new PairsLabModel({
    y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', window: 60, zThreshold: 2, spreadAlertEnabled: false, spreadWidth: 1,
    correlationAlertEnabled: false, minCorrelation: 0.3, minVolume: 0, hedge: 'huber', hedgeWindow: null, legs: [], basketWeights: 'johansen', autoRefresh: false, refreshIntervalMs: 1000,
  }, { entry: 2, exit: 0.5, stop: 4, feeBps: 5, slippageBps: 1, notional: 10_000 });
  model.maxBars = 86_400;
  return model;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-zoom-'));
  await writeSimulatedHistory(dir, { symbols: ['BTCUSDT', 'ETHUSDT'], hours: 24, tradesPerSecond: 4, stepMs: 1000, seed: 11 });
  await ask({ id: 'init', kind: 'init', dataDir: dir, universe: ['BTCUSDT', 'ETHUSDT'] });
  const model = newModel();
  full = (await ask({ id: 'full', kind: 'snapshot', ...model.snapshotParams(86_400) })).data;
}, 240_000);

afterAll(async () => {
  await closePanelSession();
  rmSync(dir, { recursive: true, force: true });
});

describe('a thinned first reply, then a zoom', () => {
  it('draws the whole view at first and exactly the full reply\'s bars in a zoomed range', async () => {
    const model = newModel();
    const first = await ask({ id: 'thin', kind: 'snapshot', ...model.snapshotParams(86_400, { buckets: 1200, tailBars: 1000 }) });
    expect(model.applySnapshot(first.data, first.seq, model.viewKey())).toBe(true);
    expect(model.bars).toBe(full.series.time.length);
    expect(model.viewStart).toBe(full.series.time[0]);
    for (const name of LINES) {
      const line = model.line(name);
      expect(line.x[0]).toBe(full.series.time[0]);
      expect(line.x[line.x.length - 1]).toBe(full.series.time[full.series.time.length - 1]);
      expect(line.x.length).toBeLessThan(5 * 1200 + 1000);
      expect([...line.x].sort((a, b) => a - b)).toEqual(line.x);
    }
    // zoomed out, nothing more is needed; zoomed in to 25 minutes of old bars, their detail is
    model.setZoom({ range: [full.series.time[0], full.series.time[full.series.time.length - 1]], width: 1200 });
    expect(model.detailParams()).toBeNull();
    const [from, to] = [30_000, 31_500];
    model.setZoom({ range: [full.series.time[from], full.series.time[to]], width: 1200 });
    const params = model.detailParams();
    expect(params).toMatchObject({ y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', range: { start: full.series.time[from], end: full.series.time[to] }, buckets: 1200 });
    const range = await ask({ id: 'range', kind: 'seriesRange', ...params! });
    expect(model.applyRange(range.data, model.viewKey())).toBe(true);
    expect(model.detailParams()).toBeNull();
    for (const name of LINES) {
      const line = model.line(name);
      const inRange = line.x.map((t, k) => [t, line.y[k]] as const).filter(([t]) => t >= full.series.time[from] && t < full.series.time[to]);
      expect(inRange.map(([t]) => t)).toEqual(full.series.time.slice(from, to));
      expect(inRange.map(([, v]) => v)).toEqual(full.series[name].slice(from, to));
    }
    // a reply for a view the controls have left is dropped
    model.setControls({ window: 30 });
    expect(model.applyRange(range.data, 'another view')).toBe(false);
  });
});

/** An overview of `times` (ms) up to `end`, with each line's value = time / 1000 + k. */
function overviewOf(times: number[], bucketMs: number, exact = false, end = times[times.length - 1] + bucketMs): SeriesOverview {
  const line = (k: number) => ({ time: times, value: times.map((t) => t / 1000 + k) });
  return { start: times[0], end, bucketMs, exact, lines: { spread: line(1), zScore: line(2), hedgeRatio: line(3), correlation: line(4) } };
}

function denseSeries(times: number[]): PairSeries {
  const v = (k: number) => times.map((t) => t / 1000 + k);
  const leg = { open: v(0), high: v(0), low: v(0), close: v(0), volume: v(0), filled: times.map(() => 0) };
  return { fromTime: times[0] ?? null, time: times, y: leg, x: leg, hedgeRatio: v(3), intercept: v(0), spread: v(1), zScore: v(2), correlation: v(4) };
}

describe('overview lines', () => {
  const sec = (from: number, to: number, step = 1) => Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => (from + i * step) * 1000);

  it('compose the overview outside the detail, the detail, then the full bars, in time order', () => {
    const line = composeLine('spread', denseSeries(sec(1000, 1010)), { overview: overviewOf(sec(0, 1000, 50), 50_000), detail: overviewOf(sec(200, 300), 1000, true) });
    expect(line.x).toEqual([...sec(0, 200, 50), ...sec(200, 300), ...sec(300, 1000, 50), ...sec(1000, 1010)]);
    expect(line.y).toEqual(line.x.map((t) => t / 1000 + 1));
  });

  it('clip at the view\'s oldest bar, and vanish once it passed their end', () => {
    const o = overviewOf(sec(0, 1000, 50), 50_000);
    const clipped = clipOverview(o, 120_000)!;
    expect(clipped.start).toBe(120_000);
    expect(clipped.lines.zScore.time).toEqual(sec(150, 1000, 50));
    expect(clipOverview(o, 2_000_000)).toBeNull();
    expect(clipOverview(o, 0)).toBe(o);
  });

  it('ask for detail only where the zoom is before the full bars and coarser than its pixels', () => {
    const series = denseSeries(sec(1000, 1010));
    const history = { overview: overviewOf(sec(0, 1000, 50), 50_000), detail: null };
    // 1,000 s on 1,000 pixels: 1 s per pixel, the overview's 50 s buckets are coarse
    expect(detailNeeded(series, history, { range: [0, 1_000_000], width: 1000 })).toEqual({ start: 0, end: 1_000_000 });
    // the whole 1,010 s on 20 pixels: 50 s per pixel is what the overview has
    expect(detailNeeded(series, history, { range: [0, 1_010_000], width: 20 })).toBeNull();
    // only the full bars zoomed
    expect(detailNeeded(series, history, { range: [1_002_000, 1_008_000], width: 1000 })).toBeNull();
    // partly over the full bars: the part before them
    expect(detailNeeded(series, history, { range: [900_000, 1_005_000], width: 1000 })).toEqual({ start: 900_000, end: 1_000_000 });
    // a detail covering the zoom finely enough
    expect(detailNeeded(series, { ...history, detail: overviewOf(sec(800, 1000), 1000, true) }, { range: [900_000, 1_000_000], width: 1000 })).toBeNull();
    expect(detailNeeded(series, { overview: null, detail: null }, { range: [0, 1], width: 1000 })).toBeNull();
  });
});
