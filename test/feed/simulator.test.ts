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
import { sleep, waitFor } from './helpers';

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

const isData = (f: string): boolean => f.startsWith('{"e":') || f.startsWith('{"stream":');

/** One client connection: every text frame it was sent, and waits (bounded) for the frame a request or a state brings. */
class Peer {
  readonly frames: string[] = [];
  private readonly listeners = new Set<() => void>();
  private closeCode: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => { this.frames.push(d.toString()); this.notify(); });
    ws.on('close', (code) => { this.closeCode = code; this.notify(); });
  }

  static async open(url: string): Promise<Peer> {
    const ws = new WebSocket(url);
    const peer = new Peer(ws);
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    return peer;
  }

  get open(): boolean {
    return this.closeCode === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  /** Index of the first frame at or after `from` that `pred` accepts, once there is one. */
  async waitFrame(pred: (f: string) => boolean, what: string, from = 0, timeoutMs = 10_000): Promise<number> {
    const find = (): number => this.frames.findIndex((f, i) => i >= from && pred(f));
    if (find() >= 0) return find();
    return new Promise<number>((resolve, reject) => {
      const check = (): void => {
        const i = find();
        if (i < 0 && this.closeCode === undefined) return;
        done();
        if (i >= 0) resolve(i);
        else reject(new Error(`connection closed (${String(this.closeCode)}) while waiting for ${what}`));
      };
      const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
      const done = (): void => { clearTimeout(timer); this.listeners.delete(check); };
      this.listeners.add(check);
    });
  }

  /** Sends a request (an object, or raw text) and returns its reply: the first non-data frame after it. */
  async request(req: object | string): Promise<{ reply: string; index: number }> {
    const from = this.frames.length;
    this.ws.send(typeof req === 'string' ? req : JSON.stringify(req));
    const index = await this.waitFrame((f) => !isData(f), `the reply to ${typeof req === 'string' ? req : JSON.stringify(req)}`, from);
    return { reply: this.frames[index], index };
  }

  /** Waits until `n` data frames matching `pred` have arrived after `from`; returns the index of the last. */
  async waitData(pred: (f: string) => boolean, n: number, what: string, from = 0): Promise<number> {
    let at = from - 1;
    for (let k = 0; k < n; k++) at = await this.waitFrame((f) => isData(f) && pred(f), `${what} (${k + 1} of ${n})`, at + 1);
    return at;
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

const badId = '{"code":2,"msg":"Invalid request: request ID must be an unsigned integer, an alphanumeric string of up to 36 characters, or null","id":null}';

describe('simulated exchange control requests (Binance market-stream protocol)', () => {
  let ex: SimulatedExchange | undefined;
  const peers: Peer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await ex?.close();
    ex = undefined;
  });
  const open = async (p: string): Promise<Peer> => {
    const peer = await Peer.open(`${ex!.wsUrl}${p}`);
    peers.push(peer);
    return peer;
  };
  // The exchange's clock moves 200 ms per request so that the 10 messages/s limit never closes these connections.
  const startPaced = async (): Promise<(peer: Peer, req: object | string) => Promise<{ reply: string; index: number }>> => {
    const clock = manualClock(1_700_000_000_000);
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT'], clock, tradesPerSecond: 1 });
    return (peer, req) => { clock.advance(200); return peer.request(req); };
  };

  it('echoes an integer, string or null id in the JSON type it came in', async () => {
    const paced = await startPaced();
    const peer = await open('/market/ws');
    const cases: [string, string][] = [
      ['{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":7}', '{"result":null,"id":7}'],
      ['{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":"abc"}', '{"result":null,"id":"abc"}'],
      ['{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":null}', '{"result":null,"id":null}'],
      ['{"method":"LIST_SUBSCRIPTIONS","id":0}', '{"result":["btcusdt@aggTrade"],"id":0}'],
      // 2^64 − 1 does not survive a JSON.parse round trip; Binance's ids are unsigned 64-bit.
      ['{"method":"LIST_SUBSCRIPTIONS","id":18446744073709551615}', '{"result":["btcusdt@aggTrade"],"id":18446744073709551615}'],
      [`{"method":"LIST_SUBSCRIPTIONS","id":"${'Az09'.repeat(9)}"}`, `{"result":["btcusdt@aggTrade"],"id":"${'Az09'.repeat(9)}"}`],
      ['{"method":"UNSUBSCRIBE","params":["btcusdt@aggTrade"],"id":"1"}', '{"result":null,"id":"1"}'],
      ['{ "id" : "x9" ,\n "method" : "LIST_SUBSCRIPTIONS" }', '{"result":[],"id":"x9"}'],
      // The JSON text of a string id is not echoed as sent: its value is.
      ['{"method":"LIST_SUBSCRIPTIONS","id":"\\u0041b"}', '{"result":[],"id":"Ab"}'],
    ];
    for (const [req, want] of cases) expect((await paced(peer, req)).reply, req).toBe(want);
  });

  it('answers a request without an id as one whose id is null', async () => {
    const paced = await startPaced();
    const peer = await open('/market/ws');
    const variants = '`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`';
    const cases: [string, string][] = [
      ['{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"]}', '{"result":null,"id":null}'],
      ['{"method":"LIST_SUBSCRIPTIONS"}', '{"result":["btcusdt@aggTrade"],"id":null}'],
      ['{"method":"SET_PROPERTY","params":["combined",true]}', '{"result":null,"id":null}'],
      ['{"method":"GET_PROPERTY","params":["combined"]}', '{"result":true,"id":null}'],
      ['{"method":"SET_PROPERTY","params":["combined","yes"]}', '{"code":1,"msg":"Invalid value type: expected Boolean","id":null}'],
      ['{"method":"NOPE"}', `{"code":2,"msg":"Invalid request: unknown variant \`NOPE\`, expected one of ${variants} at line 1 column 16","id":null}`],
      ['{"params":[]}', '{"code":2,"msg":"Invalid request: missing field `method` at line 1 column 13","id":null}'],
      ['{"method":"UNSUBSCRIBE","params":["btcusdt@aggTrade"]}', '{"result":null,"id":null}'],
      ['{"method":"LIST_SUBSCRIPTIONS"}', '{"result":[],"id":null}'],
    ];
    for (const [req, want] of cases) expect((await paced(peer, req)).reply, req).toBe(want);
  });

  it('refuses every other id with the exact frame and keeps the connection usable', async () => {
    const paced = await startPaced();
    const peer = await open('/market/stream');
    const ids = [
      '-1', '-0', '1.5', '1.0', '1e3', '18446744073709551616', '123456789012345678901234567890',
      '"ab-c"', '"a b"', '"a_b"', '"abc\\n"', `"${'a'.repeat(37)}"`, '""', '"é"',
      '{}', '{"id":1}', '[]', '[1]', 'true', 'false',
    ];
    const methodsWithBadId = (id: string): string[] => [
      `{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":${id}}`,
      `{"id":${id},"method":"UNSUBSCRIBE","params":["btcusdt@aggTrade"]}`,
      `{"method":"LIST_SUBSCRIPTIONS","id":${id}}`,
      `{"method":"SET_PROPERTY","params":["combined",false],"id":${id}}`,
      `{"method":"GET_PROPERTY","params":["combined"],"id":${id}}`,
    ];
    let n = 0;
    for (const id of ids) {
      for (const req of methodsWithBadId(id)) {
        expect((await paced(peer, req)).reply, req).toBe(badId);
        // The connection still answers, and the refused request changed nothing.
        n++;
        expect((await paced(peer, { method: 'LIST_SUBSCRIPTIONS', id: n })).reply, `after ${req}`).toBe(`{"result":[],"id":${n}}`);
      }
    }
    expect(peer.open).toBe(true);
    expect((await paced(peer, { method: 'GET_PROPERTY', params: ['combined'], id: 'still' })).reply).toBe('{"result":true,"id":"still"}');
    // None of the refused requests subscribed anything.
    expect((await paced(peer, { method: 'LIST_SUBSCRIPTIONS', id: 1 })).reply).toBe('{"result":[],"id":1}');
    expect((await paced(peer, { method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 'ok' })).reply).toBe('{"result":null,"id":"ok"}');
    expect((await paced(peer, { method: 'LIST_SUBSCRIPTIONS', id: 2 })).reply).toBe('{"result":["btcusdt@aggTrade"],"id":2}');
  });

  it('lists the current streams after SUBSCRIBE and UNSUBSCRIBE', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], tradesPerSecond: 50 });
    const peer = await open('/market/stream?streams=btcusdt@aggTrade');
    const list = async (id: number): Promise<unknown> => JSON.parse((await peer.request({ method: 'LIST_SUBSCRIPTIONS', id })).reply);
    expect(await list(1)).toEqual({ result: ['btcusdt@aggTrade'], id: 1 });
    expect((await peer.request({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade', 'solusdt@aggTrade'], id: 2 })).reply).toBe('{"result":null,"id":2}');
    expect(await list(3)).toEqual({ result: ['btcusdt@aggTrade', 'ethusdt@aggTrade', 'solusdt@aggTrade'], id: 3 });
    expect((await peer.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade', 'solusdt@aggTrade'], id: 4 })).reply).toBe('{"result":null,"id":4}');
    expect((await peer.request({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade'], id: 5 })).reply).toBe('{"result":null,"id":5}');
    expect(await list(6)).toEqual({ result: ['ethusdt@aggTrade'], id: 6 });
    expect((await peer.request({ method: 'LIST_SUBSCRIPTIONS', params: ['x'], id: 7 })).reply).toBe('{"code":2,"msg":"Invalid request: too many parameters","id":7}');
  });

  it('stops a stream\'s data at the UNSUBSCRIBE reply and keeps the others flowing', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT'], tradesPerSecond: 400, bursts: false });
    const peer = await open('/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade');
    const btc = (f: string): boolean => f.includes('"stream":"btcusdt@aggTrade"');
    const eth = (f: string): boolean => f.includes('"stream":"ethusdt@aggTrade"');
    await peer.waitData(btc, 5, 'BTC data');
    await peer.waitData(eth, 5, 'ETH data');
    const { reply, index } = await peer.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 'u1' });
    expect(reply).toBe('{"result":null,"id":"u1"}');
    const last = await peer.waitData(eth, 50, 'ETH data after the UNSUBSCRIBE', index + 1);
    expect(peer.frames.slice(index + 1, last + 1).filter(btc)).toEqual([]);
  });

  it('sets and gets the combined property, which switches the {stream, data} wrapper', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT'], tradesPerSecond: 300, bursts: false });
    const peer = await open('/market/ws/btcusdt@aggTrade');
    const raw = (f: string): boolean => f.startsWith('{"e":"aggTrade"');
    const wrapped = (f: string): boolean => f.startsWith('{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade"');
    expect((await peer.request({ method: 'GET_PROPERTY', params: ['combined'], id: 1 })).reply).toBe('{"result":false,"id":1}');
    await peer.waitData(raw, 3, 'raw frames');
    const on = await peer.request({ method: 'SET_PROPERTY', params: ['combined', true], id: 2 });
    expect(on.reply).toBe('{"result":null,"id":2}');
    const lastWrapped = await peer.waitData(wrapped, 10, 'wrapped frames', on.index + 1);
    expect(peer.frames.slice(on.index + 1, lastWrapped + 1).filter(raw)).toEqual([]);
    expect((await peer.request({ method: 'GET_PROPERTY', params: ['combined'], id: 3 })).reply).toBe('{"result":true,"id":3}');
    const off = await peer.request({ method: 'SET_PROPERTY', params: ['combined', false], id: 'off' });
    expect(off.reply).toBe('{"result":null,"id":"off"}');
    const lastRaw = await peer.waitData(raw, 10, 'raw frames again', off.index + 1);
    expect(peer.frames.slice(off.index + 1, lastRaw + 1).filter(wrapped)).toEqual([]);
    // /stream connections start combined.
    const combinedPeer = await open('/market/stream');
    expect((await combinedPeer.request({ method: 'GET_PROPERTY', params: ['combined'], id: null })).reply).toBe('{"result":true,"id":null}');
  });

  it('refuses a bad property request with Binance\'s frames', async () => {
    const paced = await startPaced();
    const peer = await open('/market/stream');
    const cases: [object, string][] = [
      [{ method: 'SET_PROPERTY', params: ['combined', 'true'], id: 1 }, '{"code":1,"msg":"Invalid value type: expected Boolean","id":1}'],
      [{ method: 'SET_PROPERTY', params: ['combined', 1], id: 2 }, '{"code":1,"msg":"Invalid value type: expected Boolean","id":2}'],
      [{ method: 'SET_PROPERTY', params: ['combined'], id: 3 }, '{"code":1,"msg":"Invalid value type: expected Boolean","id":3}'],
      [{ method: 'SET_PROPERTY', params: [5, true], id: 4 }, '{"code":2,"msg":"Invalid request: property name must be a string","id":4}'],
      [{ method: 'GET_PROPERTY', params: [], id: 5 }, '{"code":2,"msg":"Invalid request: property name must be a string","id":5}'],
      [{ method: 'SET_PROPERTY', params: ['nope', true], id: 6 }, '{"code":0,"msg":"Unknown property","id":6}'],
      [{ method: 'GET_PROPERTY', params: ['nope'], id: 'g7' }, '{"code":0,"msg":"Unknown property","id":"g7"}'],
      [{ method: 'SET_PROPERTY', params: ['combined', false, 1], id: 8 }, '{"code":2,"msg":"Invalid request: too many parameters","id":8}'],
      [{ method: 'GET_PROPERTY', params: ['combined', 'x'], id: 9 }, '{"code":2,"msg":"Invalid request: too many parameters","id":9}'],
    ];
    for (const [req, want] of cases) expect((await paced(peer, req)).reply, JSON.stringify(req)).toBe(want);
    // Nothing above changed the property.
    expect((await paced(peer, { method: 'GET_PROPERTY', params: ['combined'], id: 10 })).reply).toBe('{"result":true,"id":10}');
  });

  it('refuses a request that is not a well-formed control object, and closes on invalid JSON', async () => {
    const paced = await startPaced();
    const peer = await open('/market/stream');
    const variants = '`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`';
    const cases: [string, string][] = [
      ['{"method":"subscribe","id":1}', `{"code":2,"msg":"Invalid request: unknown variant \`subscribe\`, expected one of ${variants} at line 1 column 21","id":1}`],
      ['{"id":"q","method":5}', `{"code":2,"msg":"Invalid request: unknown variant \`5\`, expected one of ${variants} at line 1 column 20","id":"q"}`],
      ['{"method":"SUBSCRIBE","params":"btcusdt@aggTrade","id":2}', '{"code":2,"msg":"Invalid request: params must be an array","id":2}'],
      ['[1]', '{"code":2,"msg":"Invalid request: a request must be a JSON object","id":null}'],
      ['"SUBSCRIBE"', '{"code":2,"msg":"Invalid request: a request must be a JSON object","id":null}'],
      // A bad id before an unknown method is the error reported (source order).
      ['{"id":-1,"method":"NOPE"}', badId],
    ];
    for (const [req, want] of cases) expect((await paced(peer, req)).reply, req).toBe(want);
    expect(peer.open).toBe(true);
    const { reply } = await paced(peer, '{"method":');
    expect(reply).toBe('{"error":{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}}');
    await expect(peer.waitFrame(() => false, 'the close')).rejects.toThrow(/connection closed \(1008\)/);
  });

  it('keeps each of several concurrent /market, /public and /private connections to its own subscriptions', async () => {
    ex = await startSimulatedExchange({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'], tradesPerSecond: 400, bursts: false });
    const wanted: Record<string, string[]> = {
      '/market/stream': ['btcusdt@aggTrade'],
      '/market/ws': ['ethusdt@aggTrade', 'solusdt@aggTrade'],
      '/public/stream': ['bnbusdt@aggTrade'],
      '/public/ws': ['btcusdt@aggTrade'],
      '/private/stream': ['ethusdt@aggTrade'],
      '/private/ws': ['solusdt@aggTrade'],
    };
    const paths = Object.keys(wanted);
    // Two connections to each path, opened together.
    const conns = await Promise.all([...paths, ...paths].map(async (p) => ({ path: p, peer: await open(p) })));
    await Promise.all(conns.map(async ({ path: p, peer }, i) => {
      expect((await peer.request({ method: 'SUBSCRIBE', params: wanted[p], id: `c${i}` })).reply).toBe(`{"result":null,"id":"c${i}"}`);
      expect(JSON.parse((await peer.request({ method: 'LIST_SUBSCRIPTIONS', id: i })).reply)).toEqual({ result: wanted[p], id: i });
    }));
    const symbolOf = (f: string): string => /"s":"([A-Z]+)"/.exec(f)?.[1] ?? '';
    const streamsOf = (p: string): Set<string> => new Set(wanted[p].map((s) => s.split('@')[0].toUpperCase()));
    // Each /market connection gets data of its own streams only, in its own mode.
    const market = conns.filter((c) => c.path.startsWith('/market'));
    await Promise.all(market.map(async ({ path: p, peer }) => {
      for (const sym of streamsOf(p)) await peer.waitData((f) => symbolOf(f) === sym, 5, `${sym} on ${p}`);
      const data = peer.frames.filter(isData);
      expect(new Set(data.map(symbolOf))).toEqual(streamsOf(p));
      expect(data.every((f) => f.startsWith(p.endsWith('/stream') ? '{"stream":' : '{"e":'))).toBe(true);
    }));
    // aggTrade belongs to /market: /public and /private acknowledge it and stay silent, as Binance does.
    for (const { peer } of conns.filter((c) => !c.path.startsWith('/market'))) expect(peer.frames.filter(isData)).toEqual([]);
    const open12 = ex.stats().openConnections;
    expect(open12.map((c) => c.path).sort()).toEqual([...paths, ...paths].sort());
    for (const c of open12) expect(c.subscriptions).toEqual(wanted[c.path]);
    // UNSUBSCRIBE on one connection leaves its twin on the same path, and every other connection, as they were.
    const [first, twin] = conns.filter((c) => c.path === '/market/stream');
    const gone = await first.peer.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 'u' });
    expect(gone.reply).toBe('{"result":null,"id":"u"}');
    expect((await first.peer.request({ method: 'LIST_SUBSCRIPTIONS', id: 'l' })).reply).toBe('{"result":[],"id":"l"}');
    const twinFrom = twin.peer.frames.length;
    const twinLast = await twin.peer.waitData((f) => symbolOf(f) === 'BTCUSDT', 20, 'BTCUSDT on the twin after the UNSUBSCRIBE', twinFrom);
    // The twin got 20 BTCUSDT trades after the first connection's UNSUBSCRIBE reply; the first got none.
    expect(twin.peer.frames.slice(twinFrom, twinLast + 1).filter((f) => symbolOf(f) === 'BTCUSDT')).toHaveLength(20);
    expect(first.peer.frames.slice(gone.index + 1).filter(isData)).toEqual([]);
    await Promise.all(conns.filter((c) => c !== first).map(async ({ path: p, peer }, i) => {
      expect(JSON.parse((await peer.request({ method: 'LIST_SUBSCRIPTIONS', id: 100 + i })).reply)).toEqual({ result: wanted[p], id: 100 + i });
    }));
  });
});
