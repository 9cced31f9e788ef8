// Connection liveness: pings answered, a stalled-but-open connection replaced within the stale timeout + 1 s,
// refused connections retried with growing backoff, and recording resumed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { fastFeed, idCheck, MemorySink, sleep, waitFor } from './helpers';

const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

describe('connection liveness', () => {
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  let dir = '';
  afterEach(async () => {
    await recorder?.stop();
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(exOpts: Parameters<typeof startSimulatedExchange>[0], staleTimeoutMs: number, backoffMs = 50) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-liveness-'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 150, bursts: false, seed: 9, ...exOpts });
    const sink = new MemorySink();
    recorder = await startRecorder({
      dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl },
      feed: { staleTimeoutMs, backoff: { initialMs: backoffMs, maxMs: 2_000, jitter: 0.2 } }, healthIntervalMs: 0,
    });
    await waitFor(() => sink.total > 30, 10_000, 'first trades');
    return sink;
  }

  it('answers server pings: the exchange (pong timeout 1 s) keeps the connection for 2.5 s', async () => {
    await start({ pingIntervalMs: 100, pongTimeoutMs: 1_000 }, 30_000);
    const opened = exchange!.stats().connectionsOpened;
    await sleep(2_500);
    const st = exchange!.stats();
    expect(st.pongs).toBeGreaterThanOrEqual(15);
    expect(st.connectionsOpened).toBe(opened);
    expect(recorder!.health().reconnects).toBe(0);
  }, 20_000);

  it('replaces a stalled-but-open connection within the stale timeout + 1 s and fills what it missed', async () => {
    const staleTimeoutMs = 1_500;
    const sink = await start({}, staleTimeoutMs);
    const opened = exchange!.stats().connectionsOpened;
    exchange!.faults.stallConnections();
    const stalledAt = Date.now();
    await waitFor(() => exchange!.stats().connectionsOpened > opened, staleTimeoutMs + 3_000, 'replacement connection');
    const replacedAfter = Date.now() - stalledAt;
    // The stall stays on for the old socket only; the new one gets data.
    exchange!.faults.resumeConnections();
    expect(replacedAfter).toBeGreaterThanOrEqual(staleTimeoutMs);
    expect(replacedAfter).toBeLessThanOrEqual(staleTimeoutMs + 1_000);
    await waitFor(() => recorder!.health().gaps.filled >= 1 && recorder!.health().gaps.open === 0, 10_000, 'stall gap filled');
    const h = recorder!.health();
    expect(h.connections[0]).toMatchObject({ state: 'open', staleReplacements: 1 });
    await sleep(400);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('backs off while connections are refused, then records again and fills the outage', async () => {
    const sink = await start({}, 30_000, 100);
    exchange!.faults.refuseConnections(true);
    exchange!.faults.dropConnections();
    await sleep(2_500);
    const h = recorder!.health();
    const refused = exchange!.stats().connectionsRefused;
    // 100, 200, 400, 800 ms (±20 %) fit in 2.5 s; without backoff there would be dozens.
    expect(refused).toBeGreaterThanOrEqual(3);
    expect(refused).toBeLessThanOrEqual(6);
    expect(h.connections[0].state).toMatch(/backoff|connecting/);
    expect(h.connections[0].lastError).toMatch(/503/);
    exchange!.faults.refuseConnections(false);
    await waitFor(() => recorder!.health().connections[0].state === 'open', 5_000, 'reconnected');
    await waitFor(() => recorder!.health().gaps.filled >= 1 && recorder!.health().gaps.open === 0, 10_000, 'outage filled');
    await sleep(400);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('reconnects after the exchange closes at the 24 h limit and fills what passed meanwhile', async () => {
    const sink = await start({}, 30_000);
    expect(exchange!.faults.forceLifetimeClose()).toBe(1);
    await waitFor(() => exchange!.stats().connectionsOpened === 2, 5_000, 'reconnected');
    const totalAtReconnect = sink.total;
    // Caught up means live trades arrived on the new connection and any gap they revealed is filled; checking
    // only "no gap open" could pass before the first live trade has shown the gap.
    await waitFor(() => sink.total > totalAtReconnect + 30 && recorder!.health().gaps.open === 0
      && recorder!.health().store.pendingTicks === 0 && symbols.every((s) => idCheck(sink.ids(s)).missing === 0), 10_000, 'caught up');
    await sleep(300);
    const h = recorder!.health();
    expect(exchange!.stats().lifetimeCloses).toBe(1);
    expect(h.reconnects).toBe(1);
    expect(h.connections[0].lastError).toMatch(/1001.*24 h/);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('keeps retrying while the exchange refuses from the start, reporting why, then records', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-liveness-'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 150, bursts: false, faults: { refuseConnections: true } });
    const sink = new MemorySink();
    recorder = await startRecorder({
      dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl },
      feed: { staleTimeoutMs: 30_000, backoff: { initialMs: 100, maxMs: 400, jitter: 0.2 } }, healthIntervalMs: 0,
    });
    await sleep(1_200);
    const h = recorder.health();
    expect(h.state).toBe('recording');
    expect(h.connections[0].state).toMatch(/backoff|connecting/);
    expect(h.connections[0].lastError).toMatch(/HTTP 503/);
    expect(h.reconnects).toBeGreaterThanOrEqual(2);
    exchange.faults.refuseConnections(false);
    await waitFor(() => sink.total > 50, 5_000, 'trades after the exchange accepted');
  }, 20_000);

  it('waits for an unreachable exchange (no REST yet), says so in health, and records once it is up', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-liveness-'));
    const probe = await startSimulatedExchange({ symbols });
    const { port, wsUrl, restUrl } = probe;
    await probe.close();
    const sink = new MemorySink();
    recorder = await startRecorder({
      dataDir: dir, symbols, sink, source: { wsUrl, restUrl }, feed: fastFeed,
      startBackoff: { initialMs: 200, maxMs: 400, jitter: 0.1 }, healthIntervalMs: 0,
    });
    const waiting = recorder.health();
    expect(waiting.state).toBe('waiting_for_exchange');
    expect(waiting.lastError).toMatch(/exchange unreachable .*exchangeInfo.*retrying/);
    expect(waiting.connections).toEqual([]);
    exchange = await startSimulatedExchange({ symbols, port, tradesPerSecond: 150, bursts: false });
    await waitFor(() => recorder!.health().state === 'recording' && sink.total > 50, 5_000, 'recording after the exchange came up');
    expect(recorder.health().lastError).toBeNull();
  }, 20_000);
});
