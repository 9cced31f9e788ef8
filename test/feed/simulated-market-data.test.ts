// The simulated exchange's bookTicker, markPrice@1s and funding: quotes around the trades, the routes each stream is
// served on, funding every 8 h of clock time, and GET /fapi/v1/fundingRate paged like Binance's.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedExchange, type SimulatedExchange } from '../../src/feed/sim/exchange';
import { SimMarket } from '../../src/feed/sim/market';
import { FUNDING_INTERVAL_MS, SimMarketData } from '../../src/feed/sim/market-data';
import { defaultPairs, defaultSymbols } from '../../src/feed/universe';
import { manualClock, waitFor } from './helpers';
import { isData, Peer } from './ws-peer';

const start = Date.UTC(2026, 11, 6, 7, 0, 0);

describe('simulated market data', () => {
  let exchange: SimulatedExchange | undefined;
  afterEach(async () => {
    await exchange?.close();
    exchange = undefined;
  });

  it('puts every trade at its quotes (buyer-maker at the bid, others at the ask) with ask > bid', () => {
    const clock = manualClock(start);
    const market = new SimMarket({ symbols: defaultSymbols, pairs: defaultPairs, seed: 3, clock, tradesPerSecond: 200, bursts: false, historyLimit: 1000 });
    const data = new SimMarketData(market, clock, { quotesPerSecond: 100, fundingHistoryDays: 1, seed: 3 });
    market.setQuoteSource((s) => data.quote(s));
    let trades = 0;
    for (let i = 0; i < 200; i++) {
      clock.advance(50);
      const made = market.step();
      const { quotes } = data.step(made);
      made.forEach((t, k) => {
        const q = quotes[k];
        expect(q.symbol).toBe(t.symbol);
        expect(Number(q.ask)).toBeGreaterThan(Number(q.bid));
        expect(t.price).toBe(t.isBuyerMaker ? q.bid : q.ask);
      });
      for (const q of quotes) expect(Number(q.ask)).toBeGreaterThan(Number(q.bid));
      trades += made.length;
    }
    expect(trades).toBeGreaterThan(1000);
  });

  it('serves markPrice@1s on /market and bookTicker on /public only, with Binance field names', async () => {
    exchange = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT'], tradesPerSecond: 50, quotesPerSecond: 50, bursts: false });
    const market = await Peer.open(`${exchange.wsUrl}/market/stream?streams=btcusdt@markPrice@1s/btcusdt@bookTicker`);
    const pub = await Peer.open(`${exchange.wsUrl}/public/stream?streams=btcusdt@bookTicker/btcusdt@markPrice@1s`);
    try {
      await market.waitData((f) => f.includes('"stream":"btcusdt@markPrice@1s"'), 2, 'two mark prices');
      await pub.waitData((f) => f.includes('"stream":"btcusdt@bookTicker"'), 20, 'twenty quotes');
      const m = JSON.parse(market.frames.find((f) => f.includes('markPriceUpdate')) as string) as { data: Record<string, unknown> };
      expect(Object.keys(m.data)).toEqual(['e', 'E', 's', 'p', 'i', 'P', 'r', 'T']);
      expect(m.data.T).toBe(Math.ceil((m.data.E as number) / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS);
      const b = JSON.parse(pub.frames.find((f) => f.includes('"e":"bookTicker"')) as string) as { data: Record<string, unknown> };
      expect(Object.keys(b.data)).toEqual(['e', 'u', 'E', 'T', 's', 'b', 'B', 'a', 'A']);
      // Each route stays silent for the other route's stream, as Binance does.
      expect(market.frames.filter((f) => isData(f) && f.includes('bookTicker'))).toEqual([]);
      expect(pub.frames.filter((f) => isData(f) && f.includes('markPrice'))).toEqual([]);
    } finally {
      market.ws.terminate();
      pub.ws.terminate();
    }
  }, 20_000);

  it('settles funding every 8 h of clock time and pages GET /fapi/v1/fundingRate with no gap', async () => {
    const clock = manualClock(start);
    exchange = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT'], clock, fundingHistoryDays: 400, tradesPerSecond: 0.01, quotesPerSecond: 0.01, bursts: false });
    const ex = exchange;
    for (let h = 0; h < 24; h++) {
      clock.advance(3_600_000);
      const settled = Math.floor((start + (h + 1) * 3_600_000) / FUNDING_INTERVAL_MS) - Math.floor(start / FUNDING_INTERVAL_MS);
      await waitFor(() => ex.stats().fundingsMade === 2 * settled, 5_000, `${settled} settlements (made ${ex.stats().fundingsMade})`);
    }
    expect(ex.stats().fundingsMade).toBe(6);
    const get = async (q: string): Promise<{ symbol: string; fundingRate: string; fundingTime: number; markPrice: string }[]> => {
      const res = await fetch(`${ex.restUrl}/fapi/v1/fundingRate?${q}`);
      expect(res.status).toBe(200);
      return (await res.json()) as { symbol: string; fundingRate: string; fundingTime: number; markPrice: string }[];
    };
    const all: number[] = [];
    let from = 0;
    for (;;) {
      const page = await get(`symbol=ETHUSDT&startTime=${from}&endTime=${clock.now()}&limit=1000`);
      all.push(...page.map((r) => r.fundingTime));
      if (page.length < 1000) break;
      from = page[page.length - 1].fundingTime + 1;
    }
    expect(all.length).toBe(400 * 3 + 3);
    for (let i = 1; i < all.length; i++) expect(all[i] - all[i - 1]).toBe(FUNDING_INTERVAL_MS);
    const latest = await get('symbol=ETHUSDT&limit=3');
    expect(latest.map((r) => r.fundingTime)).toEqual(all.slice(-3));
    expect(latest[0]).toMatchObject({ symbol: 'ETHUSDT', fundingRate: expect.stringMatching(/^-?\d\.\d{8}$/) });
    const bad = await fetch(`${ex.restUrl}/fapi/v1/fundingRate?symbol=ETHUSDT&limit=1001`);
    expect(bad.status).toBe(400);
  }, 30_000);
});
