// The kernel library as an npm package: packed self-contained, installed into a folder outside the project the way a
// user would (its dependencies from the registry, or from the npm cache when it has them: never only from the cache,
// which a fresh machine does not have), then imported by plain Node and by a notebook in that folder on the Pairs Lab
// kernel.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type NotebookCell, root, runNotebook } from '../notebooks/run-notebook';

const outside = mkdtempSync(path.join(tmpdir(), 'pairs-lab-package-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));
const sample = path.join(root, 'notebooks', 'data', 'sample-bars-1m.csv');

describe('the pairs-lab package', () => {
  it('installs outside the project and works from Node and from a notebook there', async () => {
    const tarball = execFileSync(process.execPath, [path.join(root, 'kernel-lib', 'scripts', 'pack.mjs'), outside], { encoding: 'utf8' }).trim();
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist/kernel-lib/src/index.d.ts');
    expect(files.some((f) => f.endsWith('.map') || f.includes('.test.'))).toBe(false);

    const project = path.join(outside, 'research');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(path.join(project, 'package.json'), '{ "name": "research", "version": "1.0.0", "private": true }\n');
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: project, stdio: 'pipe' });

    const script = `const pl = require('pairs-lab');
      pl.openLab({ dataDir: ${JSON.stringify(path.join(project, 'node-data'))} }).then(async (lab) => {
        await lab.importCsvFile(${JSON.stringify(sample)}, { timeframe: '1m' });
        const view = await lab.pair('ALPHAUSDT', 'BETAUSDT', { timeframe: '1m' });
        console.log(JSON.stringify({ bars: view.length, p: view.metrics.adfPValue, from: require.resolve('pairs-lab') }));
        await lab.close();
      });`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' })) as { bars: number; p: number; from: string };
    expect(result.bars).toBe(1440);
    expect(result.p).toBeLessThan(0.05);
    expect(result.from.startsWith(path.join(project, 'node_modules', 'pairs-lab'))).toBe(true);

    const cells = [
      "import * as pl from 'pairs-lab';",
      `const lab = await pl.openLab({ dataDir: ${JSON.stringify(path.join(project, 'nb-data'))} });\nawait lab.importCsvFile(${JSON.stringify(sample)}, { timeframe: '1m' });`,
      "const view = await lab.pair('ALPHAUSDT', 'BETAUSDT', { timeframe: '1m' });\npl.show(view.metrics);\npl.show(view.charts.spread({ entry: 2 }));\nawait lab.close();",
    ].map((source, i): NotebookCell & { id: string; metadata: object } => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null }));
    const notebook = path.join(project, 'elsewhere.ipynb');
    writeFileSync(notebook, JSON.stringify({ cells, metadata: { kernelspec: { name: 'pairs-lab', display_name: 'Pairs Lab (TypeScript)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 }));
    const report = await runNotebook(notebook, {}, path.join(outside, 'executed'));
    expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
    expect(report.mime['application/vnd.plotly.v1+json']).toBe(1);
    expect(report.mime['text/html']).toBe(1);
    const executed = JSON.parse(readFileSync(path.join(outside, 'executed', 'elsewhere.ipynb'), 'utf8')) as { cells: NotebookCell[] };
    expect(JSON.stringify(executed.cells[2].outputs)).toContain('adfPValue');
  }, 300_000);
});
