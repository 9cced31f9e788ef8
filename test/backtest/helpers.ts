import { alignPair } from '../../src/backtest/validate';
import type { AlignedPair, ExecutionSettings } from '../../src/backtest/types';
import { Prng } from '../../src/feed/sim/prng';

export interface Legs {
  yOpen: number[];
  yClose: number[];
  xOpen: number[];
  xClose: number[];
}

/** A pair on a regular grid of `barMs` bars starting at `t0`. */
export function makePair(legs: Legs, barMs = 60_000, t0 = 1_700_000_000_000): AlignedPair {
  const n = legs.yOpen.length;
  const time = Float64Array.from({ length: n }, (_, i) => t0 + i * barMs);
  return alignPair({
    y: { time, open: Float64Array.from(legs.yOpen), close: Float64Array.from(legs.yClose) },
    x: { time: time.slice(), open: Float64Array.from(legs.xOpen), close: Float64Array.from(legs.xClose) },
  });
}

/** Flat prices: y at 100, x at 50. */
export function flatPair(n: number, barMs = 60_000): AlignedPair {
  const fill = (v: number) => Array.from({ length: n }, () => v);
  return makePair({ yOpen: fill(100), yClose: fill(100), xOpen: fill(50), xClose: fill(50) }, barMs);
}

export const noCosts: Partial<ExecutionSettings> = { makerFeeBps: 0, takerFeeBps: 0, slippageBps: 0, notionalPerLeg: 1000, capital: 10_000 };

/** Deterministic pseudo-random numbers: the simulator's seeded mulberry32. */
export function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

/** A cointegrated pair: x a random walk, y = 2·x + 10 + mean-reverting noise; opens near the previous close. */
export function syntheticPair(n: number, seed = 1, barMs = 60_000): AlignedPair {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const yOpen: number[] = [];
  const yClose: number[] = [];
  const xOpen: number[] = [];
  const xClose: number[] = [];
  let x = 100;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const xo = x * (1 + 0.0002 * gauss());
    x = xo * (1 + 0.002 * gauss());
    e = 0.9 * e + 0.8 * gauss();
    const yc = 2 * x + 10 + e;
    xOpen.push(xo);
    xClose.push(x);
    yOpen.push((yClose.length ? yClose[yClose.length - 1] : yc) * (1 + 0.0002 * gauss()));
    yClose.push(yc);
  }
  return makePair({ yOpen, yClose, xOpen, xClose }, barMs);
}

export function constant(n: number, v: number): Float64Array {
  return new Float64Array(n).fill(v);
}
