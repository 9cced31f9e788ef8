// Browser benchmark: from a refresh reply to the charts on screen being redrawn, with 86,400 one-second bars in the view.
// The reply is built in the page (a day of bars is too slow to record live) and handed to the panel's own reply path,
// `PairsLabPanel.applySnapshot`: model merge, Plotly.react of the visible tab's charts, then the next animation frame.
// Figures go to results/render.json for `npm run bench` (group ui); the test itself only checks that the charts hold
// the day of bars: speed targets are not asserted on a shared 2-core machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, galata, test } from '@jupyterlab/galata';
import { PLUGIN, TEST_SETTINGS, chart, control, openTab, panel, waitForPanelApp, waitForRefreshes } from './helpers';

test.use({ waitForApplication: waitForPanelApp, mockSettings: { ...galata.DEFAULT_SETTINGS, [PLUGIN]: TEST_SETTINGS } });

const BARS = 86_400;
const INCREMENTAL_REFRESHES = 15;
const RESULTS = path.join(__dirname, '..', 'results', 'render.json');

interface TabTiming {
  tab: string;
  fullMs: number;
  incrementalMs: number[];
  /** Of each incremental refresh, the part spent merging the reply into the model. */
  modelMs: number[];
  medianMs: number;
  /** Bars the chart stands for. */
  points: number;
  /** Points handed to Plotly after decimation to the chart's pixel width. */
  drawnPoints: number;
}

test('refresh reply to charts drawn with 86,400 one-second bars', async ({ page }) => {
  await expect(panel(page)).toHaveAttribute('data-kernel-state', 'ready', { timeout: 90_000 });
  await waitForRefreshes(page, 1);
  await control(page, 'auto-refresh').uncheck();
  await page.waitForTimeout(1500);

  const timings: TabTiming[] = [];
  for (const [tab, label, chartName] of [['spread', 'Spread & Z-Score', 'zscore'], ['prices', 'Prices & Volume', 'price-y'], ['correlation', 'Correlation', 'rolling-correlation']] as const) {
    await openTab(page, label);
    const timing = await page.evaluate(async ({ bars, refreshes, tab }) => {
      type Num = number | null;
      const app = (window as unknown as { jupyterapp: { shell: { widgets(area: string): Iterable<{ id: string; content: unknown }> } } }).jupyterapp;
      const main = [...app.shell.widgets('main')].find((w) => w.id === 'pairs-lab-main');
      const panel = main?.content as {
        model: { viewKey(): string; health: unknown };
        applySnapshot(data: unknown, seq: number, view: string): Promise<{ renderMs: number; modelMs: number } | null>;
      };
      let seed = 42;
      const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
      const t0 = Date.UTC(2026, 10, 1);
      const leg = (n: number, base: number) => {
        const open: Num[] = [], high: Num[] = [], low: Num[] = [], close: Num[] = [], volume: Num[] = [], filled: number[] = [];
        let p = base;
        for (let i = 0; i < n; i++) {
          const o = p;
          p += (rand() - 0.5) * base * 1e-4;
          open.push(o); close.push(p); high.push(Math.max(o, p) + rand()); low.push(Math.min(o, p) - rand()); volume.push(rand() * 10); filled.push(0);
        }
        return { open, high, low, close, volume, filled };
      };
      const series = (from: number, n: number) => {
        const time: number[] = [];
        const wave = (i: number, k: number): Num => Math.sin((from + i) / k) + (rand() - 0.5) * 0.2;
        const hedgeRatio: Num[] = [], intercept: Num[] = [], spread: Num[] = [], zScore: Num[] = [], correlation: Num[] = [];
        for (let i = 0; i < n; i++) {
          time.push(t0 + (from + i) * 1000);
          hedgeRatio.push(20 + wave(i, 5000)!); intercept.push(0); spread.push(wave(i, 300)! * 40); zScore.push(wave(i, 300)! * 2); correlation.push(0.8 + wave(i, 900)! * 0.1);
        }
        return { fromTime: time[0] ?? null, time, y: leg(n, 64_000), x: leg(n, 3_200), hedgeRatio, intercept, spread, zScore, correlation };
      };
      const metrics = { hedgeRatio: 20, intercept: 0, rSquared: 0.9, adfStatistic: -4, adfPValue: 0.01, halfLifeBars: 30, zScore: 1, spread: 5, correlation: 0.8, bars, lastTime: t0 + bars * 1000 };
      const lags = Array.from({ length: 41 }, (_, i) => i - 20);
      const reply = (s: ReturnType<typeof series>, full: boolean) => ({
        full, simulated: true, series: s, metrics, crossCorrelation: { lags, values: lags.map(() => rand() * 2 - 1) }, alerts: [], health: panel.model.health,
      });
      const view = panel.model.viewKey();
      const first = await panel.applySnapshot(reply(series(0, bars), true), 1, view);
      const incremental: number[] = [];
      const modelMs: number[] = [];
      for (let k = 1; k <= refreshes; k++) {
        const t = await panel.applySnapshot(reply(series(bars + k - 1, 1), false), 1 + k, view);
        incremental.push(t?.renderMs ?? NaN);
        modelMs.push(t?.modelMs ?? NaN);
      }
      const sorted = [...incremental].sort((a, b) => a - b);
      return { tab, fullMs: first?.renderMs ?? NaN, incrementalMs: incremental, modelMs, medianMs: sorted[Math.floor(sorted.length / 2)] };
    }, { bars: BARS, refreshes: INCREMENTAL_REFRESHES, tab });
    const points = Number(await chart(page, chartName).getAttribute('data-points'));
    const drawnPoints = Number(await chart(page, chartName).getAttribute('data-drawn-points'));
    timings.push({ ...timing, points, drawnPoints });
  }

  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({ date: new Date().toISOString(), bars: BARS, timings }, null, 2)}\n`);
  for (const t of timings) console.log(`[render] ${t.tab}: full ${t.fullMs.toFixed(1)} ms, incremental median ${t.medianMs.toFixed(1)} ms, ${t.points} bars as ${t.drawnPoints} points`);

  // The line charts hold the whole day; the candlesticks the newest bars only (the setting "Candles drawn").
  expect(timings.find((t) => t.tab === 'spread')?.points).toBe(BARS);
  expect(timings.find((t) => t.tab === 'correlation')?.points).toBe(BARS);
  expect(timings.find((t) => t.tab === 'prices')?.points).toBeGreaterThan(0);
  // Decimated to the pixels: at most a few points per pixel column of a chart narrower than the 1400 px viewport.
  expect(timings.find((t) => t.tab === 'spread')?.drawnPoints).toBeLessThan(3 * 1400);
  for (const t of timings) expect(Number.isFinite(t.medianMs)).toBe(true);
});
