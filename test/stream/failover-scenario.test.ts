// The tick stream's done-when scenario, short: 3-node cluster, two recorders on the same 12 symbols of one simulated
// exchange, two store consumers; SIGKILL recorder A, then the stream leader, then consumer 2 (restarted). Every store
// ends with contiguous ids, no copies, equal to each other and to the exchange's trades; a lab on the stream
// (openLab({ nats }), opened before the faults) ends with every tick of the stream, once. The full size is the bench's
// `stream` group. Uses the compiled CLI for recorders and consumers: run `npm run build` first (`npm test` does).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSymbols } from '../../src/feed/universe';
import { FailoverScenario } from './failover-scenario';

describe('tick stream: recorder, leader and consumer killed in turn', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-failover-'));
  const symbols = defaultSymbols.slice(0, 12);
  const scenario = new FailoverScenario({
    dir, symbols, tradesPerSecond: 240, phaseMs: 3_000, waitMs: 40_000,
    log: (line) => process.stderr.write(`[failover] ${line}\n`),
  });
  afterAll(async () => {
    await scenario.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every store equals the exchange\'s trades: contiguous, once, the same in both', async () => {
    expect(symbols).toHaveLength(12);
    const report = await scenario.run();
    process.stderr.write(`[failover] ${JSON.stringify({ ...report, stores: undefined, lab: undefined })}\n`);
    expect(report.killedLeader).not.toBe(report.newLeader);
    expect(report.exchangeTrades).toBeGreaterThan(1_000);
    for (const store of report.stores) {
      for (const s of store.symbols) {
        expect(s, `${store.store} ${s.symbol}`).toMatchObject({ missing: 0, duplicates: 0, equalsExchange: true, equalsOtherStores: true });
      }
      expect(store.symbols.reduce((n, s) => n + s.count, 0)).toBe(report.exchangeTrades);
    }
    process.stderr.write(`[failover] lab ${JSON.stringify(report.lab)}\n`);
    for (const s of report.lab) expect(s, `lab ${s.symbol}`).toMatchObject({ duplicates: 0, equalsStream: true });
    expect(report.lab.every((s) => s.count > 0)).toBe(true);
  }, 150_000);
});
