// The simulated market: cointegrated pairs with the configured hedge ratio and mean-reversion speed, the bounded
// trade history, bursts and quiet periods.
import { describe, expect, it } from 'vitest';
import { SimMarket } from '../../src/feed/sim/market';
import { manualClock } from './helpers';

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
