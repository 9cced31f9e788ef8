// Attaching to a recorder another process runs: the CLI recorder writes a store from the simulated exchange while
// this process's lab reads it, reports that recorder's health as `attached`, and sees new bars on refresh.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLab } from '../../kernel-lib/src/session/lab';

const root = path.resolve(__dirname, '..', '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-attach-'));
let recorder: ChildProcess | undefined;

afterAll(async () => {
  if (recorder && recorder.exitCode === null) {
    const exited = new Promise((resolve) => recorder!.once('exit', resolve));
    recorder.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('attach to a recorder in another process', () => {
  it('reads its store and its health while it records', async () => {
    recorder = spawn(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), 'record', '--sim', '--symbols', 'BTCUSDT,ETHUSDT', '--data', dataDir], {
      cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    recorder.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const lab = await openLab({ dataDir });
    try {
      let health = await lab.health();
      for (let i = 0; i < 40 && health.state !== 'attached'; i++) {
        await sleep(250);
        health = await lab.health();
      }
      expect(health.state, stderr).toBe('attached');
      expect(lab.recorder).toBeNull();
      await sleep(5_000);
      health = await lab.health();
      expect(health).toMatchObject({ state: 'attached', source: 'simulated', simulated: true });
      expect(health.messagesPerSecond).toBeGreaterThan(0);
      expect(health.lastMessageAgeMs).toBeLessThan(5_000);

      const view = await lab.pair('BTCUSDT', 'ETHUSDT', { timeframe: '1s', window: 5, hedge: 'ols', hedgeWindow: 5 });
      const before = view.length;
      expect(before).toBeGreaterThan(2);
      await sleep(2_500);
      const change = await view.refresh();
      expect(change.changedFrom).not.toBeNull();
      expect(view.length).toBeGreaterThan(before);

      recorder.kill('SIGTERM');
      await new Promise((resolve) => recorder!.once('exit', resolve));
      for (let i = 0; i < 40 && health.state === 'attached'; i++) {
        await sleep(250);
        health = await lab.health();
      }
      expect(health.state).toBe('idle');
    } finally {
      await lab.close();
    }
  }, 60_000);
});
