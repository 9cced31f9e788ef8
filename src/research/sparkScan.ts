// The universe scan and the parameter search of a lake on a Spark cluster: picks the lake's bar files from its
// manifest, submits python/spark/universe_scan.py with spark-submit (client mode: the driver runs here), and ranks the
// rows the executors' scan workers computed exactly as the local scan ranks its own (or, for a search, puts the
// pairs' grid searches back in the order asked).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { type PairScanRow, rankScanRows } from '../analytics';
import { parseTimeframe } from '../store/timeframe';
import { lakeBarFiles, openLakeFiles, symbolsOf } from './lakeFiles';
import type { LakeScan, LakeScanSettings } from './scanResult';
import { type LakeSearch, type LakeSearchSettings, checkSearchSettings, searchSymbols } from './lakeSearch';
import { fromLine, type PairSearchLine } from './pairLines';
import type { SearchSpec } from './pairSearch';
import { type SparkRuntime, sparkRuntime } from './sparkRuntime';

/** Where and how a lake job runs on Spark. */
export interface SparkJobOptions {
  /** The standalone master, spark://HOST:PORT. */
  master: string;
  /** Partitions of the pairs, each piped into one worker process. Default: the cluster's cores. */
  partitions?: number;
  executorMemory?: string;
  /** spark-submit is stopped after this long (default 30 minutes). */
  timeoutMs?: number;
  runtime?: SparkRuntime;
}

export interface SparkScanSettings extends LakeScanSettings, SparkJobOptions {}

type SparkJobSettings = Omit<LakeScanSettings, 'minCorrelation'> & SparkJobOptions;

/** What python/spark/universe_scan.py reads. */
export interface SparkJobSpec {
  timeframeMs: number;
  from: number | null;
  to: number | null;
  maxBars: number | null;
  minCorrelation: number | null;
  /** Present for a parameter search instead of the scan: what to search, and on which pairs (null: every pair). */
  search?: SearchSpec;
  pairs?: Array<[string, string]> | null;
  partitions: number | null;
  legs: Array<{ symbol: string; files: string[] }>;
  /** The lake's bars_1s directory: the base of the files' symbol=…/date=… partitions. */
  barsBase: string;
  workerCommand: string[];
  outDir: string;
}

interface JobMeta extends NonNullable<LakeScan['spark']> {
  bars: number;
  from: number;
  to: number;
  skipped: LakeScan['skipped'];
}

const MASTER_URL = /^spark:\/\/([A-Za-z0-9.-]+):(\d{1,5})$/;

/** Resolves when something listens at the master's address; a clear error when nothing does. */
export async function checkMasterReachable(master: string, timeoutMs = 5_000): Promise<void> {
  const m = MASTER_URL.exec(master);
  if (!m) throw new Error(`--spark must be a standalone master URL spark://HOST:PORT, got "${master}"`);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: m[1], port: Number(m[2]), timeout: timeoutMs });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`the Spark master ${master} is unreachable (${why}): start one (see README "Research on Spark") or check --spark`));
    };
    socket.once('connect', () => { socket.end(); resolve(); });
    socket.once('timeout', () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
  });
}

/** Runs spark-submit with `args`; rejects with the end of Spark's output when the job fails. */
export function submitSparkJob(runtime: SparkRuntime, args: string[], logFile: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(runtime.sparkHome, 'bin', 'spark-submit'), args, { env: runtime.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, timeoutMs);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      writeFileSync(logFile, output);
      if (timedOut) { reject(new Error(`the Spark scan did not finish within ${timeoutMs} ms and was stopped`)); return; }
      if (code === 0) { resolve(); return; }
      const errors = output.split('\n').filter((l) => /Error|Exception|error:/.test(l) && !/^\s+at /.test(l)).slice(-8).join('\n');
      reject(new Error(`the Spark scan failed (spark-submit exit ${code}):\n${errors || output.split('\n').slice(-20).join('\n')}`));
    });
  });
}

async function readRows(rowsDir: string): Promise<PairScanRow[]> {
  const files = readdirSync(rowsDir).filter((f) => f.endsWith('.parquet')).map((f) => path.join(rowsDir, f));
  if (!files.length) return [];
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const result = await conn.runAndReadAll('SELECT * FROM read_parquet($files)', { files: listValue(files) });
    return result.getRowObjectsJS().map((r) => ({ ...(r as unknown as Omit<PairScanRow, 'rank'>), rank: 0 }));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Runs python/spark/universe_scan.py on the cluster with the lake's bar files and `extra`; `read` takes the job's
 * outputs from its work directory (deleted afterwards). */
async function runLakeJob<T>(settings: SparkJobSettings, extra: Pick<SparkJobSpec, 'minCorrelation' | 'search' | 'pairs'>,
  read: (work: string, meta: JobMeta) => Promise<T>): Promise<T> {
  if (!MASTER_URL.test(settings.master)) throw new Error(`--spark must be a standalone master URL spark://HOST:PORT, got "${settings.master}"`);
  const tf = parseTimeframe(settings.timeframe);
  const lake = await openLakeFiles(settings);
  await checkMasterReachable(settings.master);
  const legs = await lakeBarFiles(lake, settings.symbols ?? symbolsOf(lake.days), tf, settings.from, settings.to);
  const runtime = settings.runtime ?? sparkRuntime();
  const work = mkdtempSync(path.join(tmpdir(), 'pairs-lab-spark-scan-'));
  try {
    const spec: SparkJobSpec = {
      timeframeMs: tf,
      from: settings.from ?? null,
      to: settings.to ?? null,
      maxBars: settings.maxBars ?? null,
      partitions: settings.partitions ?? null,
      legs,
      barsBase: path.join(lake.base, 'bars_1s'),
      workerCommand: runtime.workerCommand,
      outDir: work,
      ...extra,
    };
    const specFile = path.join(work, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    await submitSparkJob(runtime, [
      '--master', settings.master,
      '--conf', `spark.executor.memory=${settings.executorMemory ?? '768m'}`,
      '--conf', 'spark.ui.enabled=false',
      '--conf', 'spark.sql.shuffle.partitions=4',
      runtime.jobScript, specFile,
    ], path.join(work, 'spark-submit.log'), settings.timeoutMs ?? 30 * 60_000);
    return await read(work, JSON.parse(readFileSync(path.join(work, 'meta.json'), 'utf8')) as JobMeta);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const sparkFacts = (meta: JobMeta): NonNullable<LakeScan['spark']> => ({ cores: meta.cores, phasesMs: meta.phasesMs });

/** Scans every pair of the lake's symbols on the Spark cluster at `settings.master`. */
export async function scanLakeOnSpark(settings: SparkScanSettings): Promise<LakeScan> {
  return runLakeJob(settings, { minCorrelation: settings.minCorrelation ?? null }, async (work, meta) => {
    const rows = rankScanRows(await readRows(path.join(work, 'rows')));
    return { timeframe: settings.timeframe, bars: meta.bars, from: meta.from, to: meta.to, rows, skipped: meta.skipped, spark: sparkFacts(meta) };
  });
}

/** The parameter search of the settings' pairs on the Spark cluster at `settings.master`. */
export async function searchLakeOnSpark(settings: LakeSearchSettings & SparkJobOptions): Promise<LakeSearch> {
  checkSearchSettings(settings);
  const pairs = settings.pairs?.map((p): [string, string] => [p.y, p.x]) ?? null;
  return runLakeJob({ ...settings, symbols: searchSymbols(settings) }, { minCorrelation: null, search: settings.search, pairs }, async (work, meta) => {
    const dir = path.join(work, 'search');
    const lines = (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('part-')) : [])
      .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim()))
      .map((l) => fromLine<PairSearchLine>(l))
      .sort((a, b) => a.i - b.i);
    return {
      timeframe: settings.timeframe, bars: meta.bars, from: meta.from, to: meta.to, skipped: meta.skipped,
      pairs: lines.map(({ i: _i, ...result }) => result), spark: sparkFacts(meta),
    };
  });
}
