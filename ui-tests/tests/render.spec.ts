// Browser benchmark: from a snapshot reply to the charts on screen being drawn, with 86,400 one-second bars in the view:
// the first reply as the kernel sends it to the panel (the newest bars in full, the older ones as lines thinned by the
// kernel's own thinLine), then one-bar incremental replies. The replies are built here (a day of bars is too slow to
// record live) and handed to the panel's own reply path, `PairsLabPanel.applySnapshot`: model merge, Plotly.react of
// the visible tab's charts, then the next animation frame.
// Figures go to results/render.json for `npm run bench` (group ui); the test itself only checks that the charts hold
// the day of bars: speed targets are not asserted on a shared 2-core machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import { PLUGIN, TEST_SETTINGS, chart, control, openTab, panel, waitForPanelApp, waitForRefreshes } from './helpers';
import { OVERVIEW_LINES, thinLine } from '../../kernel-lib/src/panel/overview';
import type { Num, OverviewLine, OverviewLineName, PairSeries, SeriesOverview } from '../../kernel-lib/src/protocol';

test.use({ waitForApplication: waitForPanelApp, mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: TEST_SETTINGS } });

const BARS = 86_400;
/** Enough that the first few, while the page's code warms up, do not make the median. */
const INCREMENTAL_REFRESHES = 40;
/** What the panel asks for at a 1400 px wide window: buckets of its tabs' width, the newest 1,000 bars in full. */
const BUCKETS = 1200;
const TAIL_BARS = 1000;
const T0 = Date.UTC(2026, 10, 1);
const RESULTS = path.join(__dirname, '..', 'results', 'render.json');

interface TabTiming {
  tab: string;
  /** The thinned first reply to its charts drawn, in the first pass. */
  fullMs: number;
  incrementalMs: number[];
  /** Of each incremental refresh, the part spent merging the reply into the model. */
  modelMs: number[];
  medianMs: number;
  /** The 90th percentile of the incremental refreshes. */
  p90Ms: number;
  /** The median of the incremental refreshes in the first pass, before the page's code warmed up. */
  coldMedianMs: number;
  /** Bars the chart stands for. */
  points: number;
  /** Points handed to Plotly after decimation to the chart's pixel width. */
  drawnPoints: number;
}

/** A pair's series of `n` bars from bar `from` on: random-walk legs, wave-shaped analytics. */
function syntheticSeries(from: number, n: number, rand: () => number): PairSeries {
  const leg = (base: number) => {
    const open: Num[] = [], high: Num[] = [], low: Num[] = [], close: Num[] = [], volume: Num[] = [], filled: number[] = [];
    let p = base;
    for (let i = 0; i < n; i++) {
      const o = p;
      p += (rand() - 0.5) * base * 1e-4;
      open.push(o); close.push(p); high.push(Math.max(o, p) + rand()); low.push(Math.min(o, p) - rand()); volume.push(rand() * 10); filled.push(0);
    }
    return { open, high, low, close, volume, filled };
  };
  const time: number[] = [];
  const wave = (i: number, k: number): number => Math.sin((from + i) / k) + (rand() - 0.5) * 0.2;
  const hedgeRatio: Num[] = [], intercept: Num[] = [], spread: Num[] = [], zScore: Num[] = [], correlation: Num[] = [];
  for (let i = 0; i < n; i++) {
    time.push(T0 + (from + i) * 1000);
    hedgeRatio.push(20 + wave(i, 5000)); intercept.push(0); spread.push(wave(i, 300) * 40); zScore.push(wave(i, 300) * 2); correlation.push(0.8 + wave(i, 900) * 0.1);
  }
  return { fromTime: time[0] ?? null, time, y: leg(64_000), x: leg(3_200), hedgeRatio, intercept, spread, zScore, correlation };
}

/** A close as the panel's tables show it. */
function fmtClose(v: Num): string {
  return v === null ? '—' : v.toFixed(Math.abs(v) >= 1000 ? 2 : 4);
}

/** The bars `from ≤ i < to` of a series. */
function slice(s: PairSeries, from: number, to: number): PairSeries {
  const cut = <T>(a: T[]) => a.slice(from, to);
  const leg = (l: PairSeries['y']) => ({ open: cut(l.open), high: cut(l.high), low: cut(l.low), close: cut(l.close), volume: cut(l.volume), filled: cut(l.filled) });
  return {
    fromTime: s.time[from] ?? null, time: cut(s.time), y: leg(s.y), x: leg(s.x), hedgeRatio: cut(s.hedgeRatio), intercept: cut(s.intercept),
    spread: cut(s.spread), zScore: cut(s.zScore), correlation: cut(s.correlation),
  };
}

/** The first reply's series and overview, thinned as the kernel thins a view of this many bars. */
function thinnedFirstReply(s: PairSeries): { series: PairSeries; overview: SeriesOverview } {
  const tailFrom = s.time.length - TAIL_BARS;
  const start = s.time[0];
  const end = s.time[tailFrom];
  const bucketMs = Math.ceil((end - start) / BUCKETS / 1000) * 1000;
  const lines = {} as Record<OverviewLineName, OverviewLine>;
  for (const name of OVERVIEW_LINES) lines[name] = thinLine(s.time, s[name].map((v) => v ?? NaN), 0, tailFrom, start, bucketMs);
  return { series: slice(s, tailFrom, s.time.length), overview: { start, end, bucketMs, exact: false, lines } };
}

test('snapshot reply to charts drawn with 86,400 one-second bars: the thinned first reply, then incremental ones', async ({ page }) => {
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  await waitForRefreshes(page, 1);
  await control(page, 'auto-refresh').uncheck();
  await page.waitForTimeout(1500);

  let seed = 42;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  const day = syntheticSeries(0, BARS + INCREMENTAL_REFRESHES, rand);
  const first = thinnedFirstReply(slice(day, 0, BARS));
  const increments = Array.from({ length: INCREMENTAL_REFRESHES }, (_, k) => slice(day, BARS + k, BARS + k + 1));
  const firstReplyBytes = JSON.stringify(first).length;

  // Two passes over the tabs. The first reply is timed in the first, on a page whose charts have not drawn such a
  // view before; the live refreshes in the second, once the page's code has warmed up as it has a minute into a
  // session (in the first pass the tab timed first paid for that, 5-10 ms a refresh). Both passes' medians are kept.
  const timings: TabTiming[] = [];
  const coldMedianMs = new Map<string, number>();
  for (const pass of ['cold', 'warm'] as const) for (const [tab, label, chartName] of [['spread', 'Spread & Z-Score', 'zscore'], ['prices', 'Prices & Volume', 'price-y'], ['correlation', 'Correlation', 'rolling-correlation']] as const) {
    await openTab(page, label);
    const timing = await page.evaluate(async ({ bars, tab, first, increments, t0 }) => {
      const app = (window as unknown as { jupyterapp: { shell: { widgets(area: string): Iterable<{ id: string; content: unknown }> } } }).jupyterapp;
      const main = [...app.shell.widgets('main')].find((w) => w.id === 'pairs-lab-main');
      const panel = main?.content as {
        model: { viewKey(): string; health: unknown };
        tabs: { currentWidget: { refresh(): Promise<void> } | null };
        applySnapshot(data: unknown, seq: number, view: string): Promise<{ renderMs: number; modelMs: number } | null>;
      };
      // the tab just opened draws its charts: time the reply from when they are drawn
      await panel.tabs.currentWidget?.refresh();
      const metrics = { hedgeRatio: 20, intercept: 0, rSquared: 0.9, adfStatistic: -4, adfPValue: 0.01, halfLifeBars: 30, zScore: 1, spread: 5, correlation: 0.8, bars, lastTime: t0 + bars * 1000 };
      const lags = Array.from({ length: 41 }, (_, i) => i - 20);
      const reply = (series: unknown, overview: unknown, full: boolean, k: number) => ({
        full, simulated: true, viewStart: t0 + k * 1000, overview, series, metrics: { ...metrics, lastTime: t0 + (bars + k) * 1000 },
        crossCorrelation: { lags, values: lags.map((l) => Math.cos(l / 7)) }, alerts: [], health: panel.model.health,
      });
      const view = panel.model.viewKey();
      const firstDrawn = await panel.applySnapshot(reply(first.series, first.overview, true, 0), 1, view);
      const incremental: number[] = [];
      const modelMs: number[] = [];
      for (let k = 1; k <= increments.length; k++) {
        // Live replies come a second apart: sent the moment the last one's frame started, a reply would be charged
        // with laying out and painting the one before.
        await new Promise((resolve) => setTimeout(resolve, 100));
        // the view keeps its newest `bars`: its oldest bar moves on by one
        const t = await panel.applySnapshot(reply(increments[k - 1], null, false, k), 1 + k, view);
        incremental.push(t?.renderMs ?? NaN);
        modelMs.push(t?.modelMs ?? NaN);
      }
      const sorted = [...incremental].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
      return { tab, fullMs: firstDrawn?.renderMs ?? NaN, incrementalMs: incremental, modelMs, medianMs: at(0.5), p90Ms: at(0.9) };
    }, { bars: BARS, tab, first, increments, t0: T0 });
    if (pass === 'cold') {
      coldMedianMs.set(tab, timing.medianMs);
      timings.push({ ...timing, coldMedianMs: NaN, points: 0, drawnPoints: 0 });
      continue;
    }
    const points = Number(await chart(page, chartName).getAttribute('data-points'));
    const drawnPoints = Number(await chart(page, chartName).getAttribute('data-drawn-points'));
    const cold = timings.findIndex((t) => t.tab === tab);
    timings[cold] = { ...timing, fullMs: timings[cold].fullMs, coldMedianMs: coldMedianMs.get(tab) ?? NaN, points, drawnPoints };
    if (tab === 'prices') {
      // the tables, updated in place a bar at a time, hold the newest 20 bars, newest first
      const newest = T0 + (BARS + INCREMENTAL_REFRESHES - 1) * 1000;
      const keys = await panel(page).locator('.pl-TableBlock[data-leg="y"] tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.key)));
      expect(keys).toEqual(Array.from({ length: 20 }, (_, i) => newest - i * 1000));
      const firstRow = panel(page).locator('.pl-TableBlock[data-leg="y"] tbody tr').first();
      await expect(firstRow.locator('td').first()).toHaveText(new Date(newest).toISOString().replace('T', ' ').slice(0, 19));
      await expect(firstRow.locator('td').nth(4)).toHaveText(fmtClose(day.y.close[BARS + INCREMENTAL_REFRESHES - 1]));
    }
  }

  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({ date: new Date().toISOString(), bars: BARS, firstReplyBytes, timings }, null, 2)}\n`);
  for (const t of timings) console.log(`[render] ${t.tab}: first reply ${t.fullMs.toFixed(1)} ms, incremental median ${t.medianMs.toFixed(1)} ms (p90 ${t.p90Ms.toFixed(1)}; first pass ${t.coldMedianMs.toFixed(1)}), ${t.points} bars as ${t.drawnPoints} points`);

  expect(firstReplyBytes).toBeLessThan(1e6);
  // The line charts stand for the whole day; the candlesticks for the newest bars only (the setting "Candles drawn").
  expect(timings.find((t) => t.tab === 'spread')?.points).toBe(BARS);
  expect(timings.find((t) => t.tab === 'correlation')?.points).toBe(BARS);
  expect(timings.find((t) => t.tab === 'prices')?.points).toBeGreaterThan(0);
  // Decimated to the pixels: at most a few points per pixel column of a chart narrower than the 1400 px viewport.
  expect(timings.find((t) => t.tab === 'spread')?.drawnPoints).toBeLessThan(3 * 1400);
  // the whole day is drawn: from the first bar to the newest
  // (the oldest bars' thinned points are dropped with the view's oldest bar, up to a bucket or two of them)
  const bucketMs = first.overview.bucketMs;
  const span = await chart(page, 'rolling-correlation').locator('.pl-Chart-plot').evaluate((gd) => {
    const x = (gd as unknown as { data: Array<{ x: number[] }> }).data[0].x;
    return [x[0], x[x.length - 1]];
  });
  expect(span[1] - span[0]).toBeGreaterThanOrEqual((BARS - INCREMENTAL_REFRESHES) * 1000 - 2 * bucketMs);
  for (const t of timings) expect(Number.isFinite(t.medianMs)).toBe(true);
});
