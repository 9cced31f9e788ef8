// All three streams for 12 symbols into the real store through 20 disconnects and the 24 h rotation (a replacement
// connection at 23 h, before the exchange's 24 h limit), with the simulated clock 3,600× faster than wall time:
// trades contiguous, quotes and marks of every symbol, funding events every 8 h with no gap from the fetched
// history through the settlements made during the run, and malformed frames counted on each stream kind.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceleratedClock } from '../../src/feed/clock';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { malformedKinds } from '../../src/feed/sim/malformed';
import { FUNDING_INTERVAL_MS } from '../../src/feed/sim/market-data';
import type { StreamKind } from '../../src/feed/streams';
import { defaultSymbols } from '../../src/feed/universe';
import { openStoreReader } from '../../src/store';
import { idCheck, sleep, storedIds, waitFor } from './helpers';

const HOUR = 3_600_000;
const SPEED = 3_600;

describe('recording markPrice, bookTicker and funding beside trades', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-market-data-'));
  let recorder: Recorder | undefined;
  afterAll(async () => {
    await recorder?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records all three streams for 12 symbols through 20 disconnects and the 24 h rotation, with every funding event once', async () => {
    const clock = acceleratedClock(SPEED, Date.UTC(2026, 11, 6, 3, 0, 0));
    const startedAt = clock.now();
    recorder = await startRecorder({
      dataDir: dir,
      symbols: defaultSymbols,
      source: 'simulated',
      clock,
      // Rates are per second of simulated time: 180 trades and ~540 quotes a wall second.
      simulatedExchange: { tradesPerSecond: 0.05, quotesPerSecond: 0.1, bursts: false, seed: 5, pongTimeoutMs: 100 * HOUR },
      // Times in simulated ms: stale after 3 wall seconds (a busy machine delays frames by more than one, and each stale
      // replacement restarts the rotation's 23 h); rotation at the default 23 h, the exchange's limit 24 h.
      feed: { staleTimeoutMs: 3 * HOUR, backoff: { initialMs: 50, maxMs: 1_000, jitter: 0.2 } },
      healthIntervalMs: 0,
    });
    const r = recorder;
    expect(r.streams).toEqual(['aggTrade', 'markPrice', 'bookTicker']);
    const kinds: StreamKind[] = ['aggTrade', 'markPrice', 'bookTicker'];
    const events = (k: StreamKind): number => r.health().streams[k]?.stored ?? 0;
    await waitFor(() => kinds.every((k) => events(k) > 100), 15_000, 'first events of each stream');
    // Malformed frames on every connection: one of each kind, shaped like that connection's stream.
    const exchange = r.simulatedExchange!;
    const badTotal = (k: StreamKind): number => Object.values(r.health().streams[k]?.badFrames ?? {}).reduce((a, b) => a + b, 0);
    exchange.faults.sendMalformed();
    await waitFor(() => kinds.every((k) => badTotal(k) === malformedKinds.length), 10_000, 'malformed frames counted on each stream')
      .catch((err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(kinds.map((k) => r.health().streams[k]?.badFrames))}`); });
    // 20 disconnects, half by the exchange, half under the client.
    for (let i = 0; i < 20; i++) {
      await sleep(150);
      if (i % 2 === 0) exchange.faults.dropConnections();
      else r.dropConnections();
    }
    const afterDrops = clock.now();
    // A rotation needs 23 simulated hours (23 wall seconds) on one connection after the last disconnect.
    await waitFor(() => kinds.every((k) => (r.health().streams[k]?.rotations ?? 0) >= 1), 80_000, 'a rotation of each stream kind')
      .catch((err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(kinds.map((k) => ({ k, rotations: r.health().streams[k]?.rotations, stale: r.health().streams[k]?.staleReplacements, reconnects: r.health().streams[k]?.reconnects })))}`); });
    // Run past at least two settlements after the disconnects.
    const settleBy = (Math.floor(afterDrops / FUNDING_INTERVAL_MS) + 2) * FUNDING_INTERVAL_MS;
    await waitFor(() => clock.now() > settleBy, 30_000, 'two settlements after the disconnects');
    const lastSettlement = Math.floor(clock.now() / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
    await waitFor(() => defaultSymbols.every((s) => (r.health().funding?.newest[s] ?? 0) >= lastSettlement), 10_000, 'the newest settlement fetched');
    const madeUpTo = Object.fromEntries(defaultSymbols.map((s) => [s, exchange.market.nextAggId(s) - 1]));
    await waitFor(() => defaultSymbols.every((s) => (r.health().perSymbol[s]?.lastAggId ?? -1) >= madeUpTo[s]), 20_000, 'the newest trades received');
    const h = r.health();
    const lifetimeCloses = exchange.stats().lifetimeCloses;
    await r.stop();
    recorder = undefined;

    for (const k of kinds) {
      const s = h.streams[k]!;
      expect(s.reconnects, `${k} reconnects`).toBeGreaterThanOrEqual(20);
      expect(s.rotations, `${k} rotations`).toBeGreaterThanOrEqual(1);
      expect(Object.values(s.badFrames).reduce((a, b) => a + b, 0), `${k} bad frames`).toBe(malformedKinds.length);
      expect(s.connections.every((c) => c.url.includes(k === 'bookTicker' ? '/public/stream' : '/market/stream')), `${k} route`).toBe(true);
    }
    // Every connection was replaced before the exchange had to close it at 24 h.
    expect(lifetimeCloses).toBe(0);
    const ids = await storedIds(dir);
    for (const s of defaultSymbols) expect(idCheck(ids.get(s) ?? []), s).toMatchObject({ missing: 0, duplicates: 0 });
    const reader = await openStoreReader({ dir });
    try {
      for (const symbol of defaultSymbols) {
        const q = await reader.quotes({ symbol });
        expect(q.updateId.length, `${symbol} quotes`).toBeGreaterThan(50);
        for (let i = 1; i < q.updateId.length; i++) expect(q.updateId[i]).toBeGreaterThan(q.updateId[i - 1]);
        expect(q.ask.every((a, i) => a > q.bid[i]), `${symbol} ask > bid`).toBe(true);
        const m = await reader.marks({ symbol });
        expect(m.eventTime.length, `${symbol} marks`).toBeGreaterThan(50);
        const f = await reader.funding({ symbol });
        const times = [...f.fundingTime];
        // 30 days of history before the start, then every settlement of the run: one event per 8 h, none twice.
        expect(times[0]).toBe(Math.floor(startedAt / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS - 89 * FUNDING_INTERVAL_MS);
        expect(times.at(-1)).toBe(lastSettlement);
        for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], `${symbol} funding ${i}`).toBe(FUNDING_INTERVAL_MS);
        expect(f.fundingRate.every((x) => Number.isFinite(x))).toBe(true);
      }
      const sec = await reader.query('SELECT count(*) AS n, min(spreadTw) > 0 AS positive FROM quotes_1s');
      expect(sec.columns[1].values[0]).toBe(true);
    } finally {
      await reader.close();
    }
  }, 180_000);
});
