// A worker thread of a parallel universe scan: the scan rows of the pairs, or of the baskets, it is given (see parallelScan.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { type ScanOptions, basketScanRows, scanPairRows } from '../../../src/analytics';

export interface ScanWorkerInput {
  symbols: string[];
  prices: Float64Array[];
  pairs: Array<[number, number]>;
  options: ScanOptions;
}

/** A basket scan's share: the combinations (indices into `symbols`) to test. */
export interface BasketScanWorkerInput {
  symbols: string[];
  prices: Float64Array[];
  combos: number[][];
}

const input = workerData as ScanWorkerInput | BasketScanWorkerInput;
try {
  const rows = 'combos' in input ? basketScanRows(input.symbols, input.prices, input.combos) : scanPairRows(input.symbols, input.prices, input.pairs, input.options);
  parentPort?.postMessage({ rows });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
