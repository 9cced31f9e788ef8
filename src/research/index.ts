// Research over a lake: the universe scan on this machine or on a Spark cluster.
export type { LakeScan, LakeScanSettings, UniverseScan } from './scanResult';
export { scanLakeLocally } from './lakeScan';
export { scanLakeOnSpark, checkMasterReachable, type SparkScanSettings } from './sparkScan';
export { startSparkCluster, type SparkCluster, type SparkClusterOptions } from './sparkCluster';
export { sparkRuntime, type SparkRuntime } from './sparkRuntime';
export { writeScanParquet, readScanParquet } from './scanParquet';
export { lakeSymbols } from './lakeFiles';
