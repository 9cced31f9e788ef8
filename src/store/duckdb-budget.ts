// The memory and threads each in-memory DuckDB instance of the store may use.
//
// DuckDB's defaults suit a database server, not a recorder that runs for weeks: memory_limit is 80 % of RAM and the
// external file cache (on by default since 1.3) keeps the bytes of every Parquet file read in the buffer pool until
// that limit is reached, also for files deleted since. Compaction reads every tick file once or twice, so the
// recorder grew by what it had read (measured: the compaction instance's EXTERNAL_FILE_CACHE grew ~0.8 MB per pass
// at 400 trades/s, without bound). The cache is off here, and memory_limit bounds what a query may hold; beyond it
// a sort or join spills to temp_directory instead of growing the process.
import os from 'node:os';
import path from 'node:path';

export interface DuckDBBudget {
  /** memory_limit of the instance, in MiB. */
  memoryMb: number;
  threads: number;
  /** Where queries over memoryMb spill; DuckDB's default is `.tmp` in the working directory. */
  tempDirectory: string;
}

/** The recorder's store writer: flush and compaction instances together. Default 256 MiB. */
export const WRITER_MEMORY_ENV = 'PAIRS_LAB_WRITER_MEMORY_MB';
/** Each store reader (a kernel or notebook session holds one). Default 256 MiB. */
export const READER_MEMORY_ENV = 'PAIRS_LAB_READER_MEMORY_MB';
export const DEFAULT_WRITER_MEMORY_MB = 256;
export const DEFAULT_READER_MEMORY_MB = 256;
/**
 * The least an instance gets. A flush COPY buffers up to a row group (122,880 rows) and failed with "failed to pin
 * block" in 16 MiB for a 100,000-row flush; after a stall a flush holds everything buffered meanwhile.
 */
const MIN_INSTANCE_MB = 64;

/** A budget in MiB from `explicit`, else the environment variable, else `fallback`. */
export function memoryBudgetMb(explicit: number | undefined, envName: string, fallback: number): number {
  const raw = explicit ?? (process.env[envName] !== undefined && process.env[envName] !== '' ? Number(process.env[envName]) : fallback);
  if (!Number.isFinite(raw) || raw < 2 * MIN_INSTANCE_MB) {
    throw new Error(`${explicit !== undefined ? 'memoryMb' : envName} must be a number of MiB ≥ ${2 * MIN_INSTANCE_MB}, got ${String(raw)}`);
  }
  return Math.floor(raw);
}

/** The writer's budget split: flushes copy ~1 s of ticks, compaction sorts up to a symbol-day. */
export function splitWriterBudget(totalMb: number): { flushMb: number; compactMb: number } {
  const flushMb = Math.max(MIN_INSTANCE_MB, Math.floor(totalMb / 4));
  return { flushMb, compactMb: totalMb - flushMb };
}

/** A temp directory of this process for spills of readers (the writer spills inside its store). */
export function processTempDirectory(): string {
  return path.join(os.tmpdir(), `pairs-lab-duckdb-${process.pid}`);
}

export function duckdbConfig(b: DuckDBBudget): Record<string, string> {
  return {
    threads: String(b.threads),
    memory_limit: `${b.memoryMb}MiB`,
    enable_external_file_cache: 'false',
    temp_directory: b.tempDirectory,
  };
}
