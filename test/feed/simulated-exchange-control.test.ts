// The simulated exchange's control requests (Binance's market-stream protocol): ids, SUBSCRIBE / UNSUBSCRIBE /
// LIST_SUBSCRIPTIONS, the combined property, refused requests, and concurrent connections.
import { afterEach, describe, expect, it } from 'vitest';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { manualClock } from './helpers';
import { Peer, isData } from './ws-peer';

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
