// The simulated exchange itself: cointegrated pairs with the configured hedge ratio and mean-reversion speed,
// bursts and quiet periods, Binance's REST errors and weights, the raw /market/ws path, control methods, and
// the `pairs-lab simulate` command.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/feed/clock';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { SimMarket } from '../../src/feed/sim/market';
import { sleep } from './helpers';

function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => { now += ms; },
    setTimer: () => ({ cancel: () => undefined }),
    setInterval: () => ({ cancel: () => undefined }),
    sleep: async () => undefined,
  };
}

describe('simulated market', () => {
  it('keeps y − β·x mean-reverting at the configured speed while x wanders', () => {
    const clock = manualClock(1_700_000_000_000);
    const pair = { y: 'BTCUSDT', x: 'ETHUSDT', hedgeRatio: 20, meanReversion: 0.05 };
    const m = new SimMarket({ symbols: ['BTCUSDT', 'ETHUSDT'], pairs: [pair], seed: 3, clock, tradesPerSecond: 1, bursts: false, historyLimit: 1000 });
    const spread: number[] = [];
    const xs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      clock.advance(1000);
      m.step();
      spread.push(m.mid('BTCUSDT') - 20 * m.mid('ETHUSDT'));
      xs.push(m.mid('ETHUSDT'));
    }
    const mean = spread.reduce((a, b) => a + b, 0) / spread.length;
    const d = spread.map((s) => s - mean);
    let num = 0;
    let den = 0;
    for (let i = 1; i < d.length; i++) { num += d[i] * d[i - 1]; den += d[i - 1] * d[i - 1]; }
    const phi = num / den;
    const sd = Math.sqrt(den / (d.length - 1));
    // AR(1) coefficient of an OU process sampled each second is exp(−θ) = 0.951.
    expect(phi).toBeGreaterThan(Math.exp(-0.05) - 0.02);
    expect(phi).toBeLessThan(Math.exp(-0.05) + 0.02);
    // Stationary sd 0.2 % of BTC's 64,000 = 128, while x's own range is far wider in y units.
    expect(sd).toBeGreaterThan(128 * 0.7);
    expect(sd).toBeLessThan(128 * 1.3);
    expect(20 * (Math.max(...xs) - Math.min(...xs))).toBeGreaterThan(4 * sd);
  });

  it('keeps the newest historyLimit trades per symbol, served with their ids and text as traded', () => {
    const clock = manualClock(1_700_000_000_000);
    const m = new SimMarket({ symbols: ['BTCUSDT'], pairs: [], seed: 9, clock, tradesPerSecond: 50, bursts: false, historyLimit: 1_000 });
    const made: ReturnType<SimMarket["step"]> = [];
    for (let i = 0; i < 100; i++) {
      clock.advance(1000);
      made.push(...m.step());
    }
    expect(made.length).toBeGreaterThan(3_000);
    const kept = made.slice(-1_000);
    expect(m.latest('BTCUSDT', 5_000)).toEqual(kept);
    expect(m.fromId('BTCUSDT', kept[500].aggId, 10)).toEqual(kept.slice(500, 510));
    // Ids older than the ring start from its oldest trade, as Binance's fromId does for pruned history.
    expect(m.fromId('BTCUSDT', made[0].aggId, 3)).toEqual(kept.slice(0, 3));
    expect(m.byTime('BTCUSDT', kept[10].time, kept[10].time, 1_000).every((t) => t.time === kept[10].time)).toBe(true);
    expect(m.nextAggId('BTCUSDT')).toBe(made[made.length - 1].aggId + 1);
  });

  it('alternates bursts and quiet periods', () => {
    const clock = manualClock(1_700_000_000_000);
    const m = new SimMarket({ symbols: ['BTCUSDT'], pairs: [], seed: 5, clock, tradesPerSecond: 20, bursts: true, historyLimit: 1_000_000 });
    const per10s: number[] = [];
    for (let w = 0; w < 1_080; w++) {
      let n = 0;
      for (let s = 0; s < 10; s++) { clock.advance(1000); n += m.step().length; }
      per10s.push(n);
    }
    const median = [...per10s].sort((a, b) => a - b)[540];
    // Normal periods trade about 200 per 10 s; bursts five times that, quiet periods a tenth.
    expect(median).toBeGreaterThan(150);
    expect(median).toBeLessThan(250);
    expect(per10s.filter((n) => n > 600).length).toBeGreaterThan(10);
    expect(per10s.filter((n) => n < 60).length).toBeGreaterThan(10);
  });
});

describe('simulated exchange protocol', () => {
  let ex: SimulatedExchange | undefined;
  afterEach(async () => { await ex?.close(); ex = undefined; });

  it('answers REST like Binance: weights in X-MBX-USED-WEIGHT-1M and the documented errors', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT'], tradesPerSecond: 200, bursts: false });
    await sleep(300);
    const get = async (q: string) => {
      const r = await fetch(`${ex!.restUrl}${q}`);
      return { status: r.status, weight: Number(r.headers.get('x-mbx-used-weight-1m')), body: (await r.json()) as Record<string, unknown> & unknown[] };
    };
    const info = await get('/fapi/v1/exchangeInfo');
    expect(info.weight).toBe(1);
    expect(info.body).toMatchObject({ rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', limit: 2400 }], symbols: [{ symbol: 'BTCUSDT', status: 'TRADING', contractType: 'PERPETUAL' }] });
    const first = ex.market.nextAggId('BTCUSDT') - 20;
    const page = await get(`/fapi/v1/aggTrades?symbol=BTCUSDT&fromId=${first}&limit=5`);
    expect(page.weight).toBe(21);
    expect(page.body.map((r) => (r as { a: number }).a)).toEqual([0, 1, 2, 3, 4].map((i) => first + i));
    expect(Object.keys(page.body[0] as object)).toEqual(['a', 'p', 'q', 'f', 'l', 'T', 'm']);
    expect((await get('/fapi/v1/aggTrades?symbol=BTCUSDT&fromId=1&startTime=1')).body).toMatchObject({ code: -1128 });
    expect((await get('/fapi/v1/aggTrades?symbol=BTCUSDT&startTime=0&endTime=3600000')).body).toMatchObject({ code: -1127 });
    expect((await get('/fapi/v1/aggTrades?symbol=FOOUSDT')).body).toMatchObject({ code: -1121 });
    expect((await get('/fapi/v1/aggTrades?symbol=BTCUSDT&limit=1001')).body).toMatchObject({ code: -1130 });
    expect((await get('/fapi/v1/time')).body.serverTime).toBeGreaterThan(1_700_000_000_000);
  });

  it('serves raw frames on /market/ws/<stream>, control methods, and error frames', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT'], tradesPerSecond: 300, bursts: false });
    const ws = new WebSocket(`${ex.wsUrl}/market/ws/btcusdt@aggTrade`);
    const got: string[] = [];
    ws.on('message', (d) => got.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    await sleep(400);
    const raw = got.filter((f) => f.startsWith('{"e":"aggTrade"'));
    expect(raw.length).toBeGreaterThan(10);
    expect(raw.every((f) => f.includes('"s":"BTCUSDT"'))).toBe(true);
    got.length = 0;
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade'], id: 1 }));
    ws.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 2 }));
    ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }));
    ws.send(JSON.stringify({ method: 'NOPE', id: 4 }));
    await sleep(300);
    const control = got.filter((f) => !f.startsWith('{"e"'));
    expect(control).toEqual([
      '{"result":null,"id":1}', '{"result":null,"id":2}', '{"result":["ethusdt@aggTrade"],"id":3}',
      '{"code":2,"msg":"Invalid request: unknown variant NOPE, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS","id":4}',
    ]);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('not json');
    expect(await closed).toBe(1008);
    expect(got.some((f) => f.startsWith('{"error":{"code":3'))).toBe(true);
  });

  it('disconnects a client sending more than 10 messages a second', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT'] });
    const ws = new WebSocket(`${ex.wsUrl}/market/stream`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    for (let i = 0; i < 12; i++) ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: i }));
    expect(await closed).toBe(1008);
  });

  it('pairs-lab simulate serves until SIGTERM and prints its URLs', async () => {
    const cli = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
    expect(existsSync(cli), 'run npm run build first').toBe(true);
    const child = spawn(process.execPath, [cli, 'simulate', '--port', '0', '--symbols', 'BTCUSDT,ETHUSDT', '--rate', '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out.split('\n')[0]); });
    });
    const info = JSON.parse(line) as { simulated: boolean; port: number; wsUrl: string; restUrl: string };
    expect(info).toMatchObject({ simulated: true, wsUrl: `ws://127.0.0.1:${info.port}` });
    const symbols = ((await (await fetch(`${info.restUrl}/fapi/v1/exchangeInfo`)).json()) as { symbols: { symbol: string }[] }).symbols.map((s) => s.symbol);
    expect(symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);
});
