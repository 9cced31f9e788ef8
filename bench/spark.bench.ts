// The universe scan of a lake on a Spark standalone cluster, at research scale: 66 pairs (12 symbols) × 7 days of
// one-second bars (604,800 per symbol, written straight from a generator of cointegrated random walks), scanned at
// --spark-timeframe (default 1m: 10,080 grid bars per pair) with 1 worker, with 2 workers (one core each) and here.
// Also the parameter search of those 66 pairs (12 grid points, trained on 70%) here and with 2 workers.
// Run with `npm run bench -- spark` after `node scripts/setup.mjs --with-spark`.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchOptions } from './harness';
import { writeSyntheticLake } from './lake-generator';
import {
  type LakeScan, type LakeSearch, type SearchSpec, scanLakeLocally, scanLakeOnSpark, searchLakeLocally, searchLakeOnSpark, startSparkCluster,
} from '../src/research';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT', 'AVAXUSDT', 'LINKUSDT', 'DOTUSDT', 'LTCUSDT', 'TRXUSDT'];
const DAYS = 7;

interface Fixture {
  dir: string;
  lake: string;
  bars: number;
  writeMs: number;
  local?: LakeScan;
  localSearch?: LakeSearch;
  clusterStartMs: number[];
}

let fixture: Promise<Fixture> | null = null;

function setUp(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-spark-bench-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const lake = path.join(dir, 'lake');
    const t0 = performance.now();
    // every second of every symbol has a bar: 604,800 per symbol
    const bars = await writeSyntheticLake(lake, { symbols: SYMBOLS, firstDay: '2026-11-01', days: DAYS, seed: 3, missingEvery: 0, staggerMinutes: 0 });
    return { dir, lake, bars, writeMs: performance.now() - t0, clusterStartMs: [] };
  })();
  return fixture;
}

const timeframe = (o: BenchOptions): string => o.get('spark-timeframe') ?? '1m';
const load = (): string => `load ${loadavg()[0].toFixed(1)}`;

function sameRows(a: LakeScan, b: LakeScan): boolean {
  return a.rows.length === b.rows.length && a.rows.every((r, i) => (Object.keys(r) as Array<keyof typeof r>).every((k) => Object.is(r[k], b.rows[i][k])));
}

async function localScan(o: BenchOptions): Promise<LakeScan> {
  const f = await setUp();
  f.local ??= await scanLakeLocally({ lake: f.lake, timeframe: timeframe(o) });
  return f.local;
}

function sparkScan(workers: number): Benchmark {
  return {
    group: 'spark',
    name: `universe scan, 66 pairs × 7 days of 1 s bars, Spark standalone ${workers} worker${workers > 1 ? 's' : ''} (1 core each)`,
    async run(o) {
      const f = await setUp();
      const local = await localScan(o);
      const cluster = await startSparkCluster({ dir: path.join(f.dir, `cluster-${workers}`), workers, memoryPerWorker: '1g' });
      f.clusterStartMs.push(cluster.startMs);
      try {
        const t0 = performance.now();
        const scan = await scanLakeOnSpark({ lake: f.lake, timeframe: timeframe(o), master: cluster.masterUrl });
        const ms = performance.now() - t0;
        const p = scan.spark?.phasesMs;
        const phases = p ? `job phases (s from its start): session ${p.session / 1000}, bars ${p.bars / 1000}, grid ${p.grid / 1000}, rows ${p.rows / 1000}; ` : '';
        return {
          value: ms / 1000,
          unit: 's',
          detail: `${scan.rows.length} pairs × ${scan.bars} bars of ${timeframe(o)}; rows bit-equal to the local scan: ${sameRows(scan, local) ? 'yes' : 'NO'}; ${phases}cluster up in ${(cluster.startMs / 1000).toFixed(1)} s; ${load()}`,
        };
      } finally {
        await cluster.stop();
      }
    },
  };
}

const SEARCH: SearchSpec = {
  grid: { entry: [1.5, 2, 2.5], exit: [0, 0.5], window: [60, 120], hedge: [{ kind: 'rolling', estimator: 'ols', window: 240 }] },
  trainFraction: 0.7,
};

/** Every number of every row equal (Object.is): JSON with each number as its exact text. */
const searchBits = (s: LakeSearch): string => JSON.stringify(s.pairs, (_k, v: unknown) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : v));

async function localSearch(o: BenchOptions): Promise<LakeSearch> {
  const f = await setUp();
  f.localSearch ??= await searchLakeLocally({ lake: f.lake, timeframe: timeframe(o), search: SEARCH });
  return f.localSearch;
}

const searchName = (where: string): string => `parameter search, 66 pairs × 12 points (train 70%/test), ${where}`;

export const benchmarks: Benchmark[] = [
  {
    group: 'spark',
    name: 'universe scan, 66 pairs × 7 days of 1 s bars, here (DuckDB + analytics, one thread)',
    async run(o) {
      const f = await setUp();
      const t0 = performance.now();
      const scan = await localScan(o);
      const ms = performance.now() - t0;
      return { value: ms / 1000, unit: 's', detail: `${scan.rows.length} pairs × ${scan.bars} bars of ${timeframe(o)}; lake of ${f.bars.toLocaleString('en-US')} one-second bars written in ${(f.writeMs / 1000).toFixed(1)} s; ${load()}` };
    },
  },
  sparkScan(1),
  sparkScan(2),
  {
    group: 'spark',
    name: searchName('here (one thread)'),
    async run(o) {
      await setUp();
      const t0 = performance.now();
      const found = await localSearch(o);
      const runs = found.pairs.reduce((a, p) => a + p.runs, 0);
      return { value: (performance.now() - t0) / 1000, unit: 's', detail: `${found.pairs.length} pairs × ${found.bars} bars of ${timeframe(o)}, ${runs} simulations; ${load()}` };
    },
  },
  {
    group: 'spark',
    name: searchName('Spark standalone 2 workers (1 core each)'),
    async run(o) {
      const f = await setUp();
      const here = await localSearch(o);
      const cluster = await startSparkCluster({ dir: path.join(f.dir, 'cluster-search'), workers: 2, memoryPerWorker: '1g' });
      try {
        const t0 = performance.now();
        const found = await searchLakeOnSpark({ lake: f.lake, timeframe: timeframe(o), search: SEARCH, master: cluster.masterUrl });
        const ms = performance.now() - t0;
        return { value: ms / 1000, unit: 's', detail: `${found.pairs.length} pairs; rows bit-equal to the local search: ${searchBits(found) === searchBits(here) ? 'yes' : 'NO'}; cluster up in ${(cluster.startMs / 1000).toFixed(1)} s; ${load()}` };
      } finally {
        await cluster.stop();
      }
    },
  },
];
