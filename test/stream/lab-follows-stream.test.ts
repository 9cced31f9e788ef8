// A kernel with no recorder: `openLab({ nats })` follows live bars from the tick stream that a `record --nats` CLI
// process publishes from the simulated exchange (in this process, so every trade's time is known). Each poll of the
// lab's 1 s bars tells which trades are visible; every trade must be visible within 1 s of its trade time. The bars
// equal the recorder's own store's bars; a notebook on the tslab kernel does the same through the pairs-lab package;
// a lab on an unreachable NATS says which URL and what to do.
// Uses the compiled CLI for the recorder: run `npm run build` first (`npm test` does).
import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerPanelRequest, closePanelSession } from '../../kernel-lib/src/panel/handler';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { readRecorderHealth } from '../../src/feed/health';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { type BarSeries, openStoreReader } from '../../src/store';
import { idCheck, storedIds, waitFor } from '../feed/helpers';
import { freePort } from '../support/processes';
import { type NotebookCell, root, runNotebook } from '../notebooks/run-notebook';
import { startRecorderCli, stopChildByPid } from './helpers';
import { type NatsNode, startNatsServer, stopNode } from './nats-server';

const symbols = ['BTCUSDT', 'ETHUSDT'];
const LIVE_MS = 6_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Equal bars; sums (volume, VWAP) to rounding, since files of other sizes add the same ticks in another order. */
function sameBars(got: BarSeries, want: BarSeries): void {
  expect(got.time.length).toBeGreaterThan(0);
  for (const k of ['time', 'open', 'high', 'low', 'close', 'trades', 'filled'] as const) expect(got[k], k).toEqual(want[k]);
  for (const k of ['volume', 'vwap'] as const) got[k].forEach((v, i) => expect(v, `${k}[${i}]`).toBeCloseTo(want[k][i], 9));
}

describe('openLab({ nats }) without a recorder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-lab-'));
  let nats: NatsNode | undefined;
  let exchange: SimulatedExchange | undefined;
  let recorder: ChildProcess | undefined;
  afterAll(async () => {
    await stopChildByPid(recorder, 'SIGKILL');
    await exchange?.close();
    await stopNode(nats);
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows live bars within 1 s of each trade, equal to a recorder store\'s bars', async () => {
    nats = await startNatsServer(path.join(dir, 'nats'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 100, bursts: false, seed: 31 });
    const recorderDir = path.join(dir, 'recorder');
    // The recorder's default flush period (250 ms): the latency a desk gets without tuning.
    recorder = startRecorderCli(exchange, nats.url, recorderDir, symbols, ['--flush-interval', '250']);
    await waitFor(async () => ((await readRecorderHealth(recorderDir))?.outputs[0]?.sentTicks ?? 0) > 50, 20_000, 'recorder publishing', 100);

    const lab = await openLab({ nats: nats.url });
    try {
      expect(lab.universe).toEqual(symbols);
      expect(lab.natsServers).toBe(nats.url);
      const history = await lab.bars('BTCUSDT', '1s');
      expect(history.time.length).toBeGreaterThan(0);

      // Trades from a bucket start after the lab opened: their count in the lab's bars says which are visible.
      const from = Math.ceil(Date.now() / 1000) * 1000 + 1000;
      const polls: Array<{ at: number; visible: Map<string, number> }> = [];
      while (Date.now() < from + LIVE_MS) {
        const visible = new Map<string, number>();
        for (const s of symbols) {
          const bars = await lab.bars(s, '1s', { from });
          visible.set(s, bars.trades.reduce((n, t) => n + t, 0));
        }
        polls.push({ at: Date.now(), visible });
        await new Promise((r) => setTimeout(r, 20));
      }
      const latencies: number[] = [];
      for (const s of symbols) {
        const trades = exchange.market.byTime(s, from, from + LIVE_MS - 1_000, 100_000);
        expect(trades.length).toBeGreaterThan(100);
        for (const [k, trade] of trades.entries()) {
          const seen = polls.find((p) => (p.visible.get(s) ?? 0) > k);
          expect(seen, `${s} trade ${trade.aggId} at ${trade.time} never visible`).toBeDefined();
          latencies.push(seen!.at - trade.time);
        }
      }
      latencies.sort((a, b) => a - b);
      process.stderr.write(`[lab-stream] trade → bar visible: p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, max ${latencies.at(-1)} ms over ${latencies.length} trades, ${polls.length} polls\n`);
      expect(latencies.at(-1)!).toBeLessThanOrEqual(1_000);

      const view = await lab.pair('BTCUSDT', 'ETHUSDT', { timeframe: '1s', window: 5, hedge: 'ols', hedgeWindow: 5 });
      const before = view.length;
      expect(before).toBeGreaterThan(5);
      await waitFor(async () => { await view.refresh(); return view.length > before; }, 5_000, 'pair view grows with live bars', 100);
      expect((await lab.health()).state).toBe('attached');

      // The same trades through the recorder's store: the same bars.
      await stopChildByPid(recorder, 'SIGTERM');
      const to = from + LIVE_MS - 1_000;
      const reader = await openStoreReader({ dir: recorderDir });
      try {
        for (const s of symbols) {
          await waitFor(async () => (await lab.bars(s, '1s', { from, to })).trades.reduce((n, t) => n + t, 0) === exchange!.market.byTime(s, from, to - 1, 100_000).length, 5_000, `${s} window complete`, 100);
          for (const timeframe of ['1s', '5s']) sameBars(await lab.bars(s, timeframe, { from, to }), await reader.bars({ symbol: s, timeframe, from, to }));
        }
      } finally {
        await reader.close();
      }
    } finally {
      await lab.close();
    }
  }, 90_000);

  it('works from a notebook on the Pairs Lab kernel (tslab)', async () => {
    // nats and the exchange of the first test are still up; a recorder of its own publishes (joining the stream).
    const recorderDir = path.join(dir, 'recorder-for-notebook');
    recorder = startRecorderCli(exchange!, nats!.url, recorderDir, symbols);
    await waitFor(async () => ((await readRecorderHealth(recorderDir))?.outputs[0]?.sentTicks ?? 0) > 20, 20_000, 'recorder publishing', 100);
    // Inside the project, so that the notebook resolves the pairs-lab package from its folder upward.
    mkdirSync(path.join(root, 'tmp'), { recursive: true });
    const folder = mkdtempSync(path.join(root, 'tmp', 'stream-notebook-'));
    try {
      const cells = [
        "import * as pl from 'pairs-lab';",
        `const lab = await pl.openLab({ nats: ${JSON.stringify(nats!.url)} });`,
        "const view = await lab.pair('BTCUSDT', 'ETHUSDT', { timeframe: '1s', window: 5, hedge: 'ols', hedgeWindow: 5 });\nconst before = view.length;\n"
          + "while (view.length <= before) { await new Promise((r) => setTimeout(r, 200)); await view.refresh(); }\n"
          + "pl.show(view.charts.spread({ entry: 2 }));\nconsole.log(JSON.stringify({ grew: view.length > before, universe: lab.universe, health: (await lab.health()).state }));",
        'await lab.close();',
      ].map((source, i): NotebookCell & { id: string; metadata: object } => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null }));
      const notebook = path.join(folder, 'live-from-stream.ipynb');
      writeFileSync(notebook, JSON.stringify({ cells, metadata: { kernelspec: { name: 'pairs-lab', display_name: 'Pairs Lab (TypeScript)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 }));
      const report = await runNotebook(notebook, {}, path.join(folder, 'executed'), 60);
      expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
      expect(report.mime['application/vnd.plotly.v1+json']).toBe(1);
      const executed = JSON.parse(readFileSync(path.join(folder, 'executed', 'live-from-stream.ipynb'), 'utf8')) as { cells: NotebookCell[] };
      expect(JSON.stringify(executed.cells[2].outputs)).toContain(JSON.stringify(JSON.stringify({ grew: true, universe: symbols, health: 'attached' })).slice(1, -1));
    } finally {
      await stopChildByPid(recorder, 'SIGTERM');
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it('keeps the stream in dataDir: a reopened lab resumes from its newest tick; a store another process writes is refused', async () => {
    const recorderDir = path.join(dir, 'recorder-for-resume');
    recorder = startRecorderCli(exchange!, nats!.url, recorderDir, symbols);
    try {
      await waitFor(async () => ((await readRecorderHealth(recorderDir))?.outputs[0]?.sentTicks ?? 0) > 20, 20_000, 'recorder publishing', 100);
      const kept = path.join(dir, 'lab-store');
      const count = async (lab: Lab) => (await lab.bars('BTCUSDT', '1s')).trades.reduce((n, t) => n + t, 0);
      const first = await openLab({ nats: nats!.url, dataDir: kept });
      const before = await count(first);
      expect(before).toBeGreaterThan(0);
      await first.close();
      const reopened = await openLab({ nats: nats!.url, dataDir: kept });
      try {
        expect(await count(reopened)).toBeGreaterThanOrEqual(before);
        await waitFor(async () => (await count(reopened)) > before, 5_000, 'reopened lab grows', 100);
      } finally {
        await reopened.close();
      }
      const ids = await storedIds(kept);
      for (const s of symbols) expect(idCheck(ids.get(s) ?? []), s).toMatchObject({ duplicates: 0 });

      const refused = await openLab({ nats: nats!.url, dataDir: recorderDir }).then(() => null, (e: unknown) => e as Error);
      expect(refused?.message).toContain(`${recorderDir} is written by process`);
      expect(refused?.message).toContain('without nats');
    } finally {
      await stopChildByPid(recorder, 'SIGTERM');
    }
  }, 60_000);

  it('lets the panel follow the stream when its kernel has PAIRS_LAB_NATS', async () => {
    const recorderDir = path.join(dir, 'recorder-for-panel');
    recorder = startRecorderCli(exchange!, nats!.url, recorderDir, symbols);
    process.env.PAIRS_LAB_NATS = nats!.url;
    try {
      await waitFor(async () => ((await readRecorderHealth(recorderDir))?.outputs[0]?.sentTicks ?? 0) > 20, 20_000, 'recorder publishing', 100);
      const answer = async (request: object) => {
        const reply = await answerPanelRequest(JSON.stringify(request));
        if (!reply.ok) throw new Error(JSON.stringify(reply.error));
        return reply as unknown as { data: { series: { time: number[] }; health: { state: string } } };
      };
      await answer({ id: 'i', kind: 'init' });
      const view = { y: 'BTCUSDT', x: 'ETHUSDT', timeframe: '1s', window: 4, hedge: 'ols', hedgeWindow: 6 };
      const first = await answer({ id: 's1', kind: 'snapshot', ...view });
      expect(first.data.health.state).toBe('attached');
      const last = first.data.series.time.at(-1) ?? 0;
      await waitFor(async () => ((await answer({ id: 's2', kind: 'snapshot', ...view })).data.series.time.at(-1) ?? 0) > last, 5_000, 'panel snapshot with newer bars', 200);
    } finally {
      delete process.env.PAIRS_LAB_NATS;
      await closePanelSession();
      await stopChildByPid(recorder, 'SIGTERM');
    }
  }, 60_000);

  it('says which NATS URL cannot be reached and what to do', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const err = await openLab({ nats: url }).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toContain(`cannot reach NATS at ${url}`);
    expect(err?.message).toContain('nats-server');
    expect(err?.message).not.toMatch(/undefined/);
  });
});
