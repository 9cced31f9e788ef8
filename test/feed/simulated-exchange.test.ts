// The simulated exchange's REST and WebSocket endpoints: Binance's REST errors and weights, the raw /market/ws path,
// the message-rate limit, and the `pairs-lab simulate` command.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { sleep, waitFor } from './helpers';

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
    const raw = (): string[] => got.filter((f) => f.startsWith('{"e":"aggTrade"'));
    await waitFor(() => raw().length > 10, 10_000, 'eleven raw frames');
    expect(raw().every((f) => f.includes('"s":"BTCUSDT"'))).toBe(true);
    got.length = 0;
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade'], id: 1 }));
    ws.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 2 }));
    ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }));
    ws.send(JSON.stringify({ method: 'NOPE', id: 4 }));
    ws.send(JSON.stringify({ params: [], id: 5 }));
    const control = (): string[] => got.filter((f) => !f.startsWith('{"e"'));
    await waitFor(() => control().length >= 5, 5_000, 'five control replies');
    expect(control()).toEqual([
      '{"result":null,"id":1}', '{"result":null,"id":2}', '{"result":["ethusdt@aggTrade"],"id":3}',
      '{"code":2,"msg":"Invalid request: unknown variant `NOPE`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 16","id":4}',
      '{"code":2,"msg":"Invalid request: missing field `method` at line 1 column 20","id":5}',
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
