// Store benchmarks (group `store`): ingest of 10 M synthetic ticks through the writer, 1 s bars over all of
// them, and the newest minute of 1 s bars (the live panel's repeated request). The store lives in a temp dir
// that is removed at exit. PAIRS_LAB_BENCH_TICKS overrides the tick count for a quick run.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism as availableCores, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type Benchmark, medianMs } from './harness';
import { openStoreReader, openStoreWriter, type StoreReader, type Tick } from '../src/store';
import { readManifest } from '../src/store/manifest';

const TICKS = Number(process.env.PAIRS_LAB_BENCH_TICKS ?? 10_000_000);
const BATCH = 20_000;
const SYMBOL = 'BTCUSDT';
/** 100 trades/s: 10 M ticks span about 28 hours. */
const TICK_SPACING_MS = 10;

interface BuiltStore {
  dir: string;
  ingestTicksPerSecond: number;
  ingestDetail: string;
  reader: StoreReader;
  /** Aggregates ticks even where one-second rollups exist: the cost without them. */
  rawReader: StoreReader;
}

let built: Promise<BuiltStore> | undefined;

function makeBatch(batch: Tick[], firstId: number, start: number): void {
  let price = 60_000 + Math.sin(firstId / 1e5) * 500;
  for (let i = 0; i < batch.length; i++) {
    const id = firstId + i;
    price += ((id * 2654435761) % 1000 - 499.5) * 0.01;
    const t = start + id * TICK_SPACING_MS;
    batch[i] = { symbol: SYMBOL, aggId: id, tradeTime: t, price, qty: 0.001 * (1 + (id % 97)), isBuyerMaker: (id & 1) === 0, recvTime: t + 4 };
  }
}

async function buildStore(): Promise<BuiltStore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-bench-store-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const start = Date.UTC(2026, 0, 1);
  const writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0 });
  const batch: Tick[] = new Array<Tick>(BATCH);
  let storingMs = 0;
  let storingCpuMs = 0;
  let flushes = 0;
  const load = loadavg()[0];
  for (let first = 0; first < TICKS; first += BATCH) {
    const n = Math.min(BATCH, TICKS - first);
    batch.length = n;
    makeBatch(batch, first, start); // generating the objects is the feed's cost, not counted
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    writer.append(batch);
    await writer.flush();
    storingMs += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    storingCpuMs += (cpu.user + cpu.system) / 1000;
    flushes++;
  }
  const c0 = performance.now();
  await writer.compact(start + TICKS * TICK_SPACING_MS + 2 * 3_600_000);
  const compactMs = performance.now() - c0;
  await writer.close();
  const m = readManifest(dir);
  const bytes = m.files.reduce((s, f) => s + f.bytes, 0);
  return {
    dir,
    ingestTicksPerSecond: (TICKS / storingMs) * 1000,
    ingestDetail: `${flushes} flushes of ${BATCH} (append + Parquet COPY + rename + manifest, each fsynced with its directory), ` +
      `${((TICKS / storingCpuMs) * 1000 / 1e6).toFixed(2)} M ticks per CPU-second, load average ${load.toFixed(1)} on ${availableCores()} cores; ` +
      `then compaction to ${m.files.length} files (days → L3, hours → L1/L2) took ${(compactMs / 1000).toFixed(1)} s, ${(bytes / TICKS).toFixed(1)} bytes/tick`,
    reader: await openStoreReader({ dir }),
    rawReader: await openStoreReader({ dir, useRollups: false }),
  };
}

function store(): Promise<BuiltStore> {
  built ??= buildStore();
  return built;
}

export const benchmarks: Benchmark[] = [
  {
    group: 'store',
    name: `ingest ${TICKS / 1e6} M ticks, 20,000-tick flushes`,
    target: { kind: 'min', value: 1_000_000 },
    async run() {
      const s = await store();
      return { value: s.ingestTicksPerSecond, unit: 'ticks/s', detail: s.ingestDetail };
    },
  },
  {
    group: 'store',
    name: `1 s bars from ${TICKS / 1e6} M ticks`,
    target: { kind: 'max', value: 500 },
    async run() {
      const s = await store();
      let bars = 0;
      const ms = await medianMs(async () => { bars = (await s.reader.bars({ symbol: SYMBOL, timeframe: '1s' })).time.length; }, 3, 1);
      return { value: ms, unit: 'ms', detail: `${bars} bars from the one-second rollups written at compaction (median of 3)` };
    },
  },
  {
    group: 'store',
    name: `1 s bars from ${TICKS / 1e6} M ticks, rollups off`,
    async run() {
      const s = await store();
      let bars = 0;
      const ms = await medianMs(async () => { bars = (await s.rawReader.bars({ symbol: SYMBOL, timeframe: '1s' })).time.length; }, 3, 1);
      await s.rawReader.close();
      return { value: ms, unit: 'ms', detail: `${bars} bars aggregated from every tick in SQL (for comparison; median of 3)` };
    },
  },
  {
    group: 'store',
    name: `newest minute of 1 s bars, ${TICKS / 1e6} M-tick store`,
    target: { kind: 'max', value: 20 },
    async run() {
      const s = await store();
      let bars = 0;
      const ms = await medianMs(async () => { bars = (await s.reader.latestBars({ symbol: SYMBOL, timeframe: '1s', count: 60 })).time.length; }, 21, 3);
      await s.reader.close();
      return { value: ms, unit: 'ms', detail: `${bars} bars via latestBars (manifest pruning; median of 21)` };
    },
  },
];
