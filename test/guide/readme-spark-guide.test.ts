// The README's "Research on Spark" guide, followed on loopback: its marked blocks start a master and a worker with
// spark-daemon.sh (ports 7077/8090/8091 substituted; pid, log and work dirs under the scratch folder, as the guide's
// $PWD/.spark), check the master's JSON until the worker is alive, scan a small exported lake at ./lake on the cluster
// and on this machine, and stop the daemons with the guide's own commands. The two scans print the same CSV rows.
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../feed/helpers';
import { writeExportedLake } from '../research/exported-lake';
import { freePort } from '../support/processes';
import { type GuideBlock, projectCommands, readmeBlock, runGuideBlock, stopGuideProcess, type Substitution } from './guide-blocks';

/** The scan's CSV (header and rows) out of a block's output, which also holds stderr (Spark's log, timings). */
function scanCsv(output: string): string {
  return output.split('\n').filter((l) => l === 'rank,y,x,beta,egPValue,adfPValue,halfLife,correlation' || /^\d+,[A-Z]+USDT,[A-Z]+USDT,/.test(l)).join('\n');
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

// Gated like test/research/spark-scan.test.ts: `npm test` installs PySpark and sets PAIRS_LAB_SPARK_TESTS=1. One Spark
// scan (most of a minute here).
describe.runIf(process.env.PAIRS_LAB_SPARK_TESTS === '1')('README guide: research on a Spark standalone cluster', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guide-spark-'));
  const pidDir = path.join(dir, '.spark', 'pids');
  const started: ChildProcess[] = [];
  let daemons: number[] = [];
  afterAll(async () => {
    for (const child of started) await stopGuideProcess(child);
    for (const pid of daemons) if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('starts a master and a worker, scans ./lake there and here, and stops them as the guide says', async () => {
    // The guide's ./lake: two days of four symbols, stored, compacted and exported (the work folder is `dir`).
    const lake = await writeExportedLake(dir, { symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT'], firstDay: '2026-11-02', days: 2, seed: 5 });
    expect(lake).toBe(path.join(dir, 'lake'));
    const [master, masterUi, workerUi] = [await freePort(), await freePort(), await freePort()];
    const subs: Substitution[] = [
      ['127.0.0.1:7077', `127.0.0.1:${master}`], ['--port 7077', `--port ${master}`], ['127.0.0.1:8090', `127.0.0.1:${masterUi}`],
      ['--webui-port 8090', `--webui-port ${masterUi}`], ['--webui-port 8091', `--webui-port ${workerUi}`], ...projectCommands(),
    ];
    const env = readmeBlock('spark-env');
    /** Runs a block (after the guide's exports where it needs them, as in the shell that set them) to its end. */
    const runToEnd = async (block: GuideBlock, withEnv: boolean, timeoutMs: number): Promise<{ exitCode: number | null; output: string }> => {
      const { child, output } = runGuideBlock(withEnv ? { ...block, text: `${env.text}\n${block.text}` } : block, dir, subs);
      started.push(child);
      await waitFor(() => child.exitCode !== null || child.signalCode !== null, timeoutMs, `guide block ${block.name}:\n${output()}`, 250);
      return { exitCode: child.exitCode, output: output() };
    };
    const run = async (block: GuideBlock, withEnv: boolean, timeoutMs: number): Promise<string> => {
      const { exitCode, output } = await runToEnd(block, withEnv, timeoutMs);
      expect(exitCode, `guide block ${block.name}:\n${output}`).toBe(0);
      return output;
    };

    const t0 = Date.now();
    await run(readmeBlock('spark-start'), true, 60_000);
    daemons = readdirSync(pidDir).map((f) => Number(readFileSync(path.join(pidDir, f), 'utf8').trim()));
    expect(daemons).toHaveLength(2);
    let status = '';
    await waitFor(async () => {
      // until the master's web UI listens, curl cannot connect (exit 7): not yet, ask again
      const check = await runToEnd(readmeBlock('spark-check'), false, 10_000);
      status = `exit ${check.exitCode}\n${check.output}`;
      return check.exitCode === 0 && /"aliveworkers"\s*:\s*1\b/.test(check.output);
    }, 120_000, `the worker alive in the master's JSON (curl block)\n${status}`, 1_000).catch((err: Error) => {
      const logs = path.join(dir, '.spark', 'logs');
      throw new Error(`${err.message}\n${existsSync(logs) ? readdirSync(logs).map((f) => `--- ${f}\n${readFileSync(path.join(logs, f), 'utf8').slice(-3_000)}`).join('\n') : ''}`);
    });
    const t1 = Date.now();

    const onSpark = scanCsv(await run(readmeBlock('spark-scan'), false, 170_000));
    const t2 = Date.now();
    const here = scanCsv(await run(readmeBlock('scan-local'), false, 60_000));
    console.log(`[spark guide] cluster up ${t1 - t0} ms, Spark scan ${t2 - t1} ms, local scan ${Date.now() - t2} ms`);
    expect(here.split('\n')).toHaveLength(1 + 6);
    expect(onSpark).toBe(here);

    await run(readmeBlock('spark-stop'), true, 60_000);
    await waitFor(() => daemons.every((pid) => !alive(pid)), 30_000, 'the daemons gone after the guide\'s stop commands', 250);
  }, 400_000);
});
