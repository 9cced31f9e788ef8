// The universe scan and the parameter search of a lake for notebooks and the panel: here (DuckDB, the analytics library
// and the backtester) or, with `spark`, on a Spark standalone cluster. Same results either way.
import { type LakeScanSettings, type LakeSearch, type LakeSearchSettings, scanLakeLocally, scanLakeOnSpark, searchLakeLocally, searchLakeOnSpark } from '../../../src/research';
import type { UniverseScan } from './scan';

/** Where a lake job runs: here, or with `spark` on that standalone master. */
export interface SparkOption {
  /** A standalone master, spark://HOST:PORT: the job runs there. */
  spark?: string;
  /** Partitions of the pairs on Spark (each one worker process). Default: the cluster's cores. */
  partitions?: number;
}

export interface LakeScanOptions extends LakeScanSettings, SparkOption {}

export interface LakeSearchOptions extends LakeSearchSettings, SparkOption {}

export async function scanLake(opts: LakeScanOptions): Promise<UniverseScan> {
  const { spark, partitions, ...settings } = opts;
  return spark ? scanLakeOnSpark({ ...settings, master: spark, partitions }) : scanLakeLocally(settings);
}

/**
 * The backtester's grid search of a lake's pairs on their common grid: `await searchLake({ lake, timeframe: '1m',
 * pairs: [{ y: 'BTCUSDT', x: 'ETHUSDT' }], search: { grid: { entry: [1.5, 2], exit: [0.5], window: [60], hedge: [...] } } })`.
 */
export async function searchLake(opts: LakeSearchOptions): Promise<LakeSearch> {
  const { spark, partitions, ...settings } = opts;
  return spark ? searchLakeOnSpark({ ...settings, master: spark, partitions }) : searchLakeLocally(settings);
}
