// The WebAssembly SIMD kernels against the plain loops they replace (the reference), and the committed bytes
// against their .wat source.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adfuller, coint, hurst, johansen } from '../../src/analytics';
import { lagKernels, useWasmKernels } from '../../src/analytics/kernels/lagKernels';
import { lagDots, plainLagDots } from '../../src/analytics/lagDots';
import { Prng } from '../../src/feed/sim/prng';

const root = path.resolve(__dirname, '..', '..');

function noise(n: number, seed: number): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

function walk(n: number, seed: number, level = 30_000): Float64Array {
  const steps = noise(n, seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = level += steps[i];
  return out;
}

function maxAbsoluteGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

afterEach(() => useWasmKernels(true));

describe('WebAssembly SIMD lag kernels', () => {
  it('load on this Node (so the fast path is the one the parity tests check)', () => {
    expect(lagKernels()).not.toBeNull();
  });

  it('are the bytes compiled from lagKernels.wat', async () => {
    const { generate } = (await import(path.join(root, 'scripts', 'build-wasm.mjs'))) as { generate(wat: string): Promise<{ file: string; text: string }> };
    const { file, text } = await generate(path.join(root, 'src', 'analytics', 'kernels', 'lagKernels.wat'));
    expect(readFileSync(file, 'utf8'), 'run node scripts/build-wasm.mjs').toBe(text);
  });

  for (const [rows, p, extraT0] of [[1000, 3, 0], [1001, 5, 0], [4096, 17, 3], [777, 65, 0], [20_000, 66, 1], [90_001, 12, 0]] as const) {
    it(`ADF cross sums equal the plain loop (${rows} rows, lags 0..${p}, t0 = p + ${extraT0})`, () => {
      const t0 = p + extraT0;
      const e = noise(t0 + rows, rows);
      const xc = walk(t0 + rows, rows + 1, 0);
      const [r1, c1, r2, c2] = [0, 1, 2, 3].map(() => new Float64Array(p + 1));
      lagDots(e, xc, t0, p, r1, c1);
      plainLagDots(e, xc, t0, p, r2, c2);
      // summation order differs (two SIMD lanes), so the gap is judged against the size of the terms (Cauchy-Schwarz)
      const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
      expect(maxAbsoluteGap(r1, r2) / (norm(e) * norm(e))).toBeLessThan(1e-14);
      expect(maxAbsoluteGap(c1, c2) / (norm(e) * norm(xc))).toBeLessThan(1e-14);
      // not the same by accident: every lag has a value of its own
      expect(new Set(r1).size).toBe(p + 1);
    });
  }

  it('grow their memory for long series and keep working after it grows', () => {
    const kernels = lagKernels();
    expect(kernels).not.toBeNull();
    for (const n of [100, 300_000, 50]) {
      const e = noise(n, n);
      const placed = kernels!.place([e, e]);
      expect(placed[1]).toBeGreaterThanOrEqual(placed[0] + n * 8);
      const sums = kernels!.lagDots4(placed[0], placed[1], 10, (n - 10) & ~1, 2);
      let want = 0;
      for (let t = 10; t < 10 + ((n - 10) & ~1); t++) want += e[t] * e[t - 2];
      expect(Math.abs(sums[0] - want) / Math.abs(want)).toBeLessThan(1e-12);
    }
  });

  it('column products (dots4, dot) equal the plain sums at every length parity and at odd row offsets', () => {
    const kernels = lagKernels()!;
    const values = noise(5000, 9);
    const scratch = kernels.scratch(values.length);
    scratch.set(values);
    const byte = (i: number) => kernels.scratchOffset + 8 * i;
    for (const len of [0, 1, 2, 3, 5, 1000, 1001]) {
      const [a, b0, b1, b2, b3] = [1, 1003, 2000, 2501, 3002];
      const plain = (o: number) => {
        let s = 0;
        for (let i = 0; i < len; i++) s += values[a + i] * values[o + i];
        return s;
      };
      const four = Array.from(kernels.dots4(byte(a), byte(b0), byte(b1), byte(b2), byte(b3), len));
      [b0, b1, b2, b3].forEach((o, q) => expect(Math.abs(four[q] - plain(o)), `dots4 len ${len} column ${q}`).toBeLessThanOrEqual(1e-13 * Math.max(1, len)));
      expect(Math.abs(kernels.dot(byte(a), byte(b1), len) - plain(b1)), `dot len ${len}`).toBeLessThanOrEqual(1e-13 * Math.max(1, len));
    }
  });

  it('Johansen gives the same answers with the kernels on and off (several blocks of rows and an odd last one)', () => {
    const a = walk(5001, 7, 100);
    const b = walk(5001, 8, 300);
    const e = noise(5001, 9);
    const c = Float64Array.from(a, (v, i) => 0.6 * v - 0.3 * b[i] + e[i]);
    for (const detOrder of [-1, 0, 1]) {
      for (const kArDiff of [0, 1, 4]) {
        const on = johansen([a, b, c], detOrder, kArDiff);
        useWasmKernels(false);
        const off = johansen([a, b, c], detOrder, kArDiff);
        useWasmKernels(true);
        on.traceStat.forEach((v, i) => expect(Math.abs(v / off.traceStat[i] - 1), `det ${detOrder}, k ${kArDiff}, trace ${i}`).toBeLessThan(1e-12));
        on.eigenvalues.forEach((v, i) => expect(Math.abs(v / off.eigenvalues[i] - 1), `det ${detOrder}, k ${kArDiff}, eig ${i}`).toBeLessThan(1e-12));
      }
    }
  });

  it('ADF, Engle-Granger and Hurst give the same answers with the kernels on and off', () => {
    const x = walk(50_001, 5);
    const y = Float64Array.from(x, (v, i) => 1.3 * v + 10 * Math.sin(i / 200) + noise(1, i)[0]);
    const on = { adf: adfuller(y), coint: coint(y, x), hurst: hurst(y) };
    useWasmKernels(false);
    expect(lagKernels()).toBeNull();
    const off = { adf: adfuller(y), coint: coint(y, x), hurst: hurst(y) };
    expect(on.adf.usedLag).toBe(off.adf.usedLag);
    expect(on.adf.statistic / off.adf.statistic - 1).toBeLessThan(1e-10);
    expect(Math.abs(on.adf.pValue - off.adf.pValue)).toBeLessThan(1e-12);
    expect(Math.abs(on.coint.statistic / off.coint.statistic - 1)).toBeLessThan(1e-10);
    expect(Math.abs(on.hurst / off.hurst - 1)).toBeLessThan(1e-12);
  });
});
