// Stream names, their routes, and the --streams option.
import { describe, expect, it } from 'vitest';
import { parseStreamKinds, streamKindOf, streamName, streamRoute } from '../../src/feed/streams';

describe('streams', () => {
  it('names each kind as Binance does and routes it (/market: aggTrade, markPrice; /public: bookTicker)', () => {
    expect(['aggTrade', 'markPrice', 'bookTicker'].map((k) => streamName(k as 'aggTrade', 'BTCUSDT'))).toEqual(['btcusdt@aggTrade', 'btcusdt@markPrice@1s', 'btcusdt@bookTicker']);
    expect(['btcusdt@aggTrade', 'btcusdt@markPrice@1s', 'btcusdt@bookTicker', 'btcusdt@depth'].map(streamRoute)).toEqual(['market', 'market', 'public', null]);
    expect(streamKindOf('ethusdt@markPrice@1s')).toBe('markPrice');
  });

  it('parses --streams in canonical order, requires aggTrade and names unknown kinds', () => {
    expect(parseStreamKinds('bookTicker, aggTrade')).toEqual(['aggTrade', 'bookTicker']);
    expect(parseStreamKinds('aggTrade')).toEqual(['aggTrade']);
    expect(() => parseStreamKinds('markPrice')).toThrow(/must include aggTrade/);
    expect(() => parseStreamKinds('aggTrade,depth')).toThrow(/unknown stream depth/);
  });
});
