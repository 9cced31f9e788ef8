// Gap backfill through REST within the request-weight budget: pages of 1000 by fromId, 429 Retry-After
// honoured, 418 stops the backfill while live recording goes on.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Backfiller } from '../../src/feed/backfill';
import { systemClock } from '../../src/feed/clock';
import { BinanceRest } from '../../src/feed/rest';
import type { AggTrade } from '../../src/feed/types';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { fastFeed, idCheck, MemorySink, sleep, waitFor } from './helpers';

const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('gap backfill', () => {
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  let dir = '';
  afterEach(async () => {
    await recorder?.stop();
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Records until both symbols flow, then makes a gap of exactly `n` BTCUSDT trades while the client is cut off. */
  async function recordWithGap(n: number, opts: { weightLimit?: number; weightBudget?: number; before?: () => void }) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-backfill-'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 200, bursts: false, seed: 5, weightLimit: opts.weightLimit, weightWindowMs: 2_000 });
    const sink = new MemorySink();
    recorder = await startRecorder({
      dataDir: dir, symbols, sink, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl }, feed: fastFeed,
      rest: { weightBudget: opts.weightBudget, weightWindowMs: 2_000 }, healthIntervalMs: 0,
    });
    await waitFor(() => sink.ids('BTCUSDT').length > 20 && sink.ids('ETHUSDT').length > 5, 10_000, 'live trades');
    exchange.setTradesPerSecond(0);
    await sleep(100);
    exchange.faults.refuseConnections(true);
    exchange.faults.dropConnections();
    const opened = exchange.stats().connectionsOpened;
    const gapFrom = exchange.market.nextAggId('BTCUSDT');
    exchange.faults.skipIds('BTCUSDT', n);
    opts.before?.();
    exchange.faults.refuseConnections(false);
    await waitFor(() => exchange!.stats().connectionsOpened > opened, 5_000, 'reconnect');
    exchange.setTradesPerSecond(200);
    return { sink, gapFrom, gapTo: gapFrom + n - 1 };
  }

  it('fills a 2,500-trade gap with 3 aggTrades pages inside a 20-weight budget (one call per window)', async () => {
    const { sink, gapFrom, gapTo } = await recordWithGap(2_500, { weightLimit: 50, weightBudget: 20 });
    await waitFor(() => recorder!.health().gaps.filled === 1, 15_000, 'gap filled').catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify({ gaps: recorder!.health().gaps, rest: recorder!.health().rest, ex: { ...exchange!.stats(), subscribed: 0 } })}`);
    });
    const h = recorder!.health();
    const st = exchange!.stats();
    expect(sink.gapLog.filter((g) => g.status === 'filled')).toEqual([
      { symbol: 'BTCUSDT', fromId: gapFrom, toId: gapTo, foundAt: expect.any(Number), filledAt: expect.any(Number), trades: 2_500, status: 'filled' },
    ]);
    expect(sink.gapLog[0]).toMatchObject({ symbol: 'BTCUSDT', fromId: gapFrom, toId: gapTo, status: 'open', filledAt: null });
    expect(st.aggTradesRequests).toBe(3);
    // No 2 s window saw two calls: the client spaced them by its budget, not by luck.
    expect(st.maxUsedWeight).toBeLessThanOrEqual(20);
    expect(st.status429 + st.status418).toBe(0);
    expect(h.rest.weightBudget).toBe(20);
    expect(h.gaps.tradesBackfilled).toBe(2_500);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
    expect(sink.ids('BTCUSDT').filter((id) => id >= gapFrom && id <= gapTo)).toHaveLength(2_500);
  }, 30_000);

  it('waits out a 429 Retry-After before calling again (no 418)', async () => {
    let forcedAt = 0;
    const { sink } = await recordWithGap(1_200, { before: () => { exchange!.faults.rest429(1, 1); forcedAt = Date.now(); } });
    await waitFor(() => recorder!.health().gaps.filled === 1, 15_000, 'gap filled').catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify({ gaps: recorder!.health().gaps, rest: recorder!.health().rest, ex: { ...exchange!.stats(), subscribed: 0 } })}`);
    });
    const st = exchange!.stats();
    expect(st.status429).toBe(1);
    expect(st.status418).toBe(0);
    expect(st.requestsDuringPenalty).toBe(0);
    expect(st.aggTradesRequests).toBe(3);
    expect(Date.now() - forcedAt).toBeGreaterThanOrEqual(1_000);
    expect(recorder!.health().rest.rateLimited).toBe(1);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 30_000);

  it('stops backfilling on 418 while live trades keep being stored, and resumes after the ban', async () => {
    const { sink, gapFrom } = await recordWithGap(1_500, { before: () => exchange!.faults.rest418(3_000) });
    await waitFor(() => recorder!.health().gaps.bannedUntil !== null, 5_000, 'ban noticed');
    const requestsAtBan = exchange!.stats().aggTradesRequests;
    const ethBefore = sink.ids('ETHUSDT').length;
    await sleep(1_500);
    const during = recorder!.health();
    expect(exchange!.stats().aggTradesRequests).toBe(requestsAtBan);
    expect(requestsAtBan).toBe(1);
    expect(during.gaps.open).toBe(1);
    expect(during.gaps.tradesMissing).toBe(1_500);
    expect(sink.ids('ETHUSDT').length).toBeGreaterThan(ethBefore + 20);
    expect(sink.ids('BTCUSDT').some((id) => id > gapFrom + 1_500)).toBe(true);
    await waitFor(() => recorder!.health().gaps.filled === 1, 15_000, 'gap filled after the ban');
    expect(exchange!.stats().requestsDuringPenalty).toBe(1);
    for (const s of symbols) expect(idCheck(sink.ids(s))).toMatchObject({ missing: 0, duplicates: 0 });
  }, 30_000);

  it('gives a gap up on a 400 reply at once, and retries a 503 until the exchange answers', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'feed-backfill-'));
    let mode: 400 | 503 | 200 = 400;
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      const fromId = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('fromId'));
      if (mode !== 200) {
        res.writeHead(mode, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ code: mode === 400 ? -1100 : -1001, msg: mode === 400 ? 'Illegal parameter' : 'Service unavailable' }));
      }
      const rows = Array.from({ length: 10 }, (_, i) => ({ a: fromId + i, p: '1.5', q: '2', f: 1, l: 1, T: 1_700_000_000_000 + i, m: false }));
      res.writeHead(200, { 'content-type': 'application/json', 'x-mbx-used-weight-1m': '20' });
      res.end(JSON.stringify(rows));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const delivered: AggTrade[] = [];
    const backfiller = new Backfiller({
      rest: new BinanceRest({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clock: systemClock }),
      clock: systemClock,
      deliver: async (trades) => { delivered.push(...trades); },
      logGaps: async () => undefined,
      onError: () => undefined,
    });
    try {
      backfiller.add('BTCUSDT', 100, 104);
      await waitFor(() => backfiller.health().abandoned === 1, 5_000, 'gap abandoned');
      expect(calls).toBe(1);
      expect(backfiller.health().lastError).toMatch(/HTTP 400 code -1100: Illegal parameter/);
      mode = 503;
      backfiller.add('BTCUSDT', 200, 204);
      await sleep(2_500);
      expect(calls).toBeGreaterThanOrEqual(2);
      expect(calls).toBeLessThanOrEqual(3);
      mode = 200;
      await waitFor(() => backfiller.health().filled === 1, 10_000, 'gap filled after the exchange recovered');
      expect(delivered.map((t) => t.aggId)).toEqual([200, 201, 202, 203, 204]);
      expect(backfiller.gaps().map((g) => [g.fromId, g.status, g.trades])).toEqual([[100, 'abandoned', 0], [200, 'filled', 5]]);
    } finally {
      await backfiller.stop();
      await new Promise((r) => server.close(r));
    }
  }, 20_000);
});
