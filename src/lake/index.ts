// Public API of the lake: closed store days exported as Hive-partitioned Parquet to a directory or S3, and read back
// with DuckDB. See the README's "Lake" section.
export { exportToLake, readLakeManifest, DEFAULT_LAKE_GRACE_MS, type ExportOptions, type ExportResult } from './exporter';
export { openLake, type LakeReader, type LakeReaderOptions } from './lake-reader';
export { parseLakeUri, type LakeLocation } from './lake-uri';
export { closedDays, type ClosedDay } from './closed-days';
export type { LakeManifest, LakeDay, LakeTicksPart, LakeBarsPart, LakeTombstone } from './lake-manifest';
export { S3Client, S3Error, type S3Options } from './s3-client';
export { LakeOutput, type LakeOutputOptions } from './lake-output';
