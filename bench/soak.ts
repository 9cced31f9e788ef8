// A recorder soak: `pairs-lab record --sim` (the process `npm start -- --sim` runs, with its MALLOC_ARENA_MAX=1) in a child process, its resident
// memory sampled from /proc while its simulated clock runs ahead so hours and UTC days close during the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecorderHealth } from '../src/feed/health';

export interface SoakSettings {
  /** Trades per wall second over all symbols (the simulated rate is this / clockSpeed per simulated second). */
  wallRate: number;
  minutes: number;
  sampleSeconds: number;
  /** Samples before this are left out of the slope. */
  warmupMinutes: number;
  /** Simulated seconds per wall second. */
  clockSpeed: number;
  /** Where the simulated clock starts (UTC ms): a little before a midnight, so the first day closes early. */
  clockStart: number;
  /** Every sample is appended here as a JSON line, if given. */
  samplesFile?: string;
}

export interface SoakSample {
  wallS: number;
  simTime: string;
  rssMb: number;
  anonMb: number;
  storedTicks: number;
  /** The recorder's own report (health file): V8 heap, memory outside it, DuckDB's share. */
  heapMb: number | null;
  externalMb: number | null;
  duckdbMb: number | null;
}

export interface SoakResult {
  samples: SoakSample[];
  /** Least-squares slope of RSS over wall time after the warm-up. */
  slopeMbPerHour: number;
  /** The same slope of the anonymous part. */
  anonSlopeMbPerHour: number;
  peakRssMb: number;
  warmRssMb: number;
  endRssMb: number;
  /** Stored ticks per wall second over the run. */
  storedPerSec: number;
  simulatedHours: number;
  /** Simulated seconds per wall second. */
  clockSpeed: number;
}

const cli = path.join(__dirname, '..', 'src', 'cli', 'main.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resident memory, and its anonymous part (heaps; the rest is mapped code such as libduckdb.so's 70 MB, paged in as used). */
function residentMb(pid: number): { rssMb: number; anonMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const m = new RegExp(`${name}:\\s+(\\d+) kB`).exec(status);
    if (!m) throw new Error(`no ${name} for pid ${pid}`);
    return Math.round(Number(m[1]) / 102.4) / 10;
  };
  return { rssMb: field('VmRSS'), anonMb: field('RssAnon') };
}

type HealthFigures = Pick<SoakSample, 'storedTicks' | 'heapMb' | 'externalMb' | 'duckdbMb'>;

function healthFigures(dataDir: string): HealthFigures {
  try {
    const h = JSON.parse(readFileSync(path.join(dataDir, 'recorder-health.json'), 'utf8')) as Partial<RecorderHealth>;
    return { storedTicks: h.store?.storedTicks ?? 0, heapMb: h.memory?.heapUsedMb ?? null, externalMb: h.memory?.externalMb ?? null, duckdbMb: h.memory?.duckdbMb ?? null };
  } catch {
    return { storedTicks: 0, heapMb: null, externalMb: null, duckdbMb: null };
  }
}

/** Least-squares slope dy/dx. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** The next UTC midnight from now, minus `beforeMs`. */
export function justBeforeMidnight(beforeMs: number, now = Date.now()): number {
  return Math.ceil(now / 86_400_000) * 86_400_000 - beforeMs;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill('SIGTERM');
  });
}

export async function runSoak(s: SoakSettings, label: string): Promise<SoakResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `pairs-lab-soak-${label}-`));
  const log = openSync(path.join(dataDir, 'recorder.log'), 'a');
  const child = spawn(process.execPath, [
    cli, 'record', '--sim', '--data', dataDir, '--status-every', '0',
    '--sim-rate', String(s.wallRate / s.clockSpeed), '--sim-clock-speed', String(s.clockSpeed),
    '--sim-clock-start', new Date(s.clockStart).toISOString(),
  ], { stdio: ['ignore', log, log], env: { MALLOC_ARENA_MAX: '1', ...process.env } });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the recorder did not start');
  const samples: SoakSample[] = [];
  const t0 = Date.now();
  try {
    while (Date.now() - t0 < s.minutes * 60_000) {
      if (child.exitCode !== null) throw new Error(`the recorder exited with ${child.exitCode}; see ${dataDir}/recorder.log`);
      const wallS = (Date.now() - t0) / 1000;
      const sample = {
        wallS, simTime: new Date(s.clockStart + wallS * 1000 * s.clockSpeed).toISOString().slice(0, 16),
        ...residentMb(pid), ...healthFigures(dataDir),
      };
      samples.push(sample);
      const line = `${JSON.stringify({ label, pid, ...sample })}\n`;
      process.stderr.write(`[soak] ${line}`);
      if (s.samplesFile) appendFileSync(s.samplesFile, line);
      await sleep(Math.max(0, (samples.length * s.sampleSeconds) * 1000 - (Date.now() - t0)));
    }
  } finally {
    await stop(child);
  }
  const warm = samples.filter((p) => p.wallS >= s.warmupMinutes * 60);
  const last = samples[samples.length - 1];
  const result: SoakResult = {
    samples,
    slopeMbPerHour: slope(warm.map((p) => p.wallS / 3600), warm.map((p) => p.rssMb)),
    anonSlopeMbPerHour: slope(warm.map((p) => p.wallS / 3600), warm.map((p) => p.anonMb)),
    peakRssMb: Math.max(...samples.map((p) => p.rssMb)),
    warmRssMb: warm[0]?.rssMb ?? NaN,
    endRssMb: last.rssMb,
    storedPerSec: last.storedTicks / last.wallS,
    simulatedHours: (last.wallS * s.clockSpeed) / 3600,
    clockSpeed: s.clockSpeed,
  };
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}
