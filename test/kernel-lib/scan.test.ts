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
