// Feed soak (trades only; bench/market-data.bench.ts adds markPrice and bookTicker): the simulated exchange in a
// child process sends 20,000 aggTrade frames/s across 12 symbols; the
// recorder in this process stores them in a real store for 60 s after a 10 s warm-up. Measures the stored
// rate, lost and duplicated ids, event-loop lag p99 and memory growth. FEED_BENCH_SECONDS shortens the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Benchmark } from './harness';
import { startRecorder } from '../src/feed/recorder';
import { defaultSymbols } from '../src/feed/universe';
import { openStoreReader } from '../src/store';

const rate = 20_000;
const warmupS = 10;

interface Soak {
  seconds: number;
  framesPerSec: number;
  lost: number;
  duplicates: number;
  stored: number;
  lagP99Ms: number;
  lagMaxMs: number;
  rssWarmMB: number;
  rssEndMB: number;
  heapWarmMB: number;
  heapEndMB: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number): number => bytes / 1024 / 1024;

function startExchange(stopAfterS: number): Promise<{ child: ChildProcess; wsUrl: string; restUrl: string }> {
  const cli = path.join(__dirname, '..', 'src', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'simulate', '--port', '0', '--rate', String(rate), '--no-bursts', '--tick-ms', '10', '--stop-after', String(stopAfterS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(line) as { wsUrl: string; restUrl: string }) });
    });
    child.once('exit', (code) => reject(new Error(`simulated exchange exited with ${code} before listening`)));
  });
}

async function latestId(restUrl: string, symbol: string): Promise<number> {
  const rows = (await (await fetch(`${restUrl}/fapi/v1/aggTrades?symbol=${symbol}&limit=1`)).json()) as { a: number }[];
  return rows[0]?.a ?? -1;
}

async function runSoak(): Promise<Soak> {
  const seconds = Number(process.env.FEED_BENCH_SECONDS ?? 60);
  const ex = await startExchange(warmupS + seconds + 2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-feed-'));
  try {
    const recorder = await startRecorder({ dataDir: dir, symbols: defaultSymbols, streams: ['aggTrade'], source: { wsUrl: ex.wsUrl, restUrl: ex.restUrl }, store: process.env.FEED_BENCH_NO_COMPACT ? { compactIntervalMs: 0 } : undefined });
    const t0 = Date.now();
    await sleep(warmupS * 1000);
    const h0 = recorder.health();
    const m0 = process.memoryUsage();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    await sleep(seconds * 1000);
    lag.disable();
    const h1 = recorder.health();
    const m1 = process.memoryUsage();
    // Trading stops at warm-up + run + 2 s; then everything received must reach the store.
    await sleep(Math.max(0, t0 + (warmupS + seconds + 3) * 1000 - Date.now()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const h = recorder.health();
      if (h.store.pendingTicks === 0 && h.gaps.open === 0) break;
      await sleep(200);
    }
    await recorder.stop();
    const reader = await openStoreReader({ dir });
    const t = await reader.query('SELECT symbol, count(*) AS n, count(DISTINCT aggId) AS d, min(aggId) AS lo, max(aggId) AS hi FROM ticks GROUP BY symbol');
    await reader.close();
    let lost = 0;
    let duplicates = 0;
    let stored = 0;
    const col = (name: string) => t.columns.find((c) => c.name === name)?.values ?? [];
    const [sym, n, d, lo, hi] = ['symbol', 'n', 'd', 'lo', 'hi'].map(col);
    for (let i = 0; i < t.rowCount; i++) {
      const last = await latestId(ex.restUrl, String(sym[i]));
      lost += Number(hi[i]) - Number(lo[i]) + 1 - Number(d[i]) + Math.max(0, last - Number(hi[i]));
      duplicates += Number(n[i]) - Number(d[i]);
      stored += Number(n[i]);
    }
    if (t.rowCount !== defaultSymbols.length) lost += 1e9;
    return {
      seconds,
      framesPerSec: (h1.tradesReceived - h0.tradesReceived) / seconds,
      lost,
      duplicates,
      stored,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      rssWarmMB: mb(m0.rss),
      rssEndMB: mb(m1.rss),
      heapWarmMB: mb(m0.heapUsed),
      heapEndMB: mb(m1.heapUsed),
    };
  } finally {
    ex.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

let soak: Promise<Soak> | undefined;
const once = (): Promise<Soak> => (soak ??= runSoak());

export const benchmarks: Benchmark[] = [
  {
    group: 'feed',
    name: 'recorder: aggTrade frames/s stored (12 symbols, 20k/s offered, 60 s)',
    target: { kind: 'min', value: 19_000 },
    async run() {
      const s = await once();
      return { value: s.framesPerSec, unit: 'frames/s', detail: `${s.stored} ticks stored over the run, ${s.seconds} s measured after ${warmupS} s warm-up` };
    },
  },
  {
    group: 'feed',
    name: 'recorder: ids lost or duplicated in the soak',
    target: { kind: 'max', value: 0 },
    async run() {
      const s = await once();
      return { value: s.lost + s.duplicates, unit: 'ids', detail: `${s.lost} missing, ${s.duplicates} duplicated` };
    },
  },
  {
    group: 'feed',
    name: 'recorder: event-loop lag p99 during the soak',
    target: { kind: 'max', value: 50 },
    async run() {
      const s = await once();
      return { value: s.lagP99Ms, unit: 'ms', detail: `max ${s.lagMaxMs.toFixed(1)} ms` };
    },
  },
  {
    group: 'feed',
    name: 'recorder: heap growth from warm-up to end',
    target: { kind: 'max', value: 32 },
    async run() {
      const s = await once();
      return { value: s.heapEndMB - s.heapWarmMB, unit: 'MB', detail: `heap ${s.heapWarmMB.toFixed(0)} → ${s.heapEndMB.toFixed(0)} MB; RSS ${s.rssWarmMB.toFixed(0)} → ${s.rssEndMB.toFixed(0)} MB` };
    },
  },
  {
    group: 'feed',
    name: 'recorder: RSS growth from warm-up to end',
    target: { kind: 'max', value: 64 },
    async run() {
      const s = await once();
      return { value: s.rssEndMB - s.rssWarmMB, unit: 'MB', detail: `RSS ${s.rssWarmMB.toFixed(0)} → ${s.rssEndMB.toFixed(0)} MB` };
    },
  },
];
