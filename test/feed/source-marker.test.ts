// A store holds simulated or real trades, never both: the recorder marks a store with the kind of trades it records
// and refuses the other kind. A store that never received a trade (the exchange was out of reach) may change kind,
// so "use the simulated exchange" works where recording from Binance never started.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Recorder, startRecorder } from '../../src/feed';
import { startSimulatedExchange } from '../../src/feed/sim/exchange';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'pairs-lab-marker-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// a "real" exchange nobody listens on: the recorder keeps retrying and never receives a trade
const unreachable = { wsUrl: 'ws://127.0.0.1:9/', restUrl: 'http://127.0.0.1:9' };
const symbols = ['BTCUSDT', 'ETHUSDT'];

async function recordSimulatedUntilStored(dataDir: string): Promise<Recorder> {
  const rec = await startRecorder({ dataDir, symbols, source: 'simulated', flushIntervalMs: 100 });
  for (let i = 0; i < 100 && rec.health().store.storedTicks === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(rec.health().store.storedTicks).toBeGreaterThan(0);
  return rec;
}

const marker = (dataDir: string) => JSON.parse(readFileSync(path.join(dataDir, 'recorder-source.json'), 'utf8')) as { simulated: boolean };

describe('store source marker', () => {
  it('refuses real trades into a store that holds simulated ones', async () => {
    const dataDir = newDir();
    await (await recordSimulatedUntilStored(dataDir)).stop();
    await expect(startRecorder({ dataDir, symbols, source: unreachable })).rejects.toThrow(/holds simulated trades; record Binance trades into another directory/);
    expect(marker(dataDir).simulated).toBe(true);
  });

  it('refuses simulated trades into a store that holds real ones', async () => {
    const dataDir = newDir();
    // a store that received real trades: here the simulator stands in for Binance (not flagged simulated)
    const exchange = await startSimulatedExchange({ symbols });
    try {
      const rec = await startRecorder({ dataDir, symbols, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, flushIntervalMs: 100 });
      for (let i = 0; i < 100 && rec.health().store.storedTicks === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(rec.health().store.storedTicks).toBeGreaterThan(0);
      await rec.stop();
    } finally {
      await exchange.close();
    }
    await expect(startRecorder({ dataDir, symbols, source: 'simulated' })).rejects.toThrow(/holds real Binance trades/);
  });

  it('lets a store where the exchange was never reached (no trade) record simulated trades instead', async () => {
    const dataDir = newDir();
    const real = await startRecorder({ dataDir, symbols, source: unreachable, startBackoff: { initialMs: 50, maxMs: 200, jitter: 0 } });
    await new Promise((r) => setTimeout(r, 500));
    expect(real.health().store.storedTicks).toBe(0);
    expect(marker(dataDir).simulated).toBe(false);
    await real.stop();
    const sim = await recordSimulatedUntilStored(dataDir);
    await sim.stop();
    expect(marker(dataDir).simulated).toBe(true);
  });
});
