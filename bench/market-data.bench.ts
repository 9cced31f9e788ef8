// Ingest with all three streams: the simulated exchange in a child process sends, across 12 symbols, 20,000
// aggTrades/s, 40,000 bookTicker quotes/s (one after every trade and 20,000 more) and markPrice@1s; the recorder in
// this process stores everything in a real store (funding history included). Measures what reached the store per
// stream and the event-loop lag p99 after a 10 s warm-up. MD_BENCH_SECONDS shortens the run (default 30);
// MD_BENCH_TRADE_RATE and MD_BENCH_QUOTE_RATE (quotes besides the one after each trade) change the load.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Benchmark } from './harness';
import { startRecorder } from '../src/feed/recorder';
import { defaultSymbols } from '../src/feed/universe';

const tradeRate = Number(process.env.MD_BENCH_TRADE_RATE ?? 20_000);
const backgroundQuoteRate = Number(process.env.MD_BENCH_QUOTE_RATE ?? 20_000);
const warmupS = 10;

interface Run {
  seconds: number;
  tradesPerSec: number;
  quotesPerSec: number;
  marksPerSec: number;
  fundingEvents: number;
  lagP99Ms: number;
  lagMaxMs: number;
  badFrames: number;
  pendingAtEnd: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startExchange(stopAfterS: number): Promise<{ child: ChildProcess; wsUrl: string; restUrl: string }> {
  const cli = path.join(__dirname, '..', 'src', 'cli', 'main.js');
  const args = ['simulate', '--port', '0', '--rate', String(tradeRate), '--quote-rate', String(backgroundQuoteRate), '--no-bursts', '--tick-ms', '10', '--stop-after', String(stopAfterS)];
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(out.split('\n')[0]) as { wsUrl: string; restUrl: string }) });
    });
    child.once('exit', (code) => reject(new Error(`simulated exchange exited with ${code} before listening`)));
  });
}

async function measure(): Promise<Run> {
  const seconds = Number(process.env.MD_BENCH_SECONDS ?? 30);
  const ex = await startExchange(warmupS + seconds + 2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-market-data-'));
  try {
    const recorder = await startRecorder({ dataDir: dir, symbols: defaultSymbols, source: { wsUrl: ex.wsUrl, restUrl: ex.restUrl }, healthIntervalMs: 0 });
    await sleep(warmupS * 1000);
    const stored = (): { trades: number; quotes: number; marks: number } => {
      const s = recorder.health().streams;
      return { trades: s.aggTrade?.stored ?? 0, quotes: s.bookTicker?.stored ?? 0, marks: s.markPrice?.stored ?? 0 };
    };
    const s0 = stored();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    await sleep(seconds * 1000);
    lag.disable();
    const s1 = stored();
    const h = recorder.health();
    await recorder.stop();
    const bad = Object.values(h.streams).reduce((n, s) => n + Object.values(s?.badFrames ?? {}).reduce((a, b) => a + b, 0), 0);
    return {
      seconds,
      tradesPerSec: (s1.trades - s0.trades) / seconds,
      quotesPerSec: (s1.quotes - s0.quotes) / seconds,
      marksPerSec: (s1.marks - s0.marks) / seconds,
      fundingEvents: h.funding?.stored ?? 0,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      badFrames: bad,
      pendingAtEnd: h.store.pendingTicks,
    };
  } finally {
    ex.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

let run: Promise<Run> | undefined;
const once = (): Promise<Run> => (run ??= measure());

export const benchmarks: Benchmark[] = [
  {
    group: 'market-data',
    name: 'recorder, all three streams: bookTicker quotes/s stored (12 symbols)',
    target: { kind: 'min', value: 0.95 * (tradeRate + backgroundQuoteRate) },
    async run() {
      const r = await once();
      return { value: r.quotesPerSec, unit: 'quotes/s', detail: `offered ${tradeRate + backgroundQuoteRate}/s; trades ${r.tradesPerSec.toFixed(0)}/s, marks ${r.marksPerSec.toFixed(1)}/s, ${r.fundingEvents} funding events, ${r.badFrames} bad frames; ${r.seconds} s after ${warmupS} s warm-up` };
    },
  },
  {
    group: 'market-data',
    name: 'recorder, all three streams: aggTrades/s stored',
    target: { kind: 'min', value: 0.95 * tradeRate },
    async run() {
      const r = await once();
      return { value: r.tradesPerSec, unit: 'trades/s' };
    },
  },
  {
    group: 'market-data',
    name: 'recorder, all three streams: event-loop lag p99',
    target: { kind: 'max', value: 50 },
    async run() {
      const r = await once();
      return { value: r.lagP99Ms, unit: 'ms', detail: `max ${r.lagMaxMs.toFixed(1)} ms` };
    },
  },
];
