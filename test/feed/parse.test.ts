import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/feed/backoff';
import { parseFrame } from '../../src/feed/parse';
import { malformedFrame, malformedKinds, malformedReason } from '../../src/feed/sim/malformed';

const frame = (data: Record<string, unknown>, stream = 'btcusdt@aggTrade'): string => JSON.stringify({ stream, data });
const trade = { e: 'aggTrade', E: 1_700_000_000_123, s: 'BTCUSDT', a: 5_933_014, p: '64000.10', q: '0.00000001', f: 100, l: 105, T: 1_700_000_000_120, m: true };

describe('parseFrame', () => {
  it('keeps the exchange text of price and quantity beside exact numbers', () => {
    const r = parseFrame(frame(trade), false, 42);
    expect(r.kind).toBe('trade');
    if (r.kind !== 'trade') return;
    expect(r.trade).toEqual({
      symbol: 'BTCUSDT', aggId: 5_933_014, priceText: '64000.10', qtyText: '0.00000001', price: 64000.1, qty: 1e-8,
      firstTradeId: 100, lastTradeId: 105, tradeTime: 1_700_000_000_120, eventTime: 1_700_000_000_123, isBuyerMaker: true, recvTime: 42,
    });
    expect(Number(r.trade.qtyText)).toBe(r.trade.qty);
  });

  it('takes ids up to 2^53-1 and refuses larger ones that JSON would round', () => {
    const max = parseFrame(frame({ ...trade, a: 9_007_199_254_740_991 }), false, 0);
    expect(max.kind === 'trade' && max.trade.aggId).toBe(9_007_199_254_740_991);
    const over = parseFrame(frame(trade).replace('"a":5933014', '"a":9007199254740993'), false, 0);
    expect(over).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
  });

  it('accepts raw (/ws) payloads and control replies', () => {
    expect(parseFrame(JSON.stringify(trade), false, 0).kind).toBe('trade');
    expect(parseFrame('{"result":null,"id":7}', false, 0)).toEqual({ kind: 'control', id: 7, result: null });
    expect(parseFrame('{"result":["btcusdt@aggTrade"],"id":3}', false, 0)).toEqual({ kind: 'control', id: 3, result: ['btcusdt@aggTrade'] });
    expect(parseFrame('{"result":null,"id":"abc"}', false, 0)).toEqual({ kind: 'control', id: 'abc', result: null });
    expect(parseFrame('{"result":true,"id":null}', false, 0)).toEqual({ kind: 'control', id: null, result: true });
    expect(parseFrame('{"result":null,"id":{}}', false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
  });

  it('names the reason of every malformed frame kind the simulator can send', () => {
    const streams = new Set(['btcusdt@aggTrade']);
    for (const kind of malformedKinds) {
      const f = malformedFrame(kind, 'btcusdt@aggTrade', 'BTCUSDT', 1);
      const r = parseFrame(Buffer.isBuffer(f) ? f : Buffer.from(f), Buffer.isBuffer(f), 0, { streams });
      expect({ kind, reason: r.kind === 'bad' ? r.reason : r.kind }).toEqual({ kind, reason: malformedReason[kind] });
    }
    expect(malformedKinds.length).toBe(12);
  });

  it('reads both error frame shapes with code and message', () => {
    expect(parseFrame('{"error":{"code":3,"msg":"Invalid JSON"}}', false, 0)).toEqual({ kind: 'bad', reason: 'error_frame', detail: 'code 3: Invalid JSON' });
    expect(parseFrame('{"code":2,"msg":"Invalid request"}', false, 0)).toEqual({ kind: 'bad', reason: 'error_frame', detail: 'code 2: Invalid request' });
  });

  it('refuses mistyped fields', () => {
    for (const bad of [{ m: 'true' }, { T: '1' }, { q: '-1' }, { p: '1e5' }, { p: 64000.1 }, { s: 5 }]) {
      expect(parseFrame(frame({ ...trade, ...bad }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
    }
    expect(parseFrame(frame({ ...trade, p: undefined }), false, 0)).toMatchObject({ kind: 'bad', reason: 'missing_field' });
    expect(parseFrame('[1,2]', false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
  });
});

describe('Backoff', () => {
  it('doubles from about 1 s to a 30 s cap with ±20 % jitter, and resets', () => {
    let u = 0;
    const b = new Backoff({ initialMs: 1_000, maxMs: 30_000, jitter: 0.2 }, () => u);
    const low = Array.from({ length: 8 }, () => b.next());
    expect(low).toEqual([800, 1_600, 3_200, 6_400, 12_800, 24_000, 24_000, 24_000]);
    b.reset();
    u = 0.999999;
    const high = Array.from({ length: 7 }, () => Math.round(b.next()));
    expect(high).toEqual([1_200, 2_400, 4_800, 9_600, 19_200, 36_000, 36_000]);
  });
});
