// Research over a lake: the universe scan and the parameter search, on this machine or on a Spark cluster.
export type { LakeScan, LakeScanSettings, UniverseScan } from './scanResult';
export { scanLakeLocally } from './lakeScan';
export { searchLakeLocally, type LakeSearch, type LakeSearchSettings, type PairSearch } from './lakeSearch';
export type { SearchSpec } from './pairSearch';
export { scanLakeOnSpark, searchLakeOnSpark, submitSparkJob, checkMasterReachable, type SparkJobOptions, type SparkScanSettings } from './sparkScan';
export { startSparkCluster, type SparkCluster, type SparkClusterOptions } from './sparkCluster';
export { sparkRuntime, type SparkRuntime } from './sparkRuntime';
export { writeScanParquet, readScanParquet } from './scanParquet';
export { lakeSymbols, openLakeFiles, lakeBarFiles, type LakeSource, type LakeFiles } from './lakeFiles';
