// A universe scan ranks the pairs it can and names each symbol it had to leave out, with the store's reason,
// instead of failing the whole scan (uploaded 1m bars cannot be read at 1s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, openLab } from '../../kernel-lib/src/session/lab';
import { writeSimulatedHistory } from '../../kernel-lib/src/session/simHistory';

const dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-scan-'));
const recorded = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
let lab: Lab;
beforeAll(async () => {
  await writeSimulatedHistory(dir, { symbols: recorded, hours: 0.25 });
  lab = await openLab({ dataDir: dir });
  await lab.importCsvFile(path.join(__dirname, '..', '..', 'notebooks', 'data', 'sample-bars-1m.csv'), { timeframe: '1m' });
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('universe scan', () => {
  it('scans the recorded symbols at 1s and skips uploaded 1m symbols, saying why', async () => {
    const scan = await lab.scan({ timeframe: '1s', symbols: [...recorded, 'ALPHAUSDT', 'BETAUSDT'] });
    expect(scan.rows).toHaveLength(3);
    for (const row of scan.rows) expect(recorded).toContain(row.y);
    expect(scan.skipped.map((s) => s.symbol).sort()).toEqual(['ALPHAUSDT', 'BETAUSDT']);
    for (const s of scan.skipped) expect(s.reason).toMatch(/1m.*cannot be resampled/);
  });
});

describe('universe scan on worker threads', () => {
  it('gives exactly the rows of the one-thread scan, 66 pairs × 40,000 bars on 2 threads; small scans stay in-thread', async () => {
    const { scanPairs } = await import('../../src/analytics');
    const { scanPairsParallel, scanThreads, scanWorkerScript } = await import('../../kernel-lib/src/analysis/parallelScan');
    const script = scanWorkerScript();
    expect(script, 'the compiled worker (npm run build)').not.toBeNull();
    const bars = 40_000;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const universe: Record<string, Float64Array> = {};
    let common = 100;
    const walks = Array.from({ length: 12 }, () => new Float64Array(bars));
    for (let t = 0; t < bars; t++) {
      common += rand();
      walks.forEach((w, k) => { w[t] = (k % 3 === 0 ? common * (1 + k / 10) : (t ? w[t - 1] : 50 + k)) + (k % 3 === 0 ? rand() : rand() * 0.5); });
    }
    walks.forEach((w, k) => { universe[`S${String(k).padStart(2, '0')}USDT`] = w; });
    expect(scanThreads(66, bars, 2, script)).toBe(2);
    expect(scanThreads(66, 1_000, 2, script)).toBe(1);
    const one = scanPairs(universe);
    const two = await scanPairsParallel(universe, { threads: 2 });
    expect(two).toEqual(one);
    expect(two).toHaveLength(66);
  }, 120_000);
});
