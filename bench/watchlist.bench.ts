// The watchlist at desk scale: all 66 pairs of the simulator's 12 symbols on a day of one-second bars, refreshed
// after every two seconds of new trades written to the real store, as the panel will every second or two.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Benchmark } from './harness';
import { writeSimulatedHistory } from '../kernel-lib/src/session/simHistory';
import { openLab, type Lab } from '../kernel-lib/src/session/lab';
import { PanelWatchlist } from '../kernel-lib/src/panel/watchlistReplies';
import { scanPairsParallel } from '../kernel-lib/src/analysis/parallelScan';
import { universeGrid } from '../kernel-lib/src/analysis/scan';
import { type StoreReader, type StoreWriter, type Tick, openStoreWriter } from '../src/store';

const REFRESHES = 15;
/** Pairs statsmodels is timed on (all 66 would take it many minutes); its figure is scaled to 66. */
const REFERENCE_PAIRS = 2;
const referencePython = path.join(__dirname, '..', '..', '.venv-fixtures', 'bin', 'python');
/**
 * Refreshes before the measured ones: a refresh re-reads the newest 30 buckets, which for the first 30 s after the
 * history still lie in its day file (86,400 rollup rows per symbol); a running recorder's newest buckets are in small files.
 */
const WARMUP = 20;

interface Fixture {
  dir: string;
  symbols: string[];
  lab: Lab;
  reader: StoreReader;
  writer: StoreWriter;
  maxBars: number;
  openMs: number;
  historyMs: number;
  ticks: number;
  refreshMs: number[];
  cpuMs: number[];
  queryMs: number[];
  replyBytes: number[];
  fullBytes: number;
}

let fixture: Promise<Fixture> | null = null;

async function setUp(): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-watchlist-bench-'));
  const t0 = performance.now();
  // 36 trades/s over 12 symbols fills nearly every one-second bucket of every symbol for the day
  const history = await writeSimulatedHistory(dir, { hours: 24, tradesPerSecond: 36, seed: 5 });
  const historyMs = performance.now() - t0;
  const lab = await openLab({ dataDir: dir });
  const reader = lab.reader;
  const writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
  const symbols = history.symbols;
  const pairs = symbols.flatMap((y, i) => symbols.slice(i + 1).map((x) => ({ y, x })));
  let second = history.to + 1000;
  // the panel's side of the watchlist: refresh and reply, as the panel asks for it on every refresh
  const panel = new PanelWatchlist(lab);
  const request = { id: 'w', kind: 'watchlist', timeframe: '1s', alerts: { zScore: 2 } } as const;
  const t1 = performance.now();
  const opened = await panel.answer({ ...request, add: pairs });
  const openMs = performance.now() - t1;
  if (opened.data.pairs.length !== 66) throw new Error(`the watchlist holds ${opened.data.pairs.length} pairs, expected 66`);
  let seq = opened.seq;
  const marks = writer.highWaterMarks();
  const price = new Map<string, number>();
  for (const s of symbols) price.set(s, (await reader.latestBars({ symbol: s, timeframe: '1s', count: 1 })).close[0]);
  const f: Fixture = {
    dir, symbols, lab, reader, writer, maxBars: 2_000, openMs, historyMs, ticks: history.ticks, refreshMs: [], cpuMs: [], queryMs: [], replyBytes: [],
    fullBytes: JSON.stringify({ ...opened, ok: true }).length,
  };
  for (let i = 0; i < REFRESHES + WARMUP; i++) {
    const ticks: Tick[] = [];
    for (let s = 0; s < 2; s++, second += 1000) {
      for (const symbol of symbols) {
        const mark = marks.get(symbol)!;
        for (let k = 0; k < 3; k++) {
          const p = price.get(symbol)! * (1 + (Math.random() - 0.5) * 4e-4);
          price.set(symbol, p);
          mark.aggId += 1;
          ticks.push({ symbol, aggId: mark.aggId, tradeTime: second + k * 300, price: p, qty: 0.1, isBuyerMaker: k % 2 === 0, recvTime: second + k * 300 });
        }
      }
    }
    writer.append(ticks);
    await writer.flush();
    const q0 = performance.now();
    await reader.symbolsBars({ timeframe: '1s', from: new Map(symbols.map((s) => [s, second - 31_000])) });
    const queryMs = performance.now() - q0;
    const cpu0 = process.cpuUsage();
    const r0 = performance.now();
    const r = await panel.answer({ ...request, sinceSeq: seq });
    const bytes = JSON.stringify({ id: request.id, ok: true, kind: request.kind, seq: r.seq, data: r.data }).length;
    const ms = performance.now() - r0;
    const cpu = process.cpuUsage(cpu0);
    if (r.data.full || r.data.rows.length !== 66) throw new Error(`refresh ${i} was not an incremental reply of 66 rows`);
    seq = r.seq;
    if (i >= WARMUP) {
      f.refreshMs.push(ms);
      f.cpuMs.push((cpu.user + cpu.system) / 1000);
      f.queryMs.push(queryMs);
      f.replyBytes.push(bytes);
    }
  }
  return f;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function tearDown(): Promise<void> {
  const f = await fixture;
  fixture = null;
  if (!f) return;
  await f.writer.close();
  await f.lab.close();
  rmSync(f.dir, { recursive: true, force: true });
}

/** statsmodels on the first REFERENCE_PAIRS pairs of the same universe, ms; null without .venv-fixtures. */
function statsmodelsScanMs(universe: Record<string, Float64Array>): { ms: number; pairs: number } | null {
  if (!existsSync(referencePython)) return null;
  const series = Object.values(universe);
  const flat = new Float64Array(series.length * series[0].length);
  series.forEach((p, k) => flat.set(p, k * p.length));
  const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-scan-ref-'));
  const file = path.join(dir, 'universe.f64');
  writeFileSync(file, Buffer.from(flat.buffer));
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on this machine for old OpenBLAS builds and slow a current numpy
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(referencePython, [path.join(__dirname, '..', '..', 'python', 'fixtures', 'bench_scan_reference.py'), file, String(series.length), String(REFERENCE_PAIRS)], { env, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; pairs: number };
}

export const benchmarks: Benchmark[] = [
  {
    group: 'watchlist',
    name: 'universe scan, 66 pairs × 86,400 1 s bars (store read + worker threads)',
    target: { kind: 'max', value: 2000 },
    async run() {
      fixture ??= setUp();
      const f = await fixture;
      const settings = { timeframe: '1s', maxBars: 86_400 };
      const t0 = performance.now();
      const grid = await universeGrid(f.reader, f.symbols, settings);
      const readMs = performance.now() - t0;
      const rows = await scanPairsParallel(grid.universe);
      const ms = performance.now() - t0;
      const t1 = performance.now();
      await scanPairsParallel(grid.universe, { threads: 1 });
      const oneThreadMs = performance.now() - t1;
      if (rows.length !== 66) throw new Error(`the scan ranked ${rows.length} pairs, expected 66`);
      const ref = statsmodelsScanMs(grid.universe);
      const scanMs = ms - readMs;
      const versus = ref
        ? `statsmodels (coint both ways, adfuller, half-life OLS, correlation) ${(ref.ms / ref.pairs).toFixed(0)} ms a pair on ${ref.pairs} pairs → ${((ref.ms / ref.pairs) * 66 / 1000).toFixed(0)} s for 66, ${((ref.ms / ref.pairs) * 66 / scanMs).toFixed(0)}× our scan`
        : 'statsmodels not measured (no .venv-fixtures; run bash python/fixtures/make.sh --venv-only)';
      return {
        value: ms, unit: 'ms',
        detail: `${grid.bars} bars; reading and aligning 12 symbols ${readMs.toFixed(0)} ms, the scan ${scanMs.toFixed(0)} ms on ${availableParallelism()} threads (${oneThreadMs.toFixed(0)} ms on one); ${versus}; load ${loadavg()[0].toFixed(1)}`,
      };
    },
  },
  {
    group: 'watchlist',
    name: 'watchlist of 66 pairs on 86,400 1 s bars: steady refresh after 2 s of new bars (kernel: store read, 66 pairs, reply)',
    target: { kind: 'max', value: 30 },
    async run() {
      fixture ??= setUp();
      const f = await fixture;
      return {
        value: median(f.refreshMs), unit: 'ms',
        detail: `wall median of ${f.refreshMs.length} (max ${Math.max(...f.refreshMs).toFixed(1)}); of it the one store query for 12 symbols alone ${median(f.queryMs).toFixed(1)} ms;`
          + ` CPU median ${median(f.cpuMs).toFixed(1)} ms; load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores; 66 pairs × ${f.maxBars} bars held;`
          + ` opening the 66 pairs ${(f.openMs / 1000).toFixed(1)} s; the day of history (${(f.ticks / 1e6).toFixed(1)} M trades) written in ${(f.historyMs / 1000).toFixed(0)} s`,
      };
    },
  },
  {
    group: 'watchlist',
    name: 'watchlist steady refresh reply, 66 pairs (changed fields and sparkline tails)',
    target: { kind: 'max', value: 20 },
    async run() {
      fixture ??= setUp();
      const f = await fixture;
      const kb = Math.max(...f.replyBytes) / 1024;
      await tearDown();
      return { value: kb, unit: 'KB', detail: `largest of ${f.replyBytes.length} replies; the first, full reply of 66 rows ${(f.fullBytes / 1024).toFixed(0)} KB` };
    },
  },
];
