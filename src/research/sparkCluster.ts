// A Spark standalone cluster on this machine (tests, bench, a quick local trial): one master and N workers on
// 127.0.0.1 at free ports, each a Java process this module starts and stops by its process group. Ready means
// the master's JSON status lists N ALIVE workers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { type SparkRuntime, sparkRuntime } from './sparkRuntime';

export interface SparkClusterOptions {
  workers?: number;
  coresPerWorker?: number;
  /** Memory each worker offers its executors, e.g. "1g". */
  memoryPerWorker?: string;
  /** Logs and the workers' work dirs go here. */
  dir: string;
  /** How long to wait for the master and N ALIVE workers. */
  timeoutMs?: number;
  runtime?: SparkRuntime;
}

export interface SparkCluster {
  /** spark://127.0.0.1:PORT */
  masterUrl: string;
  /** The master's web UI (its JSON status at `${uiUrl}/json/`). */
  uiUrl: string;
  pids: number[];
  /** Milliseconds from the first spawn to N ALIVE workers. */
  startMs: number;
  stop(): Promise<void>;
}

interface MasterStatus {
  status?: string;
  workers?: Array<{ state?: string }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The master's status, or null while its UI does not answer. */
async function masterStatus(uiUrl: string): Promise<MasterStatus | null> {
  try {
    const res = await fetch(`${uiUrl}/json/`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? (await res.json()) as MasterStatus : null;
  } catch {
    return null;
  }
}

function daemon(runtime: SparkRuntime, className: string, args: string[], log: string): ChildProcess {
  const out = openSync(log, 'a');
  // spark-class execs java, so the child is the JVM; detached gives it a process group stop() can signal
  return spawn(path.join(runtime.sparkHome, 'bin', 'spark-class'), [className, ...args], {
    env: runtime.env, detached: true, stdio: ['ignore', out, out],
  });
}

function logTail(file: string): string {
  try { return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n'); } catch { return ''; }
}

async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => { try { process.kill(-(child.pid as number), s); } catch { /* already gone */ } };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts a master and `workers` workers on 127.0.0.1 and waits until the master lists them all ALIVE. */
export async function startSparkCluster(opts: SparkClusterOptions): Promise<SparkCluster> {
  const runtime = opts.runtime ?? sparkRuntime();
  const workers = opts.workers ?? 2;
  const timeoutMs = opts.timeoutMs ?? 90_000;
  mkdirSync(opts.dir, { recursive: true });
  const t0 = performance.now();
  const [port, uiPort] = [await freePort(), await freePort()];
  const masterUrl = `spark://127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  const children: Array<{ child: ChildProcess; log: string }> = [];
  // detached daemons outlive this process unless told: a test runner that exits early takes them with it
  const killOnExit = () => children.forEach(({ child }) => { try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone */ } });
  process.once('exit', killOnExit);
  const stop = async () => {
    await Promise.all(children.map(({ child }) => stopProcess(child)));
    process.removeListener('exit', killOnExit);
  };
  try {
    const masterLog = path.join(opts.dir, 'master.log');
    children.push({ child: daemon(runtime, 'org.apache.spark.deploy.master.Master', ['--host', '127.0.0.1', '--port', String(port), '--webui-port', String(uiPort)], masterLog), log: masterLog });
    for (let i = 0; i < workers; i++) {
      const workDir = path.join(opts.dir, `worker-${i}`);
      mkdirSync(workDir, { recursive: true });
      const log = path.join(opts.dir, `worker-${i}.log`);
      children.push({ child: daemon(runtime, 'org.apache.spark.deploy.worker.Worker', [
        '--host', '127.0.0.1', '--webui-port', String(await freePort()), '--cores', String(opts.coresPerWorker ?? 1),
        '--memory', opts.memoryPerWorker ?? '1g', '--work-dir', workDir, masterUrl,
      ], log), log });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (dead) throw new Error(`a Spark daemon stopped during start-up; the end of ${dead.log}:\n${logTail(dead.log)}`);
      const status = await masterStatus(uiUrl);
      const alive = status?.workers?.filter((w) => w.state === 'ALIVE').length ?? 0;
      if (status?.status === 'ALIVE' && alive === workers) break;
      if (Date.now() > deadline) throw new Error(`the Spark master at ${masterUrl} did not list ${workers} ALIVE workers within ${timeoutMs} ms (it lists ${alive}); logs in ${opts.dir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { masterUrl, uiUrl, pids: children.map(({ child }) => child.pid as number), startMs: performance.now() - t0, stop };
}
