// The basket scan on worker threads gives exactly the rows of the one-thread scan.
import { describe, expect, it } from 'vitest';
import { scanBaskets } from '../../src/analytics';
import { scanBasketsParallel, scanThreads, scanWorkerScript } from '../../kernel-lib/src/analysis/parallelScan';

describe('basket scan on worker threads', () => {
  it('gives exactly the rows of the one-thread scan, 35 baskets × 20,000 bars on 2 threads', async () => {
    const script = scanWorkerScript();
    expect(script, 'the compiled worker (npm run build)').not.toBeNull();
    expect(scanThreads(35 * 3, 20_000, 2, script)).toBe(2);
    let seed = 77;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const g = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
    const universe: Record<string, Float64Array> = {};
    for (let k = 0; k < 7; k++) {
      let p = 100 + 10 * k;
      universe[`S${k}USDT`] = Float64Array.from({ length: 20_000 }, () => (p += g()));
    }
    const one = scanBaskets(universe, { size: 3 });
    const two = await scanBasketsParallel(universe, { size: 3, threads: 2 });
    expect(two).toEqual(one);
    expect(two).toHaveLength(35);
  }, 60_000);
});
