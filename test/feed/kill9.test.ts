// The recorder as a CLI service in its own process, on the real store: killed with SIGKILL, restarted, it
// backfills the downtime (no id missing or duplicated); SIGTERM stops it within 5 s with everything flushed.
// Uses the compiled CLI: run `npm run build` first (`npm test` does).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecorderHealth } from '../../src/feed/health';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { idCheck, sleep, storedIds, waitFor } from './helpers';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'AVAXUSDT'];

describe('recorder process', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-kill9-'));
  let exchange: SimulatedExchange | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function startCli(): ChildProcess {
    const child = spawn(process.execPath, [
      cli, 'record', '--symbols', symbols.join(','), '--data', dir, '--ws-url', exchange!.wsUrl, '--rest-url', exchange!.restUrl,
      '--stale-timeout', '2', '--flush-interval', '100', '--status-every', '0',
    ], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => { if (code && code !== 0) process.stderr.write(`recorder exited ${code}: ${stderr}\n`); });
    children.push(child);
    return child;
  }

  it('backfills the downtime after kill -9 and stops cleanly on SIGTERM', async () => {
    expect(existsSync(cli), `${cli} missing: run npm run build`).toBe(true);
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 400, bursts: false, seed: 3 });

    const first = startCli();
    await waitFor(async () => {
      const h = await readRecorderHealth(dir);
      return h !== null && h.pid === first.pid && h.running && h.store.storedTicks > 300 && h.store.lastFlushAt !== null;
    }, 20_000, 'first recorder storing', 100);
    const before = await readRecorderHealth(dir);
    expect(before).toMatchObject({ state: 'recording', simulated: false, source: { kind: 'custom', wsUrl: exchange.wsUrl } });
    expect(before!.connections).toHaveLength(1);
    expect(before!.connections[0]).toMatchObject({ state: 'open', streams: 4 });

    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const madeAtKill = exchange.stats().tradesMade;
    await sleep(1_500);
    expect((await readRecorderHealth(dir))?.running).toBe(false);
    const madeWhileDown = exchange.stats().tradesMade - madeAtKill;
    expect(madeWhileDown).toBeGreaterThan(300);

    const second = startCli();
    await waitFor(async () => {
      const h = await readRecorderHealth(dir);
      return h !== null && h.pid === second.pid && h.running && h.gaps.filled >= symbols.length && h.gaps.open === 0 && h.store.pendingTicks < 200;
    }, 30_000, 'restarted recorder filled the downtime', 100);
    await sleep(300);

    const t0 = Date.now();
    second.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => second.once('exit', (c) => r(c)));
    const stopMs = Date.now() - t0;
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(5_000);
    const after = await readRecorderHealth(dir);
    expect(after).toMatchObject({ state: 'stopped', running: false, store: { pendingTicks: 0 } });
    expect(after!.gaps.abandoned).toBe(0);

    const ids = await storedIds(dir);
    for (const s of symbols) {
      const check = idCheck(ids.get(s) ?? []);
      expect({ s, missing: check.missing, duplicates: check.duplicates }).toEqual({ s, missing: 0, duplicates: 0 });
      expect(check.count).toBeGreaterThan(50);
    }
    const { openStoreReader } = await import('../../src/store');
    const reader = await openStoreReader({ dir });
    const gaps = await reader.gaps();
    await reader.close();
    const filled = gaps.filter((g) => g.status === 'filled');
    expect(new Set(filled.map((g) => g.symbol))).toEqual(new Set(symbols));
    // The downtime's trades came back through REST: the filled gaps hold at least what was made while down.
    expect(filled.reduce((n, g) => n + g.trades, 0)).toBeGreaterThanOrEqual(madeWhileDown);
  }, 90_000);

  it('resumes a gap left open by a recorder killed during a 418 ban, though newer trades were already stored', async () => {
    rmSync(dir, { recursive: true, force: true });
    await exchange?.close();
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 400, bursts: false, seed: 17 });
    const first = startCli();
    await waitFor(async () => {
      const h = await readRecorderHealth(dir);
      return h !== null && h.pid === first.pid && h.store.storedTicks > 200;
    }, 20_000, 'first recorder storing', 100);
    exchange.faults.rest418(120_000);
    exchange.faults.dropConnections();
    await waitFor(async () => {
      const h = await readRecorderHealth(dir);
      return h !== null && h.gaps.open >= 1 && h.gaps.bannedUntil !== null;
    }, 10_000, 'gap open under a ban', 100);
    // Live trades after the gap become durable while it stays open.
    await sleep(1_000);
    const open = await readRecorderHealth(dir);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(open!.gaps.filled).toBe(0);
    exchange.faults.rest418(0);

    const second = startCli();
    await waitFor(async () => {
      const h = await readRecorderHealth(dir);
      return h !== null && h.pid === second.pid && h.running && h.gaps.open === 0 && h.gaps.filled >= open!.gaps.open + symbols.length;
    }, 30_000, 'old and new gaps filled', 100);
    second.kill('SIGTERM');
    expect(await new Promise<number | null>((r) => second.once('exit', (c) => r(c)))).toBe(0);
    const ids = await storedIds(dir);
    for (const s of symbols) {
      const check = idCheck(ids.get(s) ?? []);
      expect({ s, missing: check.missing, duplicates: check.duplicates }).toEqual({ s, missing: 0, duplicates: 0 });
    }
  }, 90_000);
});
