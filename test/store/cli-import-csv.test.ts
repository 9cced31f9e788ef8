// `pairs-lab import-csv` and `pairs-lab query` as a user runs them: the compiled CLI in a child process.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStoreDir } from './helpers';
import { ensureCompiledStore, root } from './compiled-store';

let store: ReturnType<typeof tempStoreDir>;
beforeAll(() => { ensureCompiledStore(); store = tempStoreDir('cli'); });
afterAll(() => store?.remove());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('pairs-lab import-csv / query', () => {
  it('imports a good file, rejects a bad one with line and column, and prints query results as CSV', async () => {
    const good = path.join(store.dir, 'good.csv');
    const bad = path.join(store.dir, 'bad.csv');
    writeFileSync(good, 'timestamp,symbol,open,high,low,close,volume\n2026-03-01T00:00:00Z,CLIUSDT,10,12,9,11,5\n2026-03-01T00:01:00Z,CLIUSDT,11,13,10,12,7\n');
    writeFileSync(bad, 'timestamp,symbol,open,high,low,close,volume\n2026-03-01T00:02:00Z,CLIUSDT,10,9,11,10,5\n');
    const data = path.join(store.dir, 'data');

    const ok = await cli(['import-csv', '--data', data, '--timeframe', '1m', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/good\.csv: imported 2 bars of CLIUSDT/);

    const rejected = await cli(['import-csv', '--data', data, '--timeframe', '1m', bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/bad\.csv: CSV import rejected, nothing was imported:\n\s+line 2, column high: high 9 is below low 11/);

    const q = await cli(['query', '--data', data, 'SELECT symbol, count(*) AS bars, sum(volume) AS volume FROM bars_uploaded GROUP BY 1']);
    expect(q).toMatchObject({ code: 0, stdout: 'symbol,bars,volume\nCLIUSDT,2,12\n' });
  });
});
