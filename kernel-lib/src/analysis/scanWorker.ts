// A worker thread of a parallel universe scan: the scan rows of the pairs it is given (see parallelScan.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { type ScanOptions, scanPairRows } from '../../../src/analytics';

export interface ScanWorkerInput {
  symbols: string[];
  prices: Float64Array[];
  pairs: Array<[number, number]>;
  options: ScanOptions;
}

const input = workerData as ScanWorkerInput;
try {
  parentPort?.postMessage({ rows: scanPairRows(input.symbols, input.prices, input.pairs, input.options) });
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
