// The universe scan on every core: the pairs are dealt out to worker threads (each runs the analytics library's
// scan on its share), and the rows are ranked together. Small scans, and a process without the compiled worker
// script (the TypeScript sources under a test runner), scan in this thread: the same rows either way.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type BasketScanOptions, type BasketScanRow, type PairScanRow, type ScanOptions, allCombinations, allPairs, basketScanRows, checkBasketScanOptions, checkUniverse,
  rankBasketRows, rankScanRows, scanPairRows,
} from '../../../src/analytics';
import type { BasketScanWorkerInput, ScanWorkerInput } from './scanWorker';

/** Below this many pair-bars a scan runs in this thread: starting workers costs more than it saves. */
const PARALLEL_FROM = 2_000_000;

/** The compiled worker script: beside this module when it runs compiled, else in the build output (dist/). */
export function scanWorkerScript(): string | null {
  const candidates = [path.join(__dirname, 'scanWorker.js'), path.resolve(__dirname, '..', '..', '..', 'dist', 'kernel-lib', 'src', 'analysis', 'scanWorker.js')];
  return candidates.find((p) => existsSync(p)) ?? null;
}

export interface ParallelScanOptions extends ScanOptions {
  /** Worker threads; default one per core. 1 scans in this thread. */
  threads?: number;
}

/** How many threads a scan of `pairs` pairs × `bars` bars runs on, given the threads asked for and the worker script. */
export function scanThreads(pairs: number, bars: number, threads: number, script: string | null): number {
  return script === null || pairs * bars < PARALLEL_FROM ? 1 : Math.max(1, Math.min(threads, pairs));
}

/** The rows of {@link scanPairs} (ranked), computed on `threads` worker threads. */
export async function scanPairsParallel(universe: Record<string, Float64Array>, opts: ParallelScanOptions = {}): Promise<PairScanRow[]> {
  const { symbols, prices } = checkUniverse(universe);
  const pairs = allPairs(symbols.length);
  const threads = opts.threads ?? availableParallelism();
  const script = scanWorkerScript();
  const options: ScanOptions = { minCorrelation: opts.minCorrelation };
  const n = scanThreads(pairs.length, prices[0].length, threads, script);
  if (n === 1 || script === null) return rankScanRows(scanPairRows(symbols, prices, pairs, options));
  // dealt round-robin: neighbouring pairs cost about the same, so each worker gets a similar share
  const shares = Array.from({ length: n }, (_, k) => pairs.filter((_, i) => i % n === k));
  const parts = await Promise.all(shares.map((share) => runWorker<PairScanRow>(script, { symbols, prices, pairs: share, options })));
  return rankScanRows(parts.flat());
}

/** The rows of `scanBaskets` (ranked), the combinations dealt out to `threads` worker threads like the pairs above. */
export async function scanBasketsParallel(universe: Record<string, Float64Array>, opts: BasketScanOptions & { threads?: number } = {}): Promise<BasketScanRow[]> {
  const { symbols, prices } = checkUniverse(universe);
  const { size, rankBy } = checkBasketScanOptions(symbols.length, opts);
  const combos = allCombinations(symbols.length, size);
  const script = scanWorkerScript();
  // a basket costs about `size` pair tests
  const n = scanThreads(combos.length * size, prices[0].length, opts.threads ?? availableParallelism(), script);
  if (n === 1 || script === null) return rankBasketRows(basketScanRows(symbols, prices, combos), rankBy);
  const shares = Array.from({ length: n }, (_, k) => combos.filter((_, i) => i % n === k));
  const parts = await Promise.all(shares.map((share) => runWorker<BasketScanRow>(script, { symbols, prices, combos: share })));
  return rankBasketRows(parts.flat(), rankBy);
}

function runWorker<Row>(script: string, input: ScanWorkerInput | BasketScanWorkerInput): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: input });
    worker.once('message', (m: { rows?: Row[]; error?: string }) => {
      void worker.terminate();
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.rows ?? []);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`a scan worker stopped with exit code ${code}`));
    });
  });
}
