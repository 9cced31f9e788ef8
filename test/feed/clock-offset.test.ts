// The local clock's offset from the exchange (GET /fapi/v1/time): measured within ±50 ms on loopback from the
// shortest of a few round trips, inside the REST weight budget, repeated periodically, warned about in the log and
// the health file above 1 s, used to correct the event latency; a failing or silent time endpoint is reported, not fatal.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/feed/clock';
import { readRecorderHealth } from '../../src/feed/health';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { BinanceRest } from '../../src/feed/rest';
import { ServerClock } from '../../src/feed/server-clock';
import { type SimulatedExchange, type SimulatedExchangeOptions, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { fastFeed, idCheck, MemorySink, sleep, waitFor } from './helpers';

const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('clock offset against the exchange', () => {
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  let server: Server | undefined;
  let dir = '';
  afterEach(async () => {
    await recorder?.stop();
    recorder = undefined;
    await exchange?.close();
    exchange = undefined;
    if (server) await new Promise((r) => server!.close(r));
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  async function record(exOpts: SimulatedExchangeOptions, recOpts: Partial<Parameters<typeof startRecorder>[0]> = {}) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-clock-'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 200, bursts: false, seed: 11, ...exOpts });
    const sink = new MemorySink();
    const log: string[] = [];
    recorder = await startRecorder({
      dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, feed: fastFeed,
      healthIntervalMs: 100, log: (m) => log.push(m), ...recOpts,
    });
    return { sink, log };
  }

  it('measures an exchange clock 2.5 s ahead within ±50 ms, warns in the log and the health file, and corrects the event latency', async () => {
    const { sink, log } = await record({ clockSkewMs: 2_500 });
    await waitFor(() => recorder!.health().serverClock.offsetMs !== null && sink.total > 100, 10_000, 'offset and trades');
    const h = recorder!.health();
    expect(Math.abs(h.serverClock.offsetMs! - 2_500)).toBeLessThanOrEqual(50);
    expect(h.serverClock).toMatchObject({ skewed: true, warnAboveMs: 1_000, measurements: 1, failures: 0, lastError: null });
    expect(exchange!.stats().timeRequests).toBe(3);
    const warnings = log.filter((m) => m.startsWith('WARNING: the local clock is 2.'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARNING: the local clock is 2\.[45]\d s behind the exchange \(GET \/fapi\/v1\/time, round trip \d+ ms;/);
    // Trade times come from the exchange's clock: raw receive − E is about −2.5 s, corrected it is the real delay.
    expect(h.eventLatency.offsetCorrected).toBe(true);
    expect(h.eventLatency.uncorrectedMedianMs!).toBeLessThan(-2_400);
    expect(h.eventLatency.medianMs!).toBeGreaterThanOrEqual(-50);
    expect(h.eventLatency.medianMs!).toBeLessThan(100);
    await sleep(250);
    const file = await readRecorderHealth(dir);
    expect(file?.serverClock).toMatchObject({ skewed: true, offsetMs: h.serverClock.offsetMs });
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('measures an exchange clock 0.4 s behind as −400 ms ±50 without a warning', async () => {
    const { log } = await record({ clockSkewMs: -400 });
    await waitFor(() => recorder!.health().serverClock.offsetMs !== null, 10_000, 'offset');
    const { serverClock } = recorder!.health();
    expect(Math.abs(serverClock.offsetMs! + 400)).toBeLessThanOrEqual(50);
    expect(serverClock.skewed).toBe(false);
    expect(log).toEqual([]);
  }, 20_000);

  it('keeps recording while /fapi/v1/time fails (503), reports it once, and measures once the endpoint recovers', async () => {
    const { sink, log } = await record({ clockSkewMs: 2_500, faults: { serverTime: 'error' } }, { serverClock: { retryMs: 200 } });
    await waitFor(() => recorder!.health().serverClock.failures >= 3 && sink.total > 100, 10_000, 'failures while recording');
    const during = recorder!.health();
    expect(during.state).toBe('recording');
    expect(during.lastError).toBeNull();
    expect(during.serverClock).toMatchObject({ offsetMs: null, skewed: false, measurements: 0 });
    expect(during.serverClock.lastError).toMatch(/^GET \/fapi\/v1\/time: HTTP 503 code -1001: Internal error/);
    expect(during.eventLatency.offsetCorrected).toBe(false);
    expect(log.filter((m) => m.startsWith('could not measure the clock offset'))).toHaveLength(1);
    exchange!.faults.serverTime('none');
    await waitFor(() => recorder!.health().serverClock.offsetMs !== null, 5_000, 'offset after recovery');
    const after = recorder!.health();
    expect(Math.abs(after.serverClock.offsetMs! - 2_500)).toBeLessThanOrEqual(50);
    expect(after.serverClock.lastError).toBeNull();
    expect(log.some((m) => /^clock offset measured again after \d+ s of failures$/.test(m))).toBe(true);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 20_000);

  it('keeps recording while /fapi/v1/time never answers: the request times out and is reported', async () => {
    const { sink } = await record({ faults: { serverTime: 'no_reply' } }, { rest: { timeoutMs: 300 } });
    await waitFor(() => recorder!.health().serverClock.failures >= 1, 5_000, 'time-out reported');
    const before = sink.total;
    await sleep(500);
    const h = recorder!.health();
    expect(h.state).toBe('recording');
    expect(h.serverClock.offsetMs).toBeNull();
    expect(h.serverClock.lastError).toMatch(/no reply within 300 ms/);
    expect(sink.total).toBeGreaterThan(before + 30);
  }, 20_000);

  it('reports an unreachable REST endpoint without throwing', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const log: string[] = [];
    const clock = new ServerClock({ rest: new BinanceRest({ baseUrl: `http://127.0.0.1:${port}`, clock: systemClock }), clock: systemClock, log: (m) => log.push(m) });
    expect(await clock.measure()).toBe(false);
    expect(clock.health()).toMatchObject({ offsetMs: null, failures: 1, measurements: 0 });
    expect(clock.health().lastError).toMatch(/is http:\/\/127\.0\.0\.1:\d+ reachable\?/);
    expect(log).toHaveLength(1);
  });

  it('takes the sample with the shortest round trip (a reply held back 600 ms would be off by 300 ms)', async () => {
    let calls = 0;
    server = createServer((_req, res) => {
      const body = JSON.stringify({ serverTime: Date.now() + 2_500 });
      const reply = (): void => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); };
      if (calls++ === 0) setTimeout(reply, 600);
      else reply();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const rest = new BinanceRest({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clock: systemClock });
    const clock = new ServerClock({ rest, clock: systemClock, samples: 3 });
    expect(await clock.measure()).toBe(true);
    expect(calls).toBe(3);
    const h = clock.health();
    expect(Math.abs(h.offsetMs! - 2_500)).toBeLessThanOrEqual(50);
    expect(h.roundTripMs!).toBeLessThan(300);
  });

  it('measures again every interval, each time within the REST weight budget (weight 1 per request)', async () => {
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 0, weightWindowMs: 400 });
    const rest = new BinanceRest({ baseUrl: exchange.restUrl, clock: systemClock, weightBudget: 2, weightWindowMs: 400 });
    const clock = new ServerClock({ rest, clock: systemClock, samples: 3, intervalMs: 500 });
    try {
      clock.start();
      await waitFor(() => clock.health().measurements >= 3, 5_000, 'three measurements');
    } finally {
      await clock.stop();
    }
    const st = exchange.stats();
    // Three requests of weight 1 never fit a budget of 2: each measurement waited for the next window.
    expect(st.maxUsedWeight).toBeLessThanOrEqual(2);
    expect(rest.health().weightWaits).toBeGreaterThanOrEqual(3);
    expect(st.timeRequests).toBe(3 * clock.health().measurements);
    expect(Math.abs(clock.health().offsetMs!)).toBeLessThanOrEqual(50);
  }, 20_000);
});
