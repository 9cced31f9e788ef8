import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Loads a committed reference fixture (made by python/fixtures/make_analytics_fixtures.py). */
export function loadFixture<T>(name: string): T {
  const file = path.join(__dirname, '..', 'fixtures', 'analytics', name);
  return JSON.parse(readFileSync(file, 'utf8'), (_k, v: unknown) => {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return v;
  }) as T;
}

/** |a − b| ≤ rel·max(|b|, floor); NaN must match NaN. */
export function closeTo(a: number, b: number, rel: number, floor = 0): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(b), floor);
}

/** First index where two series differ beyond tolerance, or −1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, floor = 0): number {
  if (actual.length !== expected.length) return -2;
  for (let i = 0; i < expected.length; i++) if (!closeTo(actual[i], expected[i], rel, floor)) return i;
  return -1;
}

/** Deterministic uniform(0,1) generator for tests (Park-Miller). */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}
