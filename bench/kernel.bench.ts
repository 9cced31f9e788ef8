// Kernel-library benchmarks: the panel's live refresh of one pair on a day of one-second bars, through the
// real request handler and the real store, with new trades written between refreshes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type BenchOptions, type Benchmark, numberOption } from './harness';
import { answerPanelRequest, closePanelSession } from '../kernel-lib/src/panel/handler';
import { writeSimulatedHistory } from '../kernel-lib/src/session/simHistory';
import { type StoreWriter, type Tick, openStoreWriter } from '../src/store';

const PAIR = { y: 'BTCUSDT', x: 'ETHUSDT' };
const REFRESHES = 15;

interface LiveFixture {
  dir: string;
  writer: StoreWriter;
  /** Writes one more second of trades for both legs and flushes them. */
  nextSecond(): Promise<void>;
  /** Opening the view with the panel's overview request: answer time and reply size. */
  thinnedMs: number;
  thinnedBytes: number;
  fullMs: number;
  fullBytes: number;
  bars: number;
  cores: number;
}

let fixture: Promise<LiveFixture> | null = null;
const results: { refreshMs: number[]; cpuMs: number[]; bytes: number[] } = { refreshMs: [], cpuMs: [], bytes: [] };

async function setUp(): Promise<LiveFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-kernel-bench-'));
  const history = await writeSimulatedHistory(dir, { symbols: [PAIR.y, PAIR.x], hours: 24, tradesPerSecond: 8, seed: 3 });
  const writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
  const marks = writer.highWaterMarks();
  const last = { [PAIR.y]: 64_000, [PAIR.x]: 3_200 };
  let second = history.to;
  const nextSecond = async (): Promise<void> => {
    const ticks: Tick[] = [];
    for (const symbol of [PAIR.y, PAIR.x]) {
      const mark = marks.get(symbol) ?? { aggId: 0, tradeTime: 0 };
      for (let k = 0; k < 4; k++) {
        last[symbol] *= 1 + (Math.random() - 0.5) * 1e-4;
        mark.aggId += 1;
        ticks.push({ symbol, aggId: mark.aggId, tradeTime: second + k * 200, price: last[symbol], qty: 0.01, isBuyerMaker: k % 2 === 0, recvTime: second + k * 200 });
      }
      marks.set(symbol, mark);
    }
    second += 1000;
    writer.append(ticks);
    await writer.flush();
  };
  await answerPanelRequest(JSON.stringify({ id: 'init', kind: 'init', dataDir: dir, universe: [PAIR.y, PAIR.x] }));
  // the panel opens a pair as this: thinned to its tabs' width (1,200 px), the newest 1,000 bars in full
  const t0 = performance.now();
  const thinned = await answerPanelRequest(JSON.stringify({ id: 'open', kind: 'snapshot', ...PAIR, timeframe: '1s', window: 60, overview: { buckets: 1200, tailBars: 1000 } }));
  const thinnedMs = performance.now() - t0;
  if (!thinned.ok || thinned.kind !== 'snapshot' || !thinned.data.overview) throw new Error(`the thinned first snapshot failed: ${JSON.stringify(thinned).slice(0, 300)}`);
  const t1 = performance.now();
  const full = await answerPanelRequest(JSON.stringify({ id: 'full', kind: 'snapshot', ...PAIR, timeframe: '1s', window: 60 }));
  const fullMs = performance.now() - t1;
  if (!full.ok || full.kind !== 'snapshot') throw new Error(`the first snapshot failed: ${JSON.stringify(full)}`);
  return {
    dir, writer, nextSecond, thinnedMs, thinnedBytes: JSON.stringify(thinned).length, fullMs, fullBytes: JSON.stringify(full).length,
    bars: full.data.series.time.length, cores: availableParallelism(),
  };
}

/** Refreshes REFRESHES times, each after one more second of trades, as the panel does every second. */
async function measureRefreshes(): Promise<LiveFixture> {
  fixture ??= setUp();
  const f = await fixture;
  if (results.refreshMs.length) return f;
  let seq = (await answerPanelRequest(JSON.stringify({ id: 'sync', kind: 'snapshot', ...PAIR, timeframe: '1s', window: 60 }))) as { seq?: number };
  for (let i = 0; i < REFRESHES + 2; i++) {
    await f.nextSecond();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const reply = await answerPanelRequest(JSON.stringify({ id: `r${i}`, kind: 'snapshot', ...PAIR, timeframe: '1s', window: 60, sinceSeq: seq.seq }));
    const text = JSON.stringify(reply);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (!reply.ok || reply.kind !== 'snapshot' || reply.data.full) throw new Error(`refresh ${i} was not incremental: ${text.slice(0, 300)}`);
    seq = reply;
    if (i >= 2) {
      results.refreshMs.push(ms);
      results.cpuMs.push((cpu.user + cpu.system) / 1000);
      results.bytes.push(text.length);
    }
  }
  return f;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function tearDown(): Promise<void> {
  const f = await fixture;
  await closePanelSession();
  if (f) {
    await f.writer.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
}

interface KernelMemorySample {
  phase: string;
  rssMb: number;
  peakMb: number;
  heapMb: number;
  externalMb: number;
  wallS?: number;
}

/** Runs kernel-memory.js in a process of its own (the bench process holds other benchmarks' data). */
function kernelMemory(options: BenchOptions): Promise<KernelMemorySample[]> {
  const minutes = numberOption(options, 'kernel-memory-minutes', 3);
  const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-kernel-memory-'));
  const child = spawn(process.execPath, [path.join(__dirname, 'kernel-memory.js'), dir, String(minutes), '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`kernel-memory.js exited with ${code}`));
      else resolve(out.trim().split('\n').map((line) => JSON.parse(line) as KernelMemorySample));
    });
  });
}

export const benchmarks: Benchmark[] = [
  {
    group: 'kernel',
    name: 'live refresh of one pair, 86,400 1 s bars (handler: store read + analytics + reply JSON)',
    target: { kind: 'max', value: 30 },
    async run() {
      const f = await measureRefreshes();
      return {
        value: median(results.refreshMs), unit: 'ms',
        detail: `wall median of ${results.refreshMs.length} (max ${Math.max(...results.refreshMs).toFixed(1)}); CPU median ${median(results.cpuMs).toFixed(1)} ms`
          + ` (all threads); load ${loadavg()[0].toFixed(1)} on ${f.cores} cores; ${f.bars} bars; a full (unthinned) snapshot of the open view ${f.fullMs.toFixed(0)} ms`,
      };
    },
  },
  {
    group: 'kernel',
    name: 'first reply opening a pair of 86,400 1 s bars (thinned for 1,200 px, newest 1,000 bars in full)',
    target: { kind: 'max', value: 1024 },
    async run() {
      const f = await measureRefreshes();
      return {
        value: f.thinnedBytes / 1024, unit: 'KB',
        detail: `answered in ${f.thinnedMs.toFixed(0)} ms (store read + analytics of the whole day + reply); the same view unthinned is ${(f.fullBytes / 1024 / 1024).toFixed(1)} MB`,
      };
    },
  },
  {
    group: 'kernel',
    name: 'steady-state refresh reply size, 86,400 1 s bars',
    target: { kind: 'max', value: 50 },
    async run() {
      const f = await measureRefreshes();
      const kb = Math.max(...results.bytes) / 1024;
      await tearDown();
      return { value: kb, unit: 'KB', detail: `largest of ${results.bytes.length} replies; the first full reply was ${(f.fullBytes / 1024 / 1024).toFixed(1)} MB` };
    },
  },
  {
    group: 'kernel',
    name: 'panel kernel peak RSS: a day of history written, 4 pair views of 86,400 1 s bars refreshed every second',
    target: { kind: 'max', value: 600 },
    async run(options) {
      const samples = await kernelMemory(options);
      const live = samples.filter((p) => p.phase === 'live');
      const opened = samples.find((p) => p.phase === 'views open');
      const last = live[live.length - 1];
      const written = samples.find((p) => p.phase === 'history written');
      return {
        value: Math.max(...samples.map((p) => p.peakMb)), unit: 'MB',
        detail: `peak ${written?.peakMb} MB while writing the day's history in-process, RSS ${opened?.rssMb} MB when the views opened, ${live[0]?.rssMb}–${last?.rssMb} MB while refreshing for ${last?.wallS} s`
          + ` (heap ${last?.heapMb} MB, external ${last?.externalMb} MB); the process also writes the new trades`,
      };
    },
  },
];
