// Every example notebook runs top to bottom with the real tslab kernel, offline (the simulated exchange, the
// committed CSV), with no error output, and is committed with its outputs cleared.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type NotebookCell, root, runNotebook } from './run-notebook';

const notebooksDir = path.join(root, 'notebooks');
const notebooks = readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort();
const work = mkdtempSync(path.join(tmpdir(), 'pairs-lab-notebooks-'));
// Short runs under test: 20 s of recording instead of minutes, 3 simulated hours instead of a day.
const env = { PAIRS_LAB_DATA: path.join(work, 'data'), PAIRS_LAB_RECORD_SECONDS: '20', PAIRS_LAB_SIM_HOURS: '3' };

/** Figures and tables each notebook must show (so an empty run cannot pass). */
const expected: Record<string, { figures: number; tables: number }> = {
  '01-quick-start.ipynb': { figures: 5, tables: 4 },
  '02-pair-research-csv.ipynb': { figures: 4, tables: 5 },
  '03-backtest-and-parameter-search.ipynb': { figures: 2, tables: 5 },
  '04-universe-scan.ipynb': { figures: 1, tables: 4 },
  '05-baskets-and-portfolios.ipynb': { figures: 2, tables: 10 },
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('example notebooks', () => {
  it('are the five templates, each with markdown explaining it', () => {
    expect(notebooks).toEqual(Object.keys(expected));
    for (const file of notebooks) {
      const cells = (JSON.parse(readFileSync(path.join(notebooksDir, file), 'utf8')) as { cells: NotebookCell[] }).cells;
      expect(cells.filter((c) => c.cell_type === 'markdown').length, file).toBeGreaterThanOrEqual(3);
    }
  });

  it('are saved with outputs cleared and on the Pairs Lab kernel', () => {
    for (const file of notebooks) {
      const nb = JSON.parse(readFileSync(path.join(notebooksDir, file), 'utf8')) as { cells: NotebookCell[]; metadata: { kernelspec: { name: string } } };
      expect(nb.metadata.kernelspec.name, file).toBe('pairs-lab');
      for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
        expect(cell.outputs, file).toEqual([]);
        expect(cell.execution_count, file).toBeNull();
      }
    }
  });

  for (const file of Object.keys(expected)) {
    it(`${file} runs top to bottom without error output`, async () => {
      const report = await runNotebook(path.join(notebooksDir, file), env, path.join(work, 'executed'));
      expect(report.errors, JSON.stringify(report.errors, null, 1)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.mime['application/vnd.plotly.v1+json'] ?? 0).toBeGreaterThanOrEqual(expected[file].figures);
      expect(report.mime['text/html'] ?? 0).toBeGreaterThanOrEqual(expected[file].tables);
      // Every figure carries a text summary for front ends without a Plotly renderer.
      expect(report.mime['text/plain'] ?? 0).toBeGreaterThanOrEqual((report.mime['application/vnd.plotly.v1+json'] ?? 0) + (report.mime['text/html'] ?? 0));
    }, 170_000);
  }
});
