// Group `ui`: the Pairs Lab panel in a real browser. Runs the Playwright render test (ui-tests/tests/render.spec.ts:
// a JupyterLab server, the panel and its kernel, Debian's chromium), which times a refresh reply to the visible charts
// being redrawn with 86,400 one-second bars in the view, and reports its figures.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Benchmark } from './harness';

const projectRoot = path.resolve(__dirname, '..', '..');
const uiTests = path.join(projectRoot, 'ui-tests');
const results = path.join(uiTests, 'results', 'render.json');

interface RenderResults {
  bars: number;
  firstReplyBytes: number;
  timings: Array<{ tab: string; fullMs: number; medianMs: number; p90Ms?: number; coldMedianMs?: number; incrementalMs: number[]; points: number; drawnPoints: number }>;
}

let render: RenderResults | null = null;

/** Runs the browser render test once for both rows. */
function renderResults(): RenderResults {
  if (render) return render;
  if (!existsSync(path.join(uiTests, 'node_modules', '@playwright', 'test'))) {
    throw new Error('ui-tests is not installed: run `npm run setup` first');
  }
  const r = spawnSync(process.execPath, [path.join(uiTests, 'run.mjs'), 'tests/render.spec.ts'], { cwd: uiTests, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !existsSync(results)) {
    throw new Error(`the browser render test failed (exit ${r.status ?? r.signal}): ${(r.stdout + r.stderr).split('\n').filter((l) => /Error|✘/.test(l)).slice(0, 3).join(' | ')}`);
  }
  render = JSON.parse(readFileSync(results, 'utf8')) as RenderResults;
  return render;
}

export const benchmarks: Benchmark[] = [
  {
    group: 'ui',
    name: 'opening a pair of 86,400 1s bars: thinned first reply → charts drawn (slowest tab)',
    target: { kind: 'max', value: 250 },
    async run() {
      const data = renderResults();
      const slowest = data.timings.reduce((a, b) => (b.fullMs > a.fullMs ? b : a));
      return {
        value: slowest.fullMs,
        unit: 'ms',
        detail: `first reply ${(data.firstReplyBytes / 1024).toFixed(0)} KB; `
          + data.timings.map((t) => `${t.tab} ${t.fullMs.toFixed(0)} ms (${t.points} bars as ${t.drawnPoints} points)`).join('; '),
      };
    },
  },
  {
    group: 'ui',
    name: 'incremental refresh reply → charts drawn, 86,400 1s bars (median, slowest tab)',
    target: { kind: 'max', value: 50 },
    async run() {
      const data = renderResults();
      const slowest = data.timings.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
      return {
        value: slowest.medianMs,
        unit: 'ms',
        detail: `${data.timings[0]?.incrementalMs.length ?? 0} refreshes per tab after a first pass; `
          + data.timings.map((t) => `${t.tab} ${t.medianMs.toFixed(1)} ms (p90 ${t.p90Ms?.toFixed(0) ?? '?'}, first pass ${t.coldMedianMs?.toFixed(0) ?? '?'})`).join('; '),
      };
    },
  },
];
