import { describe, expect, it } from 'vitest';
import { GapTracker } from '../../src/stream/gap-tracker';
import { batchMessageId, decodeTickBatch, encodeTickBatch, toBatches } from '../../src/stream/tick-codec';
import type { Tick } from '../../src/store/types';

const tick = (symbol: string, aggId: number, tradeTime: number): Tick => ({
  symbol, aggId, tradeTime, price: 97_123.4 + aggId / 10, qty: 0.001 * aggId, isBuyerMaker: aggId % 2 === 0, recvTime: tradeTime + 37,
});

describe('tick batch encoding', () => {
  it('round-trips ticks exactly, with ids above 2^32 and trade times going backwards', () => {
    const ticks = [tick('BTCUSDT', 2 ** 40 + 1, 1_765_000_000_000), tick('BTCUSDT', 2 ** 40 + 2, 1_764_999_999_990), tick('BTCUSDT', 2 ** 40 + 900, 1_765_000_000_500)];
    const bytes = encodeTickBatch({ symbol: 'BTCUSDT', ticks });
    expect(decodeTickBatch(bytes)).toEqual({ symbol: 'BTCUSDT', ticks });
    expect(bytes.length).toBeLessThan(40 + ticks.length * 30);
  });

  it('splits by symbol, sorts by id and drops repeated ids; ids name the range', () => {
    const batches = toBatches([tick('ETHUSDT', 5, 1), tick('BTCUSDT', 9, 1), tick('ETHUSDT', 3, 1), tick('ETHUSDT', 5, 1)]);
    expect(batches.map((b) => [b.symbol, b.ticks.map((t) => t.aggId)])).toEqual([['ETHUSDT', [3, 5]], ['BTCUSDT', [9]]]);
    expect(batchMessageId('ETHUSDT', 3, 5)).toBe('ETHUSDT:3-5');
  });

  it('refuses a truncated message and an unknown format with a reason', () => {
    const bytes = encodeTickBatch({ symbol: 'BTCUSDT', ticks: [tick('BTCUSDT', 1, 1)] });
    expect(() => decodeTickBatch(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
    const other = Uint8Array.from(bytes);
    other[0] = 9;
    expect(() => decodeTickBatch(other)).toThrow(/format 9/);
  });
});

describe('gap tracker', () => {
  it('counts a hole as a gap only when redelivery has not filled it within the grace period', () => {
    const g = new GapTracker(new Map([['BTCUSDT', 10]]), 1_000);
    g.observe('BTCUSDT', [11, 12, 20, 21], 0);
    g.observe('ETHUSDT', [5, 9], 0);
    expect(g.pendingIds()).toBe(7 + 3);
    g.observe('BTCUSDT', [13, 14, 15], 500);
    expect(g.takeDue(900)).toEqual([]);
    expect(g.takeDue(1_000)).toEqual([
      { symbol: 'BTCUSDT', fromId: 16, toId: 19, seenAt: 0 },
      { symbol: 'ETHUSDT', fromId: 6, toId: 8, seenAt: 0 },
    ]);
    expect(g.pendingIds()).toBe(0);
  });
});
