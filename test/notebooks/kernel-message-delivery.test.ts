// The pairs-lab kernel delivers every message of every execution, however many a session sends: tslab does not
// wait for its ZeroMQ sends, and zeromq defers every 513th send on a socket, so without the serial sends of
// scripts/tslab-kernel.cjs the message after a deferred one was lost (an output, or the `idle` that ends a cell).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type NotebookCell, runNotebook } from './run-notebook';

const work = mkdtempSync(path.join(tmpdir(), 'pairs-lab-kernel-delivery-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeNotebook(file: string, sources: string[]): string {
  const cells = sources.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }));
  const nb = { cells, metadata: { kernelspec: { name: 'pairs-lab', display_name: 'Pairs Lab (TypeScript)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 4 };
  const at = path.join(work, file);
  writeFileSync(at, JSON.stringify(nb));
  return at;
}

function streamText(cell: NotebookCell): string {
  return (cell.outputs ?? []).filter((o) => o.output_type === 'stream').map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('');
}

function executed(file: string): NotebookCell[] {
  return (JSON.parse(readFileSync(path.join(work, 'executed', file), 'utf8')) as { cells: NotebookCell[] }).cells;
}

describe('pairs-lab kernel message delivery', () => {
  it('delivers 800 outputs written in one turn of the event loop, in order (more than zeromq sends at once, fewer than its 1,000-message queue)', async () => {
    const nb = writeNotebook('burst.ipynb', ['for (let i = 0; i < 800; i++) console.log(`line ${i}`);']);
    const report = await runNotebook(nb, {}, path.join(work, 'executed'), 30);
    expect(report.errors, JSON.stringify(report.errors, null, 1)).toEqual([]);
    const lines = streamText(executed('burst.ipynb')[0]).trimEnd().split('\n');
    expect(lines).toEqual(Array.from({ length: 800 }, (_, i) => `line ${i}`));
  }, 120_000);

  it('ends each of 700 executions with its output and its idle status', async () => {
    // One to three outputs per cell, so the deferred sends fall on every kind of message, not only on `idle`.
    const sources = Array.from({ length: 700 }, (_, i) => Array.from({ length: 1 + (i % 3) }, (_, k) => `console.log('cell ${i}.${k}');`).join(' '));
    const nb = writeNotebook('many.ipynb', sources);
    const report = await runNotebook(nb, {}, path.join(work, 'executed'), 20);
    expect(report.errors, JSON.stringify(report.errors, null, 1)).toEqual([]);
    const cells = executed('many.ipynb');
    cells.forEach((cell, i) => {
      expect(streamText(cell), `cell ${i}`).toBe(Array.from({ length: 1 + (i % 3) }, (_, k) => `cell ${i}.${k}\n`).join(''));
    });
  }, 240_000);
});
