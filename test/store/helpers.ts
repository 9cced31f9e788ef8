// Shared by the store tests: temp stores, seeded synthetic ticks, and a plain reference bar builder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Tick } from '../../src/store';
import { Prng } from '../../src/feed/sim/prng';

export function tempStoreDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `pairs-lab-store-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A seeded generator (the simulator's mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

/**
 * Ticks of one symbol with dense aggIds in time order, random spacing, and quiet stretches (no trades) so
 * that some buckets are empty.
 */
export function syntheticTicks(symbol: string, opts: { start: number; count: number; seed: number; firstId?: number; quietEvery?: number; quietMs?: number }): Tick[] {
  const rand = rng(opts.seed);
  const ticks: Tick[] = [];
  let t = opts.start;
  let price = 100 + rand() * 50;
  for (let i = 0; i < opts.count; i++) {
    t += Math.floor(rand() * 900);
    if (opts.quietEvery && i > 0 && i % opts.quietEvery === 0) t += opts.quietMs ?? 300_000;
    price *= 1 + (rand() - 0.5) * 0.002;
    ticks.push({
      symbol, aggId: (opts.firstId ?? 0) + i, tradeTime: t, price: Math.round(price * 100) / 100,
      qty: Math.round(rand() * 1000) / 100, isBuyerMaker: rand() < 0.5, recvTime: t + 3,
    });
  }
  return ticks;
}

export interface RefBar {
  time: number; open: number; high: number; low: number; close: number; volume: number; trades: number; vwap: number;
}

/** Bars the obvious way: walk ticks in aggId order, one bucket per floor(tradeTime / tf). */
export function referenceBars(ticks: readonly Tick[], symbol: string, tfMs: number, from = -Infinity, to = Infinity, minVolume = 0): RefBar[] {
  const mine = ticks.filter((t) => t.symbol === symbol).sort((a, b) => a.aggId - b.aggId);
  const buckets = new Map<number, { bar: RefBar; pv: number }>();
  for (const t of mine) {
    const start = Math.floor(t.tradeTime / tfMs) * tfMs;
    if (start < from || start >= to) continue;
    const b = buckets.get(start);
    if (!b) {
      buckets.set(start, { bar: { time: start, open: t.price, high: t.price, low: t.price, close: t.price, volume: t.qty, trades: 1, vwap: 0 }, pv: t.price * t.qty });
    } else {
      b.bar.high = Math.max(b.bar.high, t.price);
      b.bar.low = Math.min(b.bar.low, t.price);
      b.bar.close = t.price;
      b.bar.volume += t.qty;
      b.bar.trades += 1;
      b.pv += t.price * t.qty;
    }
  }
  return [...buckets.values()]
    .map(({ bar, pv }) => ({ ...bar, vwap: bar.volume > 0 ? pv / bar.volume : NaN }))
    .filter((b) => b.volume >= minVolume)
    .sort((a, b) => a.time - b.time);
}

export function closeTo(a: number, b: number, rel = 1e-9): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
