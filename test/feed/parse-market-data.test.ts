// bookTicker and markPrice@1s payloads: exact fields, and every malformed frame kind on those streams gets its reason.
import { describe, expect, it } from 'vitest';
import { parseFrame } from '../../src/feed/parse';
import { malformedFrame, malformedKinds, malformedReason } from '../../src/feed/sim/malformed';

const wrap = (stream: string, data: Record<string, unknown>): string => JSON.stringify({ stream, data });
const book = { e: 'bookTicker', u: 400_900_217, E: 1_568_014_460_893, T: 1_568_014_460_891, s: 'BNBUSDT', b: '25.35190000', B: '31.21000000', a: '25.36520000', A: '40.66000000' };
const mark = { e: 'markPriceUpdate', E: 1_562_305_380_000, s: 'BTCUSDT', p: '11794.15000000', i: '11784.62659091', P: '11784.25641265', r: '-0.00038167', T: 1_562_306_400_000 };

describe('bookTicker payloads', () => {
  it('reads u, E, T, s, b, B, a, A as numbers, combined or raw', () => {
    const expected = { symbol: 'BNBUSDT', updateId: 400_900_217, eventTime: 1_568_014_460_893, txTime: 1_568_014_460_891, bid: 25.3519, bidQty: 31.21, ask: 25.3652, askQty: 40.66, recvTime: 7 };
    expect(parseFrame(wrap('bnbusdt@bookTicker', book), false, 7)).toEqual({ kind: 'quote', quote: expected });
    expect(parseFrame(JSON.stringify(book), false, 7)).toEqual({ kind: 'quote', quote: expected });
  });

  it('refuses missing fields, numbers sent as strings, text prices and a crossed book', () => {
    const { u: _u, ...noU } = book;
    expect(parseFrame(wrap('bnbusdt@bookTicker', noU), false, 0)).toMatchObject({ kind: 'bad', reason: 'missing_field' });
    expect(parseFrame(wrap('bnbusdt@bookTicker', { ...book, u: '1' }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
    expect(parseFrame(wrap('bnbusdt@bookTicker', { ...book, b: 25.3 }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
    expect(parseFrame(wrap('bnbusdt@bookTicker', { ...book, A: '-1' }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
    expect(parseFrame(wrap('bnbusdt@bookTicker', { ...book, a: '25.30' }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
  });
});

describe('markPrice@1s payloads', () => {
  it('reads E, s, p, i, P, r (signed), T', () => {
    expect(parseFrame(wrap('btcusdt@markPrice@1s', mark), false, 9)).toEqual({
      kind: 'mark',
      mark: { symbol: 'BTCUSDT', eventTime: 1_562_305_380_000, markPrice: 11794.15, indexPrice: 11784.62659091, estimatedSettlePrice: 11784.25641265, fundingRate: -0.00038167, nextFundingTime: 1_562_306_400_000, recvTime: 9 },
    });
  });

  it('refuses a missing funding rate, an empty one and a negative mark price', () => {
    const { r: _r, ...noR } = mark;
    expect(parseFrame(wrap('btcusdt@markPrice@1s', noR), false, 0)).toMatchObject({ kind: 'bad', reason: 'missing_field' });
    expect(parseFrame(wrap('btcusdt@markPrice@1s', { ...mark, r: '' }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
    expect(parseFrame(wrap('btcusdt@markPrice@1s', { ...mark, p: '-1.0' }), false, 0)).toMatchObject({ kind: 'bad', reason: 'wrong_type' });
  });
});

describe('malformed frames on the new streams', () => {
  for (const stream of ['btcusdt@bookTicker', 'btcusdt@markPrice@1s']) {
    it(`names the reason of every kind on ${stream}`, () => {
      const streams = new Set([stream]);
      for (const kind of malformedKinds) {
        const r = parseFrame(malformedFrame(kind, stream, 'BTCUSDT', 1), kind === 'binary', 0, { streams });
        expect({ kind, reason: r.kind === 'bad' ? r.reason : r.kind }).toEqual({ kind, reason: malformedReason[kind] });
      }
    });
  }
});

describe('GET /fapi/v1/fundingRate rows', () => {
  it('reads symbol, fundingTime, a signed fundingRate and markPrice ("" as NaN), and refuses the rest', async () => {
    const { parseFundingRow } = await import('../../src/feed/parse-funding');
    expect(parseFundingRow({ symbol: 'BTCUSDT', fundingRate: '-0.03750000', fundingTime: 1_570_608_000_000, markPrice: '34287.54619963' }, 5)).toEqual({
      kind: 'funding', funding: { symbol: 'BTCUSDT', fundingTime: 1_570_608_000_000, fundingRate: -0.0375, markPrice: 34287.54619963, recvTime: 5 },
    });
    const old = parseFundingRow({ symbol: 'BTCUSDT', fundingRate: '0.00010000', fundingTime: 1_570_608_000_000, markPrice: '' }, 0);
    expect(old.kind === 'funding' && Number.isNaN(old.funding.markPrice)).toBe(true);
    expect(parseFundingRow({ symbol: 'BTCUSDT', fundingRate: 0.0001, fundingTime: 1 }, 0).kind).toBe('bad');
    expect(parseFundingRow({ symbol: 'BTCUSDT', fundingRate: '0.0001', fundingTime: '1' }, 0).kind).toBe('bad');
  });
});
