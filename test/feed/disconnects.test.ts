// 12 symbols recorded into the real store; 20 forced disconnects at random moments; the stored ids per symbol
// must be contiguous from first to last with no duplicate (trades only: market-data-recording.test.ts runs all streams).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { Prng } from '../../src/feed/sim/prng';
import { defaultSymbols } from '../../src/feed/universe';
import { fastFeed, idCheck, sleep, storedIds, waitFor } from './helpers';

describe('recorder under forced disconnects', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-disconnects-'));
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  afterAll(async () => {
    await recorder?.stop();
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores contiguous ids for 12 symbols after 20 disconnects at random moments', async () => {
    // 240 gaps would need 4,800 weight: more than a minute's budget. A 5 s weight window keeps the test short.
    exchange = await startSimulatedExchange({ symbols: defaultSymbols, tradesPerSecond: 600, bursts: false, seed: 11, weightWindowMs: 5_000 });
    recorder = await startRecorder({ dataDir: dir, symbols: defaultSymbols, streams: ['aggTrade'], source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, feed: fastFeed, rest: { weightWindowMs: 5_000 }, healthIntervalMs: 0 });
    await waitFor(() => recorder!.health().store.storedTicks > 200, 10_000, 'first trades');
    const rng = new Prng(2024);
    let dropped = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(80 + rng.next() * 320);
      // Alternate who breaks the link: the exchange (server side) or the network under the client.
      if (i % 2 === 0) dropped += exchange.faults.dropConnections();
      else {
        recorder.dropConnections();
        dropped++;
      }
    }
    await sleep(500);
    await waitFor(() => {
      const h = recorder!.health();
      return h.gaps.open === 0 && h.connections.every((c) => c.state === 'open');
    }, 20_000, 'gaps filled and connections open').catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify({ ...recorder!.health(), symbols: undefined, badFrames: undefined })}`);
    });
    // Every trade the exchange has made by now reaches the recorder (a state that stays true, whatever the load).
    const madeUpTo = Object.fromEntries(defaultSymbols.map((s) => [s, exchange!.market.nextAggId(s) - 1]));
    await waitFor(() => defaultSymbols.every((s) => (recorder!.health().perSymbol[s]?.lastAggId ?? -1) >= madeUpTo[s]), 20_000, 'the newest trades received');
    const h = recorder.health();
    await recorder.stop();

    expect(dropped).toBe(20);
    expect(h.reconnects).toBeGreaterThanOrEqual(20);
    expect(h.gaps.filled).toBeGreaterThan(0);
    expect(h.gaps.abandoned).toBe(0);
    const st = exchange.stats();
    expect(st.status429 + st.status418).toBe(0);
    expect(st.maxUsedWeight).toBeLessThanOrEqual(2_000);
    const ids = await storedIds(dir);
    expect([...ids.keys()].sort()).toEqual([...defaultSymbols].sort());
    for (const symbol of defaultSymbols) {
      const check = idCheck(ids.get(symbol) ?? []);
      expect({ symbol, missing: check.missing, duplicates: check.duplicates }).toEqual({ symbol, missing: 0, duplicates: 0 });
      expect(check.count).toBeGreaterThan(20);
      // from its first stored trade on, everything the exchange made before the check is stored, contiguously
      expect(check.last, symbol).toBeGreaterThanOrEqual(madeUpTo[symbol]);
    }
  }, 90_000);
});
