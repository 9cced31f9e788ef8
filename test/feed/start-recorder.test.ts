// `npm start -- --sim` runs the recorder beside JupyterLab: it records simulated trades, says so in its health,
// and stops (flushed) when JupyterLab stops. Runs offline; the store goes to a temporary PAIRS_LAB_DATA.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecorderHealth } from '../../src/feed/health';
import { waitFor } from './helpers';
import { freePort, stopChild } from '../support/processes';

const root = path.resolve(__dirname, '..', '..');


describe('npm start --sim', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-start-'));
  let lab: ChildProcess | undefined;
  afterAll(async () => {
    await stopChild(lab);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records simulated trades beside JupyterLab and stops the recorder with it', async () => {
    expect(existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js')), 'run npm run build first').toBe(true);
    const port = await freePort();
    lab = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--sim', '--no-browser', '--port', String(port), '--token', 'feed-start'], {
      cwd: root, env: { ...process.env, PAIRS_LAB_DATA: dir }, stdio: 'ignore',
    });
    await waitFor(async () => {
      const h = await readRecorderHealth(dir);
      return h !== null && h.running && h.store.storedTicks > 20;
    }, 60_000, 'the recorder storing simulated trades', 250);
    const h = await readRecorderHealth(dir);
    expect(h).toMatchObject({ simulated: true, state: 'recording', source: { kind: 'simulated' }, dataDir: dir });
    expect(h!.symbols).toHaveLength(12);
    const recorderPid = h!.pid;
    expect(recorderPid).not.toBe(lab.pid);

    const exited = new Promise((r) => lab!.once('exit', r));
    lab.kill('SIGTERM');
    await exited;
    const after = await readRecorderHealth(dir);
    expect(after).toMatchObject({ state: 'stopped', running: false, store: { pendingTicks: 0 } });
    expect(() => process.kill(recorderPid, 0)).toThrow();
  }, 90_000);
});
