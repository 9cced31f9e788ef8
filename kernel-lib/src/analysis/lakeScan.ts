// The universe scan of a lake for notebooks and the panel: here (DuckDB + the analytics library) or, with `spark`,
// on a Spark standalone cluster. Same rows either way.
import { type LakeScanSettings, scanLakeLocally, scanLakeOnSpark } from '../../../src/research';
import type { UniverseScan } from './scan';

export interface LakeScanOptions extends LakeScanSettings {
  /** A standalone master, spark://HOST:PORT: the scan runs there. */
  spark?: string;
  /** Partitions of the pairs on Spark (each one scan worker process). Default: the cluster's cores. */
  partitions?: number;
}

export async function scanLake(opts: LakeScanOptions): Promise<UniverseScan> {
  const { spark, partitions, ...settings } = opts;
  return spark ? scanLakeOnSpark({ ...settings, master: spark, partitions }) : scanLakeLocally(settings);
}
