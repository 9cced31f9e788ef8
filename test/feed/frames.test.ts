// Malformed frames are counted by reason and skipped while the same connection keeps recording; symbols are
// validated against exchangeInfo before anything is subscribed; the simulator's unrouted path stays silent.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { SymbolRefusedError } from '../../src/feed/binance-futures';
import { readRecorderHealth } from '../../src/feed/health';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { malformedKinds, malformedReason } from '../../src/feed/sim/malformed';
import { badFrameReasons } from '../../src/feed/types';
import { fastFeed, idCheck, MemorySink, sleep, waitFor } from './helpers';

describe('frames and symbols', () => {
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  let dir = '';
  afterEach(async () => {
    await recorder?.stop();
    recorder = undefined;
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts every malformed frame kind by reason, skips it, and keeps storing valid frames on the same connection', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-frames-'));
    const symbols = ['BTCUSDT', 'ETHUSDT'];
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 200, bursts: false, seed: 4 });
    const sink = new MemorySink();
    recorder = await startRecorder({ dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, feed: fastFeed, healthIntervalMs: 200 });
    await waitFor(() => sink.total > 20, 10_000, 'first trades');
    const rounds = 3;
    for (let i = 0; i < rounds; i++) {
      expect(exchange.faults.sendMalformed()).toBe(malformedKinds.length);
      await sleep(150);
    }
    const storedBefore = sink.total;
    await sleep(600);
    const h = recorder.health();
    const expected = Object.fromEntries(badFrameReasons.map((r) => [r, 0]));
    for (const k of malformedKinds) expected[malformedReason[k]] += rounds;
    expect(h.badFrames).toEqual(expected);
    expect(Object.values(h.badFrames).reduce((a, b) => a + b, 0)).toBe(malformedKinds.length * rounds);
    expect(h.lastErrorFrame).toMatch(/^code \d: /);
    // Same connection throughout: nothing was replaced or reconnected, and valid frames kept coming.
    expect(h.reconnects).toBe(0);
    expect(exchange.stats().connectionsOpened).toBe(1);
    expect(sink.total).toBeGreaterThan(storedBefore + 30);
    expect(h.gaps.filled + h.gaps.open).toBe(0);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
    // The counts reach the health file other processes read.
    await sleep(300);
    expect((await readRecorderHealth(dir))?.badFrames.error_frame).toBe(2 * rounds);
  }, 20_000);

  it('skips a 6 MiB frame (over the 4 MiB that used to close the socket) as one oversized frame: same connection, every id stored once', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-oversized-'));
    const symbols = ['BTCUSDT', 'ETHUSDT'];
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 200, bursts: false, seed: 7 });
    const sink = new MemorySink();
    recorder = await startRecorder({ dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, feed: fastFeed, healthIntervalMs: 0 });
    await waitFor(() => sink.ids('BTCUSDT').length > 20 && sink.ids('ETHUSDT').length > 20, 10_000, 'first trades');
    const nextIdAtSend = exchange.market.nextAggId('BTCUSDT');
    expect(exchange.faults.sendOversized(6 * 1024 * 1024)).toBe(1);
    await waitFor(() => sink.ids('BTCUSDT').filter((id) => id > nextIdAtSend + 20).length > 0, 10_000, 'trades after the oversized frame');
    const h = recorder.health();
    expect(h.badFrames).toEqual({ ...Object.fromEntries(badFrameReasons.map((r) => [r, 0])), oversized: 1 });
    expect(h.reconnects).toBe(0);
    expect(h.connections[0]).toMatchObject({ state: 'open', lastError: null });
    expect(exchange.stats().connectionsOpened).toBe(1);
    expect(h.gaps.filled + h.gaps.open).toBe(0);
    expect(sink.duplicatesOffered).toBe(0);
    const ids = sink.ids('BTCUSDT');
    expect(ids.some((id) => id < nextIdAtSend)).toBe(true);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('counts a frame over the socket hard limit as oversized and replaces the connection, backfilling what it missed', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-hardlimit-'));
    const symbols = ['BTCUSDT', 'ETHUSDT'];
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 200, bursts: false, seed: 8 });
    const sink = new MemorySink();
    recorder = await startRecorder({
      dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl },
      feed: { ...fastFeed, frameHardLimitBytes: 1024 * 1024 }, healthIntervalMs: 0,
    });
    await waitFor(() => sink.ids('BTCUSDT').length > 20 && sink.ids('ETHUSDT').length > 20, 10_000, 'first trades');
    const nextIdAtSend = exchange.market.nextAggId('BTCUSDT');
    expect(exchange.faults.sendOversized(2 * 1024 * 1024)).toBe(1);
    await waitFor(() => exchange!.stats().connectionsOpened === 2, 5_000, 'replacement connection');
    await waitFor(() => sink.ids('BTCUSDT').some((id) => id > nextIdAtSend + 50) && recorder!.health().gaps.open === 0, 10_000, 'trades after the replacement, gaps filled');
    const h = recorder.health();
    expect(h.badFrames.oversized).toBe(1);
    expect(h.reconnects).toBe(1);
    expect(h.connections[0].lastError).toMatch(/refused a frame over the 1048576-byte hard limit \(closed with 1009\); replaced/);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('refuses an unknown and a non-trading symbol before any connection or subscription', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-symbols-'));
    exchange = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT'], symbolStatus: { OLDUSDT: 'SETTLING' }, tradesPerSecond: 50 });
    const attempt = startRecorder({ dataDir: dir, symbols: ['BTCUSDT', 'FOOUSDT', 'OLDUSDT'], sink: new MemorySink(), source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, healthIntervalMs: 0 });
    await expect(attempt).rejects.toThrow(SymbolRefusedError);
    await expect(attempt).rejects.toThrow(/FOOUSDT \(unknown to the exchange\), OLDUSDT \(status SETTLING\); nothing was subscribed/);
    await sleep(200);
    const st = exchange.stats();
    expect(st.exchangeInfoRequests).toBe(1);
    expect(st.connectionsOpened).toBe(0);
    expect(st.subscribed).toEqual([]);
  }, 20_000);

  it('subscribes lowercase aggTrade streams on the routed /market/stream path only', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-route-'));
    const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 100 });
    recorder = await startRecorder({ dataDir: dir, symbols: ['btcusdt', 'ETHUSDT', 'SolUsdt'], sink: new MemorySink(), source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, healthIntervalMs: 0 });
    await waitFor(() => exchange!.stats().openConnections.length === 1, 5_000, 'connection');
    const [conn] = exchange.stats().openConnections;
    expect(conn.path).toBe('/market/stream');
    expect(conn.routed).toBe(true);
    expect(conn.subscriptions).toEqual(['btcusdt@aggTrade', 'ethusdt@aggTrade', 'solusdt@aggTrade']);
  }, 20_000);

  it('shards 1,100 symbols over 6 connections of at most 200 streams', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-shards-'));
    const symbols = Array.from({ length: 1_100 }, (_, i) => `S${String(i).padStart(4, '0')}USDT`);
    exchange = await startSimulatedExchange({ symbols, pairs: [], tradesPerSecond: 2_000, bursts: false, seed: 6 });
    const sink = new MemorySink();
    recorder = await startRecorder({ dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, feed: fastFeed, healthIntervalMs: 0 });
    // every connection delivering, not only a total: on a busy machine the first connections can bring 2,000 trades alone
    const delivering = (): number => exchange!.stats().openConnections.filter((c) => c.subscriptions.some((st) => sink.ids(st.split('@')[0].toUpperCase()).length > 0)).length;
    await waitFor(() => exchange!.stats().openConnections.length === 6 && delivering() === 6 && sink.total > 2_000, 15_000, 'data on all 6 connections');
    const conns = exchange.stats().openConnections;
    expect(conns.map((c) => c.subscriptions.length).sort((a, b) => a - b)).toEqual([100, 200, 200, 200, 200, 200]);
    expect(new Set(conns.flatMap((c) => c.subscriptions)).size).toBe(1_100);
    expect(recorder.health().connections.map((c) => c.streams)).toEqual([200, 200, 200, 200, 200, 100]);
    await recorder.stop();
    recorder = undefined;
    const recorded = symbols.filter((s) => sink.ids(s).length > 0);
    expect(recorded.length).toBeGreaterThan(200);
    for (const s of recorded) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('simulator: an aggTrade SUBSCRIBE on the unrouted /stream path is acknowledged and then silent', async () => {
    exchange = await startSimulatedExchange({ symbols: ['BTCUSDT'], tradesPerSecond: 500, bursts: false });
    const frames = async (p: string): Promise<string[]> => {
      const ws = new WebSocket(`${exchange!.wsUrl}${p}`);
      const got: string[] = [];
      ws.on('message', (d) => got.push(d.toString()));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 1 }));
      await sleep(500);
      ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
      await sleep(100);
      ws.close();
      return got;
    };
    const unrouted = await frames('/stream');
    expect(unrouted).toEqual(['{"result":null,"id":1}', '{"result":["btcusdt@aggTrade"],"id":2}']);
    const routed = await frames('/market/stream');
    expect(routed[0]).toBe('{"result":null,"id":1}');
    expect(routed.filter((f) => f.includes('"e":"aggTrade"')).length).toBeGreaterThan(50);
  }, 20_000);
});
